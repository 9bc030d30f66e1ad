"""Forward secrecy, shown, checked by Wireshark (issue 20).

`handshake-lab --steal-key=DIR LESSON` writes the lesson's capture without its secrets and
the server's private key as PEM. Wireshark's own RSA-key decryption (its rsa_keys table)
must then agree with the lab: with the key alone, tshark decrypts the application data of
the RSA key-exchange lessons (the same bytes the lab's report shows) and none of the
ECDHE and TLS 1.3 lessons'. Without the key, tshark decrypts nothing (the capture really
has no secrets). The command's errors exit as the command-line contract says. Last, --quiz
and a [Scenario] Quiz=true lesson on the command line.

    test-steal-key.py HANDSHAKE_LAB WORK_DIR
"""
import codecs
import os
import shutil
import subprocess
import sys

import tap

exe, work = sys.argv[1], sys.argv[2]
results = []


def check(ok, what, detail=""):
    if not ok and detail:
        sys.stderr.write(f"{what}: {detail}\n")
    results.append((bool(ok), what))


def lab(*args):
    return subprocess.run([exe, *args], capture_output=True, text=True, timeout=300, cwd=work)


def tshark_data(folder, with_key):
    """The application data tshark decrypts, as hex records in order (empty when none)."""
    args = ["tshark", "-r", os.path.join(folder, "capture-without-secrets.pcapng")]
    if with_key:
        args += ["-o", f'uat:rsa_keys:"{os.path.join(folder, "server-key.pem")}",""']
    args += ["-Y", "http", "-T", "fields", "-e", "http.request.method", "-e", "http.response.code"]
    r = subprocess.run(args, capture_output=True, text=True, timeout=120)
    return [line for line in r.stdout.splitlines() if line.strip()], r


def decrypted_bytes(folder):
    """tshark's "Decrypted TLS" byte dumps, joined per record, with the key."""
    r = subprocess.run(["tshark", "-r", os.path.join(folder, "capture-without-secrets.pcapng"),
                        "-o", f'uat:rsa_keys:"{os.path.join(folder, "server-key.pem")}",""',
                        "-Y", "tls.app_data", "-x"], capture_output=True, text=True, timeout=120)
    records, cur = [], None
    for line in r.stdout.splitlines():
        if line.startswith("Decrypted TLS"):
            cur = []
            records.append(cur)
        elif cur is not None and len(line) > 6 and line[:4].strip() and line[4:6] == "  ":
            cur.extend(b for b in line[6:54].split() if len(b) == 2)
        elif not line.strip():
            cur = None
    return [bytes.fromhex("".join(r)) for r in records]


if not shutil.which("tshark"):
    sys.exit(tap.skip_all("tshark is not installed (tools/quickstart.sh test installs it)"))
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)

RSA = ["01-rsa-key-exchange", "05-rsa-aes-cbc", "09-3des-legacy"]
CLOSED = ["02-ecdhe-rsa-aes-gcm", "03-ecdhe-ecdsa-chacha20", "30-tls13-basic",
          "31-tls13-chacha20-ecdsa"]
for lesson in RSA + CLOSED:
    folder = os.path.join(work, "out-" + lesson)
    r = lab(f"--steal-key={folder}", lesson)
    files = ["capture-without-secrets.pcapng", "server-key.pem", "stolen-key.txt"]
    check(r.returncode == 0 and all(os.path.isfile(os.path.join(folder, f)) for f in files),
          f"{lesson}: --steal-key=DIR writes the capture, the key and the report", r.stderr)
    report = open(os.path.join(folder, "stolen-key.txt")).read() if r.returncode == 0 else ""
    check(report == r.stdout, f"{lesson}: the report on standard output is the one written")
    with_key, t = tshark_data(folder, True)
    without, _ = tshark_data(folder, False)
    check(without == [], f"{lesson}: without the key tshark decrypts nothing (no secrets left)",
          str(without))
    if lesson in RSA:
        check("OPENED by the stolen key" in report, f"{lesson}: the lab opens it with the key")
        check(with_key == ["GET\t", "\t200"],
              f"{lesson}: tshark with the key alone decrypts the request and the response",
              f"{with_key} {t.stderr}")
        # The same bytes the lab's report shows, in the same order.
        shown = [line.split(": ", 1)[1] for line in report.splitlines()
                 if line.startswith("    client → server: ") or line.startswith("    server → client: ")]
        got = decrypted_bytes(folder)
        want = [codecs.decode(x[1:-1], "unicode_escape").encode("latin-1") for x in shown]
        check(len(got) == 2 and got == want,
              f"{lesson}: tshark's decrypted bytes are the ones the lab's report shows",
              f"{got} {shown}")
    else:
        check("stays closed: forward secrecy" in report and "signature" in report,
              f"{lesson}: the lab keeps it closed and checks the signature instead")
        check(with_key == [] and decrypted_bytes(folder) == [],
              f"{lesson}: tshark with the key decrypts nothing (forward secrecy)", str(with_key))

# Errors: a capture is not a lesson; a report cannot share standard output; a folder that
# cannot be made is an output that cannot be written, and nothing is left behind.
r = lab("--steal-key", os.path.join(work, "out-" + RSA[0], "capture-without-secrets.pcapng"))
check(r.returncode == 2 and "--secrets" in r.stderr, "--steal-key with a capture: exit 2", r.stderr)
r = lab("--steal-key", "--transcript=-", RSA[0])
check(r.returncode == 2 and "standard output" in r.stderr,
      "--steal-key with --transcript=-: exit 2", r.stderr)
blocker = os.path.join(work, "a-file")
open(blocker, "w").write("x")
r = lab(f"--steal-key={os.path.join(blocker, 'sub')}", f"--pdf={os.path.join(work, 'h.pdf')}", RSA[0])
check(r.returncode == 1 and not os.path.exists(os.path.join(work, "h.pdf")),
      "--steal-key=DIR that cannot be made: exit 1 and no output written", r.stderr)
r = lab("--steal-key", RSA[0])
check(r.returncode == 0 and "OPENED" in r.stdout and not os.path.exists(os.path.join(work, RSA[0])),
      "a bare --steal-key takes no folder (the lesson after it stays the lesson)", r.stderr)

# The quiz on the command line: --quiz writes it; a Quiz=true lesson's transcript ends with it.
r = lab("--quiz=-", RSA[0])
check(r.returncode == 0 and r.stdout.startswith("# Quiz: ") and "\n## Answers\n" in r.stdout
      and "client \u2192 server: ClientHello" in r.stdout,
      "--quiz=- prints the questions, then the answers", r.stderr)
r = lab("--quiz=quiz.txt", RSA[0])
check(r.returncode == 2 and ".md" in r.stderr, "--quiz with a name not ending in .md: exit 2",
      r.stderr)
pki = os.path.join(os.environ.get("HANDSHAKE_LAB_DATADIR", "."), "assets", "pki")
lesson = os.path.join(work, "quiz.scenario")
with open(lesson, "w") as f:
    f.write("[Scenario]\nFormat=1\nTitle=A quiz\nQuiz=true\n[Client]\nVersions=TLS1.2\n"
            f"TrustAnchors={pki}/root-ca.crt\nServerName=server.example\n[Server]\n"
            f"CertificateChain={pki}/server-rsa-chain.pem\nPrivateKey={pki}/server-rsa.key\n")
r = lab("--headless", lesson)
plain = lab("--headless", RSA[0])
check(r.returncode == 0 and "# Quiz: A quiz" in r.stdout and "# Quiz" not in plain.stdout,
      "Quiz=true: the transcript ends with the quiz (and only then)", r.stderr)

sys.exit(tap.report(results))

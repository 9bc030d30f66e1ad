"""An SSL 3.0 capture read by the lab and checked against tshark (issue 19: "SSL 3.0 to
TLS 1.3").

No library here speaks SSL 3.0, so make-ssl3-capture.py writes the connection itself
(RFC 6101, with the openssl command's AES and RSA and Python's MD5 and SHA-1). Then, each
a TAP line:
- with AES-128-CBC and with 3DES-EDE-CBC, tshark decodes the file as SSL 3.0 and, with the
  key log, decrypts it: the lab finds the same handshake messages in the same order, and
  opens every encrypted record to the same bytes as tshark (both Finished, the application
  data both ways, both close_notify);
- both Finished are recomputed with SSL 3.0's MD5/SHA-1 construction and match the wire,
  and the secrets say so with RFC 6101's formulas;
- the plaintext messages decode without keys (the ClientKeyExchange's RSA block with no
  length before it, as SSL 3.0 sends it), and nothing is opened;
- the server's private key alone gives the same master secret as the key log;
- a record whose MAC is wrong (one flipped byte) is not opened.

    test-ssl3.py HANDSHAKE_LAB SOURCE_ROOT WORK_DIR
"""
import json
import os
import shutil
import subprocess
import sys

import tap

exe, root, work = sys.argv[1], sys.argv[2], sys.argv[3]
PKI = os.path.join(root, "assets", "pki")
results = []


def check(ok, what, detail=""):
    if not ok and detail:
        sys.stderr.write(f"{what}: {detail}\n")
    results.append((bool(ok), what))


def transcript(pcap, *args):
    out = os.path.join(work, "t.json")
    if os.path.exists(out):
        os.remove(out)
    r = subprocess.run([exe, "--headless", f"--transcript={out}", *args, pcap],
                       capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        return None, r
    j = json.load(open(out, encoding="utf-8"))
    j["connections"][0]["formulas"] = j["formulas"]
    return j["connections"][0], r


def fields(steps, message, name):
    for s in steps:
        if s["message"] == message:
            for f in s["fields"]:
                if f["name"] == name:
                    return f
    return None


if shutil.which("tshark") is None:
    sys.exit(tap.skip_all("tshark, the oracle, is not installed"))
if os.path.isdir(work):
    shutil.rmtree(work)
os.makedirs(work)


def read_both(cipher, suite):
    """Makes the capture; checks the lab against tshark. (connection, pcap, keys, tshark's
    decrypted records)."""
    pcap, keys = os.path.join(work, f"ssl3-{cipher}.pcap"), os.path.join(work, f"ssl3-{cipher}.keys")
    r = subprocess.run([sys.executable, os.path.join(root, "tests", "make-ssl3-capture.py"), PKI,
                        pcap, keys, cipher], capture_output=True, text=True, timeout=120)
    check(r.returncode == 0, f"{suite}: make-ssl3-capture.py writes an SSL 3.0 connection and its "
          "key log", r.stderr)
    if r.returncode != 0:
        return None, pcap, keys, []
    # The oracle: tshark's handshake types and decrypted records.
    base = ["tshark", "-r", pcap, "-o", f"tls.keylog_file:{keys}", "-d", "tcp.port==4433,tls"]
    t = subprocess.run(base + ["-T", "fields", "-e", "tls.record.version", "-e",
                               "tls.handshake.type"], capture_output=True, text=True, timeout=120)
    versions = {v for line in t.stdout.splitlines() for v in line.split("\t")[0].split(",") if v}
    shark_types = [int(x) for line in t.stdout.splitlines() if "\t" in line
                   for x in line.split("\t")[1].split(",") if x]
    x = subprocess.run(base + ["-x"], capture_output=True, text=True, timeout=120).stdout
    decrypted, cur = [], None
    for line in x.splitlines():
        if line.startswith("Decrypted TLS"):
            cur = []
            decrypted.append(cur)
        elif cur is not None and len(line) > 6 and line[:4].strip() and line[4:6] == "  ":
            cur.append(line[6:53].replace(" ", ""))
        else:
            cur = None
    decrypted = ["".join(d) for d in decrypted]
    check(versions == {"0x0300"} and len(decrypted) == 6,
          f"{suite}: tshark reads every record as SSL 3.0 and decrypts six of them with the key log",
          f"{versions} {len(decrypted)}")
    c, r = transcript(pcap, f"--secrets={keys}")
    check(c and c["negotiated"]["version"] == "SSL3.0" and c["negotiated"]["cipher_suite"] == suite
          and c["outcome"] == "success", f"{suite}: the lab reads SSL 3.0, the handshake completed",
          r.stderr)
    if not c:
        return None, pcap, keys, decrypted
    steps = c["steps"]
    lab_types = [s["handshake_type"] for s in steps if s["content_type"] == 22]
    check(lab_types == shark_types, f"{suite}: every handshake message, in tshark's order",
          f"lab {lab_types} tshark {shark_types}")
    opened = [s.get("plaintext", "") for s in steps if s["encrypted"]]
    check(opened == decrypted, f"{suite}: every encrypted record opened to tshark's bytes (both "
          "Finished, the application data both ways, both close_notify)",
          f"lab {opened} tshark {decrypted}")
    finished = [s for s in steps if s["message"] == "Finished"]
    check(len(finished) == 2 and all("RFC 6101 5.6.9" in s.get("check", "") and "as on the wire"
                                     in s.get("check", "") for s in finished)
          and len(c["secrets"].get("client_verify_data", "")) == 72
          and len(c["secrets"].get("server_verify_data", "")) == 72,
          f"{suite}: both Finished recomputed with SSL 3.0's MD5 and SHA-1 (36 bytes), as on the "
          "wire", str([s.get("check") for s in finished]))
    return c, pcap, keys, decrypted


read_both("3des", "TLS_RSA_WITH_3DES_EDE_CBC_SHA")
c, pcap, keys, decrypted = read_both("aes", "TLS_RSA_WITH_AES_128_CBC_SHA")
if not c:
    sys.exit(tap.report(results))
steps = c["steps"]
vd = fields(steps, "Finished", "Verify data")
check(vd and vd["length"] == 36 and "RFC 6101" in vd["explanation"],
      "the Finished's field is 36 bytes, explained as SSL 3.0's", str(vd))
f = c["formulas"]
check("RFC 6101 6.1" in f["master_secret"] and "RFC 6101 6.2.2" in f["key_block"]
      and "RFC 6101 5.6.9" in f["client_verify_data"] and "PRF" not in f["key_block"] + f["server_verify_data"]
      and "RFC 6101 5.2.3.1" in f["client_write_mac_key"],
      "the master secret, key block, MAC keys and verify_data are given with RFC 6101's "
      "formulas, not TLS's PRF and HMAC", str(f))

# Without keys: what an eavesdropper sees.
c0, r = transcript(pcap)
cke = c0 and fields(c0["steps"], "ClientKeyExchange", "Encrypted premaster secret")
check(c0 and [s["message"] for s in c0["steps"]][:5] == ["ClientHello", "ServerHello",
                                                           "Certificate", "ServerHelloDone",
                                                           "ClientKeyExchange"]
      and cke and cke["length"] == 256 and cke["offset"] == 4
      and not any(s.get("plaintext") for s in c0["steps"]),
      "without keys: the plaintext messages decode (the RSA block with no length before it), "
      "no record is opened", r.stderr)

# The server's private key alone.
ck, r = transcript(pcap, f"--secrets={os.path.join(PKI, 'server-rsa.key')}")
check(ck and ck["secrets"].get("master_secret") == c["secrets"]["master_secret"]
      and "premaster_secret" in ck["secrets"]
      and [s.get("plaintext") for s in ck["steps"]] == [s.get("plaintext") for s in steps],
      "with the server's RSA key alone: the same master secret (RFC 6101 6.1) and plaintexts",
      r.stderr)

# One flipped byte in the server's application data: its MAC fails, it stays closed.
raw = bytearray(open(pcap, "rb").read())
frame_at = raw.find(b"\x17\x03\x00")
while frame_at >= 0 and raw[frame_at + 3] << 8 | raw[frame_at + 4] != 80:
    frame_at = raw.find(b"\x17\x03\x00", frame_at + 1)
bad = os.path.join(work, "flipped.pcap")
if frame_at >= 0:
    raw[frame_at + 5 + 40] ^= 1
open(bad, "wb").write(raw)
cb, r = transcript(bad, f"--secrets={keys}")
app = cb and [s for s in cb["steps"] if s["message"] == "ApplicationData" and s["from"] == "server"]
check(frame_at >= 0 and app and not app[0].get("plaintext")
      and [s.get("plaintext") for s in cb["steps"] if s["from"] == "client"]
      == [s.get("plaintext") for s in steps if s["from"] == "client"],
      "a flipped byte in the server's 80-byte record: its MAC fails and it is not opened; the "
      "client's records still are", r.stderr)

shutil.rmtree(work)
sys.exit(tap.report(results))

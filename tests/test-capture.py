"""Captures of real TLS programs, read by the lab and checked against tshark (issue 19).

At test time: dumpcap captures loopback while openssl s_server (the project's test PKI)
answers openssl s_client and curl, every key logged to one file: TLS 1.3, TLS 1.3
resumed, TLS 1.3 with a HelloRetryRequest, TLS 1.2 ECDHE with GCM and with CBC
(encrypt-then-MAC), TLS 1.2 RSA key exchange, curl with both versions, curl over IPv6,
and TLS 1.3 with a KeyUpdate. Then, each a TAP line:
- tshark, decrypting the same file with the same key log, agrees with the lab's JSON
  transcript on every handshake message type in order, the suite, both randoms, the SNI
  and every decrypted application byte;
- every Finished is recomputed and matches; the resumed and retried connections are
  recognised; without keys nothing is decrypted and the hellos still are;
- the same capture rewritten as BSD loopback (both byte orders), Linux cooked v1 and v2,
  raw IP, with VLAN tags, with segments reordered, repeated and overlapping, reads the
  same; a lost segment stops its
  connection with a note that says where; a cut file shows what it holds and says where
  it was cut; garbage and an unsupported link type exit 2 naming the file;
- every bundled lesson's own --pcapng export reads back with the same messages, fields,
  records, negotiated values and the secrets a key log carries (with a fault: the same
  delivered messages).

    test-capture.py HANDSHAKE_LAB SOURCE_ROOT WORK_DIR
"""
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time

import tap

exe, root, work = sys.argv[1], sys.argv[2], sys.argv[3]
PKI = os.path.join(root, "assets", "pki")
results = []


def check(ok, what, detail=""):
    if not ok and detail:
        sys.stderr.write(f"{what}: {detail}\n")
    results.append((bool(ok), what))


def free_port(family=socket.AF_INET, host="127.0.0.1"):
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def wait_for(cond, seconds):
    """Polls cond for at most `seconds` (a bounded wait, never a hang)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.1)
    return cond()


def accepts(port, host="127.0.0.1", family=socket.AF_INET):
    try:
        with socket.socket(family, socket.SOCK_STREAM) as s:
            s.settimeout(0.5)
            s.connect((host, port))
            return True
    except OSError:
        return False


def lab(*args, timeout=120):
    return subprocess.run([exe, *args], capture_output=True, text=True, timeout=timeout)


# ---------- Making the captures ----------

def make_captures():
    if os.path.isdir(work):
        shutil.rmtree(work)
    os.makedirs(work)
    keys = os.path.join(work, "keys.txt")
    pcap = os.path.join(work, "real.pcapng")
    port, hrr_port, v6_port = free_port(), free_port(), free_port(socket.AF_INET6, "::1")
    TLS_PORTS[:] = [port, hrr_port, v6_port]
    procs = []
    env = dict(os.environ, SSLKEYLOGFILE=keys)
    try:
        cert = [f"-cert", os.path.join(PKI, "server-rsa.crt"), "-key", os.path.join(PKI, "server-rsa.key"),
                "-cert_chain", os.path.join(PKI, "server-rsa-chain.pem")]
        srv = subprocess.Popen(["openssl", "s_server", "-accept", str(port), *cert, "-www",
                                "-num_tickets", "1"], stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.append(srv)
        v6 = subprocess.Popen(["openssl", "s_server", "-accept", f"[::1]:{v6_port}", *cert, "-www"],
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
        procs.append(v6)
        hrr = subprocess.Popen(["openssl", "s_server", "-accept", str(hrr_port), *cert, "-www",
                                "-groups", "P-256"], stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.append(hrr)
        if not wait_for(lambda: accepts(port) and accepts(hrr_port)
                        and accepts(v6_port, "::1", socket.AF_INET6), 10):
            return None, "s_server did not start"
        # Capture only once the servers answer: the probes above are not in the file.
        dump = subprocess.Popen(["dumpcap", "-i", "lo", "-f",
                                 f"tcp port {port} or tcp port {hrr_port} or tcp port {v6_port}",
                                 "-w", pcap, "-q"], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        procs.append(dump)
        if not wait_for(lambda: os.path.exists(pcap) and os.path.getsize(pcap) > 0, 10):
            return None, "dumpcap did not start"
        time.sleep(1.0)
        sess = os.path.join(work, "sess.pem")
        request = b"GET / HTTP/1.0\r\n\r\n"

        def s_client(p, *extra):
            subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{p}", "-keylogfile", keys,
                            "-ign_eof", *extra], input=request, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=20)

        def curl(url, *extra):
            subprocess.run(["curl", "-sk", "--max-time", "10", *extra, url], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=20)

        # The order below is the connections' order in the file (see EXPECT).
        s_client(port, "-tls1_3", "-servername", "localhost", "-sess_out", sess)
        s_client(port, "-tls1_3", "-servername", "localhost", "-sess_in", sess)
        s_client(hrr_port, "-tls1_3", "-groups", "X25519:P-256")
        s_client(port, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256")
        s_client(port, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA")
        s_client(port, "-tls1_2", "-cipher", "AES128-GCM-SHA256")
        curl(f"https://localhost:{port}/", "--tlsv1.3")
        curl(f"https://127.0.0.1:{port}/", "--tls-max", "1.2")
        curl(f"https://[::1]:{v6_port}/", "--tlsv1.3")
        # TLS 1.3 KeyUpdate: s_client's "k" command, then the request under the new keys.
        ku = subprocess.Popen(["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-tls1_3",
                               "-keylogfile", keys], stdin=subprocess.PIPE,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.append(ku)
        for chunk, pause in ((b"", 0.5), (b"k\n", 0.5), (request, 1.5)):
            ku.stdin.write(chunk)
            ku.stdin.flush()
            time.sleep(pause)
        ku.stdin.close()
        time.sleep(1.0)
    finally:
        for p in reversed(procs):
            p.send_signal(signal.SIGTERM)
        for p in reversed(procs):
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
    return (pcap, keys), None


EXPECT = [  # version, suite, resumed, hello_retry, client address family
    ("TLS1.3", "TLS_AES_256_GCM_SHA384", False, False),
    ("TLS1.3", "TLS_AES_256_GCM_SHA384", True, False),
    ("TLS1.3", "TLS_AES_256_GCM_SHA384", False, True),
    ("TLS1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", False, False),
    ("TLS1.2", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", False, False),
    ("TLS1.2", "TLS_RSA_WITH_AES_128_GCM_SHA256", False, False),
    ("TLS1.3", None, False, False),
    ("TLS1.2", None, False, False),
    ("TLS1.3", None, False, False),
    ("TLS1.3", "TLS_AES_256_GCM_SHA384", False, False),
]


# ---------- Reading pcapng and writing other link types ----------

def read_pcapng(path):
    """(link type, [(seconds, microseconds, frame)]) of a one-interface pcapng."""
    data = open(path, "rb").read()
    off, linktype, frames, resol = 0, None, [], 6
    while off + 12 <= len(data):
        btype, blen = struct.unpack_from("<II", data, off)
        body = data[off + 8:off + blen - 4]
        if btype == 1:
            linktype = struct.unpack_from("<H", body)[0]
            o = 8
            while o + 4 <= len(body):
                code, olen = struct.unpack_from("<HH", body, o)
                if code == 9:
                    resol = body[o + 4]
                if code == 0:
                    break
                o += 4 + (olen + 3) // 4 * 4
        elif btype == 6:
            _, hi, lo, caplen, _ = struct.unpack_from("<IIIII", body)
            ts = (hi << 32 | lo) * 10 ** 6 // 10 ** resol
            frames.append((ts // 10 ** 6, ts % 10 ** 6, body[20:20 + caplen]))
        off += blen
    return linktype, frames


def write_pcap(path, linktype, frames, endian="<"):
    with open(path, "wb") as f:
        f.write(struct.pack(endian + "IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, linktype))
        for sec, usec, frame in frames:
            f.write(struct.pack(endian + "IIII", sec, usec, len(frame), len(frame)))
            f.write(frame)


def ethertype(frame):
    return struct.unpack_from("!H", frame, 12)[0]


def to_bsd_loopback(frames, endian, v6_family):
    out = []
    for sec, usec, fr in frames:
        family = 2 if ethertype(fr) == 0x0800 else v6_family
        out.append((sec, usec, struct.pack(endian + "I", family) + fr[14:]))
    return out


def to_cooked(frames, version):
    """Linux cooked capture v1 (16-byte header) or v2 (20 bytes), as `-i any` writes."""
    out = []
    for sec, usec, fr in frames:
        proto, addr = fr[12:14], fr[6:12] + b"\0\0"
        head = (struct.pack("!HHH", 0, 772, 6) + addr + proto if version == 1
                else proto + b"\0\0" + struct.pack("!IHBB", 1, 772, 0, 6) + addr)
        out.append((sec, usec, head + fr[14:]))
    return out


def with_vlan(frames):
    return [(s, u, fr[:12] + b"\x81\x00\x00\x2a" + fr[12:]) for s, u, fr in frames]


def tcp_payload_len(fr):
    if ethertype(fr) == 0x0800:
        ihl = (fr[14] & 15) * 4
        total = struct.unpack_from("!H", fr, 16)[0]
        t = 14 + ihl
        return total - ihl - (fr[t + 12] >> 4) * 4
    t = 14 + 40
    return struct.unpack_from("!H", fr, 18)[0] - (fr[t + 12] >> 4) * 4


def direction(fr):
    """Source and destination address and port: one direction of one TCP stream."""
    if ethertype(fr) == 0x0800:
        t = 14 + (fr[14] & 15) * 4
        return fr[26:34] + fr[t:t + 4]
    return fr[22:54] + fr[54:58]


def partial(fr, keep):
    """The same TCP segment with only its first `keep` payload bytes."""
    cut = len(fr) - (tcp_payload_len(fr) - keep)
    out = bytearray(fr[:cut])
    if ethertype(fr) == 0x0800:
        struct.pack_into("!H", out, 16, struct.unpack_from("!H", fr, 16)[0] - (len(fr) - cut))
    else:
        struct.pack_into("!H", out, 18, struct.unpack_from("!H", fr, 18)[0] - (len(fr) - cut))
    return bytes(out)


def shuffled(frames):
    """Neighbouring data segments swapped (out of order), every third one sent twice (a
    retransmission), every fifth preceded by a copy of its first half (the whole one then
    overlaps it): the same streams once reassembled."""
    out = list(frames)
    by_direction = {}
    for i, (_, _, fr) in enumerate(frames):
        if tcp_payload_len(fr) > 0:
            by_direction.setdefault(direction(fr), []).append(i)
    for data in by_direction.values():
        for a, b in zip(data[0::2], data[1::2]):
            out[a], out[b] = out[b], out[a]
    result = []
    for n, item in enumerate(out):
        size = tcp_payload_len(item[2])
        if n % 5 == 0 and size > 1:
            result.append((item[0], item[1], partial(item[2], size // 2)))
        result.append(item)
        if n % 3 == 0 and size > 0:
            result.append(item)
    return result


def without_segment(frames, nth_big):
    """The capture minus the nth large data segment: a gap."""
    big = [i for i, (_, _, fr) in enumerate(frames) if tcp_payload_len(fr) > 1000]
    drop = big[nth_big]
    return [f for i, f in enumerate(frames) if i != drop]


# ---------- The oracle ----------

# The servers' ports in the real capture: tshark is told they carry TLS, since its heuristic
# dissectors may claim a stream first (one run's connection from port 57000 was read as IRC).
TLS_PORTS = []


def tshark_fields(pcap, keys, filt, *fields):
    args = ["tshark", "-r", pcap, "-Y", filt, "-T", "fields", "-E", "separator=|",
            "-E", "aggregator=,", "--disable-protocol", "http"]
    for p in TLS_PORTS:
        args += ["-d", f"tcp.port=={p},tls"]
    if keys:
        args += ["-o", f"tls.keylog_file:{keys}"]
    for f in fields:
        args += ["-e", f]
    out = subprocess.run(args, capture_output=True, text=True, timeout=120).stdout
    return [line.split("|") for line in out.splitlines()]


def oracle(pcap, keys):
    """Per TCP stream: handshake types in order, hello fields, decrypted bytes per port."""
    streams = {}
    for stream, types in tshark_fields(pcap, keys, "tls.handshake", "tcp.stream", "tls.handshake.type"):
        streams.setdefault(int(stream), {"types": [], "app": {}})["types"] += [int(t) for t in types.split(",") if t]
    for stream, typ, rnd, suite, sni in tshark_fields(
            pcap, keys, "tls.handshake.type==1 || tls.handshake.type==2", "tcp.stream",
            "tls.handshake.type", "tls.handshake.random", "tls.handshake.ciphersuite",
            "tls.handshake.extensions_server_name"):
        s = streams[int(stream)]
        for t, r in zip(typ.split(","), rnd.split(",")):
            if t == "1":
                s.setdefault("client_random", r.replace(":", ""))
            elif t == "2":
                s["server_random"] = r.replace(":", "")
        if "2" in typ.split(","):
            s["suite"] = int(suite.split(",")[-1], 16) if suite.startswith("0x") else int(suite.split(",")[-1])
        if sni:
            s["sni"] = sni
    for stream, sport, data in tshark_fields(pcap, keys, "data", "tcp.stream", "tcp.srcport", "data.data"):
        app = streams.setdefault(int(stream), {"types": [], "app": {}})["app"]
        app[int(sport)] = app.get(int(sport), "") + data.replace(",", "").replace(":", "")
    return [streams[k] for k in sorted(streams)]


def transcript(pcap, *args):
    out = os.path.join(work, "t.json")
    if os.path.exists(out):
        os.remove(out)
    r = lab("--headless", f"--transcript={out}", *args, pcap)
    if r.returncode != 0:
        return None, r
    with open(out, encoding="utf-8") as f:
        return json.load(f), r


def lab_view(conn):
    types = [s["handshake_type"] for s in conn["steps"]
             if s["content_type"] == 22 and s["handshake_type"] is not None
             and (not s["encrypted"] or s.get("plaintext"))]
    app = {}
    for s in conn["steps"]:
        if s["message"] == "ApplicationData" and s.get("plaintext"):
            app[s["from"]] = app.get(s["from"], "") + s["plaintext"]
    return types, app


def compare(name, j, o, listing):
    check(j and len(j["connections"]) == len(o),
          f"{name}: the lab finds the {len(o)} TLS connections tshark finds",
          f"lab {j and len(j['connections'])}")
    if not j:
        return
    for i, (c, t) in enumerate(zip(j["connections"], o), 1):
        types, app = lab_view(c)
        check(types == t["types"], f"{name}, connection {i}: every handshake message, in tshark's order",
              f"lab {types} tshark {t['types']}")
        sec = c["secrets"]
        check(sec.get("client_random") == t.get("client_random")
              and sec.get("server_random") == t.get("server_random")
              and c["negotiated"]["cipher_suite_id"] == t.get("suite")
              and c["negotiated"]["server_name"] == t.get("sni"),
              f"{name}, connection {i}: both randoms, the suite and the SNI as tshark reads them",
              f"lab {sec.get('client_random')} {c['negotiated']} tshark {t}")
        # Decrypted bytes: the server's port says which direction tshark saw.
        server_port = int(listing[i - 1][2].rsplit(":", 1)[1])
        want = {"client": t["app"].get(next((p for p in t["app"] if p != server_port), -1), ""),
                "server": t["app"].get(server_port, "")}
        check(app.get("client", "") == want["client"] and app.get("server", "") == want["server"]
              and (want["server"] or not c["steps"]),
              f"{name}, connection {i}: every decrypted application byte, both ways, as tshark's",
              f"lab {len(app.get('client', ''))}/{len(app.get('server', ''))} hex digits, "
              f"tshark {len(want['client'])}/{len(want['server'])}")


def listing_of(pcap, *args):
    r = lab("--list-connections", *args, pcap)
    return [line.split("\t") for line in r.stdout.splitlines()], r


# ---------- The tests ----------

made, why = make_captures()
if not made:
    sys.exit(tap.skip_all(f"no capture could be made here: {why}"))
pcap, keys = made

rows, r = listing_of(pcap, f"--secrets={keys}")
check(r.returncode == 0 and len(rows) == len(EXPECT),
      f"--list-connections: one line per connection ({len(EXPECT)})", r.stdout + r.stderr)
ok = len(rows) == len(EXPECT)
for i, (row, (version, suite, _, _)) in enumerate(zip(rows, EXPECT), 1):
    ok &= (row[0] == str(i) and row[4] == version and (suite is None or row[5] == suite)
           and row[7] == "keys known" and row[6].endswith(" messages"))
check(ok, "--list-connections: number, version, suite, message count, keys known", r.stdout)
check(len(rows) == len(EXPECT) and rows[0][3] == "localhost" and rows[8][1].startswith("[::1]:"),
      "--list-connections: the SNI, and an IPv6 client as [::1]:port", r.stdout)

j, r = transcript(pcap, f"--secrets={keys}")
base_json = j
check(j and len(rows) == len(j["connections"])
      and all(row[6] == f"{len(c['steps'])} messages" for row, c in zip(rows, j["connections"])),
      "--list-connections: each message count is that connection's steps in the transcript",
      str([row[6] for row in rows]))
compare("real capture", j, oracle(pcap, keys), rows)
if j:
    conns = j["connections"]
    fins = [s for c in conns for s in c["steps"] if s["message"] == "Finished"]
    check(len(fins) == 2 * len(EXPECT) and all("as on the wire" in (s.get("check") or "") for s in fins),
          "every Finished is recomputed from the key log and the recorded handshake, and matches",
          str([s.get("check") for s in fins if "as on the wire" not in (s.get("check") or "")]))
    check([c["resumed"] for c in conns] == [e[2] for e in EXPECT],
          "the resumed TLS 1.3 connection is recognised (PSK accepted), the others are not",
          str([c["resumed"] for c in conns]))
    check(not any(s["message"] == "Certificate" for s in conns[1]["steps"]),
          "the resumed connection has no Certificate")
    hs = [s["message"] for s in conns[2]["steps"] if s["content_type"] == 22]
    check(conns[2].get("hello_retry") is True
          and hs[:3] == ["ClientHello", "HelloRetryRequest", "ClientHello"],
          "HelloRetryRequest: ClientHello, HelloRetryRequest, ClientHello again; hello_retry true",
          str(hs[:4]))
    check(all(c["outcome"] == "success" for c in conns), "every connection completed")
    ku = conns[9]
    after_ku = [s for s in ku["steps"] if s["from"] == "client"]
    kui = [i for i, s in enumerate(after_ku) if s["message"] == "KeyUpdate"]
    check(kui and "client_application_traffic_secret_1" in ku["secrets"]
          and any(s["message"] == "ApplicationData" and s.get("plaintext") for s in after_ku[kui[0]:]),
          "KeyUpdate: traffic secret 1 derived, the client's data after it decrypted",
          str([s["message"] for s in after_ku]))
    sec = conns[3]["secrets"]
    check("master_secret" in sec and "key_block" in sec and "premaster_secret" not in sec
          and "client_key_share_private" not in sec,
          "TLS 1.2: master secret from the key log, key block derived, premaster never invented")
    c13 = conns[0]["secrets"]
    check(all(k in c13 for k in ("client_handshake_key", "server_application_iv", "server_finished_key"))
          and "handshake_secret" not in c13 and "shared_secret" not in c13,
          "TLS 1.3: keys, IVs and finished keys derived; handshake and shared secrets not invented")
    times = [[s.get("time_us", 0) for s in c["steps"]] for c in conns]
    check(all(t and t[0] > 1.6e15 and t == sorted(t) for t in times),
          "each step has its capture time (time_us), in order within its connection",
          str([t[:3] for t in times]))
    after = conns[0]["steps"][1]["client_after"]["knows"]
    check("client_handshake_traffic_secret" in after and "client_application_traffic_secret_0" not in after,
          "knowledge grows with the steps: handshake traffic secrets at ServerHello, not yet "
          "the application ones")

# Without keys: what an eavesdropper sees.
j, r = transcript(pcap)
if j:
    conns = j["connections"]
    enc = [s for c in conns for s in c["steps"] if s["encrypted"]]
    check(enc and not any(s.get("plaintext") for s in enc),
          "without keys: encrypted records are shown, none decrypted")
    check(any(s["message"] == "Certificate" and not s["encrypted"] for s in conns[3]["steps"])
          and conns[3]["steps"][0]["fields"],
          "without keys: TLS 1.2 hellos and certificate still decoded")
else:
    check(False, "without keys: the capture reads", r.stderr)
rows_nokeys, _ = listing_of(pcap)
check(rows_nokeys and all(row[7] == "keys not known" for row in rows_nokeys),
      "without keys: --list-connections says keys not known")

# --connection keeps only those.
j, r = transcript(pcap, f"--secrets={keys}", "--connection=3", "--connection=5")
check(j and len(j["connections"]) == 2 and j["connections"][0].get("hello_retry") is True
      and j["connections"][1]["negotiated"]["cipher_suite"] == "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
      "--connection=3 --connection=5 keeps those two, in order", r.stderr)
r = lab("--headless", "--connection=99", f"--secrets={keys}", pcap)
check(r.returncode == 2 and pcap in r.stderr and "--connection=99" in r.stderr,
      "--connection past the last: exit 2 naming the file and the option", r.stderr)

# The server's RSA private key alone: RSA key exchange opens, ECDHE and TLS 1.3 say why not.
key = os.path.join(PKI, "server-rsa.key")
rows_key, r = listing_of(pcap, f"--secrets={key}")
check(r.returncode == 0 and len(rows_key) == len(EXPECT)
      and [row[7] for row in rows_key] == ["keys known" if i == 5 else "keys not known" for i in range(len(EXPECT))],
      "--secrets=server.key: only the RSA key-exchange connection is opened", r.stdout + r.stderr)
check(len(rows_key) == len(EXPECT)
      and all(len(row) > 8 and ("forward secrecy" in row[8] if i != 1 else "resumes" in row[8])
              for i, row in enumerate(rows_key) if i != 5)
      and len(rows_key[5]) == 8,
      "--secrets=server.key: every other connection says why the key cannot help (forward "
      "secrecy; a resumed session)", r.stdout)
jk, r = transcript(pcap, f"--secrets={key}", "--connection=6")
if jk and base_json:
    ck, cl = jk["connections"][0], base_json["connections"][5]
    check(ck["secrets"].get("master_secret") == cl["secrets"].get("master_secret")
          and "premaster_secret" in ck["secrets"] and lab_view(ck) == lab_view(cl)
          and all("as on the wire" in (s.get("check") or "") for s in ck["steps"] if s["message"] == "Finished"),
          "RSA key exchange from the private key alone: the premaster, and the key log's master "
          "secret (extended master secret), the same decrypted bytes, both Finished verified")
    pm = [s for s in ck["steps"] if "premaster_secret" in s["server_after"]["knows"]]
    check(pm and pm[0]["message"] == "ClientKeyExchange",
          "the premaster is held from the ClientKeyExchange on")
else:
    check(False, "RSA key exchange from the private key alone", r.stderr)
# An EC key opens static ECDH only (none here): every connection stays closed and says why.
rows_ec, r = listing_of(pcap, f"--secrets={os.path.join(PKI, 'server-ecdsa-p256.key')}")
check(r.returncode == 0 and len(rows_ec) == len(EXPECT)
      and all(row[7] == "keys not known" and len(row) > 8 for row in rows_ec),
      "an EC private key: read (static ECDH needs one), opens none of these connections, and "
      "each says why", r.stdout + r.stderr)

# Other link types and shapes of the same traffic.
linktype, frames = read_pcapng(pcap)
base, _ = transcript(pcap, f"--secrets={keys}")


def per_direction(a):
    return a and [{side: [(s["message"], s["wire"]) for s in c["steps"] if s["from"] == side]
                   for side in ("client", "server")} for c in a["connections"]]


def same_steps(a, b):
    return a and b and [[(s["from"], s["message"], s["wire"]) for s in c["steps"]] for c in a["connections"]] == \
        [[(s["from"], s["message"], s["wire"]) for s in c["steps"]] for c in b["connections"]]


for name, lt, fr, endian in (("BSD loopback, little-endian, IPv6 family 30", 0,
                              to_bsd_loopback(frames, "<", 30), "<"),
                             ("BSD loopback, big-endian, IPv6 family 24", 0,
                              to_bsd_loopback(frames, ">", 24), ">"),
                             ("Ethernet with 802.1Q VLAN tags", 1, with_vlan(frames), "<"),
                             ("Linux cooked capture v1", 113, to_cooked(frames, 1), "<"),
                             ("Linux cooked capture v2", 276, to_cooked(frames, 2), "<"),
                             ("raw IP", 101, [(a, b, fr[14:]) for a, b, fr in frames], "<"),
                             ("segments reordered, repeated", 1, shuffled(frames), "<")):
    path = os.path.join(work, name.split(",")[0].replace(" ", "-") + f"-{lt}-{endian == '>'}.pcap")
    write_pcap(path, lt, fr, endian)
    j, r = transcript(path, f"--secrets={keys}")
    if "reordered" in name:
        # Reordering moves when a message is complete, so the two directions may
        # interleave differently; each direction's messages are the same.
        check(j and per_direction(base) == per_direction(j),
              f"{name}: each direction's messages the same", r.stderr)
    else:
        check(same_steps(base, j), f"{name}: the same connections and messages", r.stderr)

# A lost segment: its connection stops with a note; the others are whole.
gap = os.path.join(work, "gap.pcap")
write_pcap(gap, 1, without_segment(frames, 0), "<")
rows_gap, r = listing_of(gap, f"--secrets={keys}")
noted = [row for row in rows_gap if len(row) > 8 and "TCP gap" in row[8]]
check(r.returncode == 0 and len(rows_gap) == len(EXPECT) and len(noted) == 1
      and "stream offset" in noted[0][8] and "packet" in noted[0][8],
      "a lost segment: that connection says where its TCP gap is, the others read on",
      r.stdout + r.stderr)

# A cut file: what it holds, and where it was cut.
cut = os.path.join(work, "cut.pcapng")
raw = open(pcap, "rb").read()
open(cut, "wb").write(raw[:len(raw) * 2 // 3])
rows_cut, r = listing_of(cut, f"--secrets={keys}")
check(r.returncode == 0 and 0 < len(rows_cut) < len(EXPECT) + 1 and cut in r.stderr
      and "cut short after packet" in r.stderr,
      "a truncated capture: lists what it holds, says (with its name) after which packet it "
      "was cut", r.stderr)

# Garbage and an unsupported link type.
garbage = os.path.join(work, "garbage.pcap")
open(garbage, "wb").write(b"\xd4\xc3\xb2\xa1" + os.urandom(200))
r = lab("--headless", garbage)
check(r.returncode == 2 and garbage in r.stderr and "not a capture" in r.stderr,
      "garbage after a pcap magic: exit 2 with the file's name and libpcap's reason", r.stderr)
odd = os.path.join(work, "usb.pcap")
write_pcap(odd, 189, frames[:3], "<")
r = lab("--headless", odd)
check(r.returncode == 2 and odd in r.stderr and "link type 189" in r.stderr,
      "an unsupported link type: exit 2 with the file's name and the link type", r.stderr)
bad_keys = os.path.join(work, "bad-keys.txt")
open(bad_keys, "w").write("# comment\n\nCLIENT_RANDOM 12zz 00\n")
r = lab("--headless", f"--secrets={bad_keys}", pcap)
check(r.returncode == 2 and f"{bad_keys}:3:" in r.stderr,
      "a key log with a bad line: exit 2 with FILE:LINE", r.stderr)

# A packet time past 2^63 microseconds (a damaged pcapng timestamp) is shown as none.
huge = os.path.join(root, "fuzz", "corpus", "capture", "regression-huge-time.pcapng")
jh, r = transcript(huge)
check(jh and jh["connections"][0]["steps"] and "time_us" not in jh["connections"][0]["steps"][0]
      and jh["connections"][0]["steps"][1].get("time_us", 0) > 0,
      "a packet time past 2^63 microseconds: that step has no time, the next ones do", r.stderr)

# Every export works on a capture; its own pcapng reads back with the same messages.
outs = {ext: os.path.join(work, f"out.{ext}") for ext in ("json", "md", "png", "svg", "pdf", "html", "pcapng")}
r = lab("--headless", f"--secrets={keys}", f"--transcript={outs['json']}", f"--png={outs['png']}",
        f"--svg={outs['svg']}", f"--pdf={outs['pdf']}", f"--html={outs['html']}",
        f"--pcapng={outs['pcapng']}", pcap)
check(r.returncode == 0 and all(os.path.getsize(p) > 0 for e, p in outs.items() if e != "md"),
      "JSON, PNG, SVG, PDF, HTML and pcapng exports of a capture", r.stderr)
again, r = transcript(outs["pcapng"])
check(same_steps(base, again) and again["connections"][0]["secrets"] == base["connections"][0]["secrets"],
      "the capture's own --pcapng export (secrets embedded) reads back with the same messages "
      "and secrets, no --secrets needed", r.stderr)

# Round trip of every bundled lesson: its --pcapng, read back, gives the same messages,
# fields, records, negotiated values and the secrets a key log carries.
KEYLOG_SECRETS = {"client_random", "server_random", "master_secret", "key_block",
                  "client_handshake_traffic_secret", "server_handshake_traffic_secret",
                  "client_application_traffic_secret_0", "server_application_traffic_secret_0",
                  "exporter_master_secret", "client_verify_data", "server_verify_data"}
# A fault changes what was delivered, and the pcapng holds what was delivered: read back,
# the delivered messages are the same, except where the fault leaves bytes an observer
# cannot read as the endpoints did.
UNREADABLE = {
    # The client's Finished goes out encrypted with no ChangeCipherSpec before it: on the
    # wire it is a handshake record like any plaintext one, and reads as such.
    "22-fault-dropped-ccs.scenario",
    # A flipped bit in an encrypted record: its AEAD tag fails, so no key opens it.
    "36b-tls13-flipped-record.scenario",
}


def field_tree(fields):
    return [(f["name"], f["value"], f["offset"], f["length"], field_tree(f["children"]))
            for f in fields]


bad = []
compared = {"messages": 0, "delivered": 0}
lessons = sorted(f for f in os.listdir(os.path.join(root, "scenarios")) if f.endswith(".scenario"))
for lesson in lessons:
    path = os.path.join(root, "scenarios", lesson)
    live_json, cap = os.path.join(work, "live.json"), os.path.join(work, "live.pcapng")
    r = lab("--headless", f"--transcript={live_json}", f"--pcapng={cap}", path)
    if r.returncode not in (0, 3):
        bad.append(f"{lesson}: {r.stderr.strip()}")
        continue
    live = json.load(open(live_json, encoding="utf-8"))
    rec, r = transcript(cap)
    if not rec:
        bad.append(f"{lesson}: {r.stderr.strip()}")
        continue
    changed = any(s["fault"] or not s["delivered"] for c in live["connections"] for s in c["steps"])
    if changed:
        if lesson not in UNREADABLE:
            lm = [(s["from"], s["message"], s.get("delivered_wire", s["wire"]))
                  for c in live["connections"] for s in c["steps"] if s["delivered"]]
            rm = [(s["from"], s["message"], s["wire"]) for c in rec["connections"] for s in c["steps"]]
            if lm != rm:
                bad.append(f"{lesson}: the delivered messages differ")
            compared["delivered"] += 1
    else:
        compared["messages"] += 1
    for lc, rc_ in zip(live["connections"], rec["connections"]):
        if not changed:
            lm = [(s["from"], s["message"], s["wire"], s.get("plaintext")) for s in lc["steps"]]
            rm = [(s["from"], s["message"], s["wire"], s.get("plaintext")) for s in rc_["steps"]]
            if lm != rm:
                bad.append(f"{lesson}: connection {lc['index']}: messages differ")
            for a, b in zip(lc["steps"], rc_["steps"]):
                if field_tree(a["fields"]) != field_tree(b["fields"]):
                    bad.append(f"{lesson}: step {a['index']} ({a['message']}): fields differ")
                if a["records"] != b["records"]:
                    bad.append(f"{lesson}: step {a['index']} ({a['message']}): records differ")
            for k, v in lc["negotiated"].items():
                # A client that refused the certificate never took the server's key share;
                # the wire still names the server's curve.
                if k == "curve" and lc["outcome"] != "success":
                    continue
                if rc_["negotiated"].get(k) != v:
                    bad.append(f"{lesson}: negotiated {k}: {v} live, {rc_['negotiated'].get(k)} read back")
        for k in KEYLOG_SECRETS if not changed else ():
            if lc["negotiated"]["version"] == "TLS1.3" and k in ("master_secret", "key_block"):
                continue  # TLS 1.3 key logs carry traffic secrets, not these
            if k in rc_["secrets"] and rc_["secrets"][k] != lc["secrets"].get(k):
                bad.append(f"{lesson}: {k} differs")
            if k in lc["secrets"] and k not in rc_["secrets"] and lc["outcome"] == "success":
                bad.append(f"{lesson}: {k} missing")
    if len(live["connections"]) != len(rec["connections"]):
        bad.append(f"{lesson}: {len(live['connections'])} connections live, {len(rec['connections'])} read back")
check(lessons and not bad and compared["messages"] + compared["delivered"] + len(UNREADABLE) == len(lessons),
      f"every bundled lesson ({len(lessons)}): its own pcapng reads back with the same messages, "
      f"fields, records, negotiated values and the secrets a key log carries "
      f"({compared['messages']}), or with a fault the same delivered messages "
      f"({compared['delivered']}; {len(UNREADABLE)} unreadable by design)", "; ".join(bad[:8]))

sys.exit(tap.report(results))

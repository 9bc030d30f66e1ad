"""Captures of any size are read as a stream (issue 19): memory grows with the TLS
connections kept, not with the file. Not timed: each check compares peak memory (the
child's ru_maxrss from wait4) with that of the same command on a small capture.

- make-big-capture (the lab's own pcapng writer) makes a small capture (8 connections)
  and a large one (320 connections of 200 kB each, about 65 MB);
- --list-connections lists all 320, with the message counts and keys a full read gives,
  in at most the small capture's peak plus 24 MiB (whole-file buffering needs 65 more);
- --connection=N keeps one connection: a full headless run of it on the large capture
  stays under the same bound;
- a 48 MB TCP stream that is not TLS, beside one TLS connection, is dropped as soon as its
  first bytes say so: the same bound.

    test-capture-stream.py HANDSHAKE_LAB MAKE_BIG_CAPTURE WORK_DIR
"""
import json
import os
import shutil
import struct
import subprocess
import sys

import tap

exe, maker, work = sys.argv[1], sys.argv[2], sys.argv[3]
results = []
MIB = 1024  # ru_maxrss is in KiB
BOUND = 24 * MIB


def check(ok, what, detail=""):
    if not ok and detail:
        sys.stderr.write(f"{what}: {detail}\n")
    results.append((bool(ok), what))


def env():
    e = dict(os.environ)
    # Under AddressSanitizer freed memory waits in a quarantine (256 MB by default), which
    # would count as growth: a small one keeps the comparison about our own memory.
    if "ASAN_OPTIONS" in e:
        e["ASAN_OPTIONS"] += ":quarantine_size_mb=4"
    return e


# The child's peak is measured by a small Python of its own: a child forked from this
# one, which holds a large capture's frames at times, would start with its peak.
MEASURE = """
import os, subprocess, sys
p = subprocess.Popen(sys.argv[2:], stdout=open(sys.argv[1] + ".out", "wb"),
                     stderr=open(sys.argv[1] + ".err", "wb"))
_, status, ru = os.wait4(p.pid, 0)
open(sys.argv[1], "w").write(f"{os.waitstatus_to_exitcode(status)} {ru.ru_maxrss}")
"""


def peak(*args):
    """Runs handshake-lab; (exit status, stdout, stderr, peak resident KiB)."""
    at = os.path.join(work, "peak")
    subprocess.run([sys.executable, "-c", MEASURE, at, exe, *args], env=env(), timeout=600)
    status, kib = (int(x) for x in open(at).read().split())
    return (status, open(at + ".out", encoding="utf-8").read(),
            open(at + ".err", encoding="utf-8").read(), kib)


def make(path, n, size):
    r = subprocess.run([maker, path, str(n), str(size)], capture_output=True, text=True,
                       timeout=600)
    return r.returncode == 0 and os.path.getsize(path) > n * size, r.stderr


def frames_of(path):
    """The Ethernet frames of a pcapng from make-big-capture (little-endian)."""
    data, off, frames = open(path, "rb").read(), 0, []
    while off + 12 <= len(data):
        btype, blen = struct.unpack_from("<II", data, off)
        if btype == 6:
            caplen = struct.unpack_from("<I", data, off + 20)[0]
            frames.append(data[off + 28:off + 28 + caplen])
        off += blen
    return frames


def plain_stream(total):
    """Ethernet/IPv4/TCP frames of one HTTP download of `total` bytes (not TLS)."""
    def frame(src, dst, sport, dport, seq, flags, payload):
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40 + len(payload), 0, 0, 64, 6, 0,
                         bytes(src), bytes(dst))
        tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, 0, 5 << 4, flags, 65535, 0, 0)
        return b"\x02\0\0\0\0\x01\x02\0\0\0\0\x02\x08\x00" + ip + tcp + payload
    c, s = (198, 51, 100, 1), (198, 51, 100, 2)
    yield frame(c, s, 40000, 80, 0, 0x02, b"")
    yield frame(s, c, 80, 40000, 0, 0x12, b"")
    yield frame(c, s, 40000, 80, 1, 0x18, b"GET /big HTTP/1.1\r\nHost: example\r\n\r\n")
    chunk = b"HTTP/1.1 200 OK\r\n" + b"x" * 1400
    for seq in range(1, total, len(chunk)):
        yield frame(s, c, 80, 40000, seq, 0x18, chunk)


def write_pcap(path, frame_lists):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        t = 0
        for frames in frame_lists:
            for fr in frames:
                t += 10
                f.write(struct.pack("<IIII", 1767225600 + t // 10 ** 6, t % 10 ** 6, len(fr),
                                    len(fr)))
                f.write(fr)


if os.path.isdir(work):
    shutil.rmtree(work)
os.makedirs(work)
small, large = os.path.join(work, "small.pcapng"), os.path.join(work, "large.pcapng")
N = 320
ok_small, why_small = make(small, 8, 200000)
ok_large, why_large = make(large, N, 200000)
check(ok_small and ok_large, f"make-big-capture writes a small capture and a large one "
      f"({N} connections, {os.path.getsize(large) // 2 ** 20 if ok_large else 0} MiB)",
      why_small + why_large)
if not (ok_small and ok_large):
    sys.exit(tap.report(results))
size_kib = os.path.getsize(large) // 1024

# --list-connections: one summary per connection, each dropped when its stream closes.
st_s, out_s, err_s, kib_s = peak("--list-connections", small)
st_l, out_l, err_l, kib_l = peak("--list-connections", large)
rows = [line.split("\t") for line in out_l.splitlines()]
check(st_s == 0 and st_l == 0 and len(rows) == N
      and all(r[0] == str(i) and r[7] == "keys known" for i, r in enumerate(rows, 1)),
      f"--list-connections lists the {N} connections of the large capture, keys known",
      err_s + err_l + out_l[-500:])
check(kib_l <= kib_s + BOUND and BOUND < size_kib / 2,
      f"--list-connections on {size_kib // MIB} MiB peaks at {kib_l // MIB} MiB, at most "
      f"{BOUND // MIB} MiB above its {kib_s // MIB} MiB on the small capture",
      f"small {kib_s} KiB, large {kib_l} KiB")

# The listing counts what a full read makes steps of.
transcript = os.path.join(work, "small.json")
r = subprocess.run([exe, "--headless", f"--transcript={transcript}", small],
                   capture_output=True, text=True, timeout=300, env=env())
small_rows = [line.split("\t") for line in out_s.splitlines()]
full = json.load(open(transcript, encoding="utf-8")) if r.returncode == 0 else None
check(full and len(full["connections"]) == len(small_rows) == 8
      and all(row[6] == f"{len(c['steps'])} messages" and row[3] == c["negotiated"]["server_name"]
              for row, c in zip(small_rows, full["connections"])),
      "each connection's message count and SNI in the listing are those of the full read",
      r.stderr + out_s)

# --connection=N: one connection kept, the others hold no bytes.
json_out = os.path.join(work, "one.json")
st1, _, err1, kib1_s = peak("--headless", "--connection=4", f"--transcript={json_out}", small)
st2, _, err2, kib1_l = peak("--headless", f"--connection={N - 4}", f"--transcript={json_out}",
                            large)
one = json.load(open(json_out, encoding="utf-8")) if st2 == 0 else None
check(st1 == 0 and one and len(one["connections"]) == 1 and len(one["connections"][0]["steps"]) > 10,
      f"--connection={N - 4} on the large capture: that connection, whole", err1 + err2)
check(kib1_l <= kib1_s + BOUND,
      f"--connection=N on {size_kib // MIB} MiB peaks at {kib1_l // MIB} MiB, at most "
      f"{BOUND // MIB} MiB above its {kib1_s // MIB} MiB on the small capture",
      f"small {kib1_s} KiB, large {kib1_l} KiB")

# A large TCP stream that is not TLS is dropped from its first bytes on.
tls = frames_of(small)
mixed, alone = os.path.join(work, "mixed.pcap"), os.path.join(work, "alone.pcap")
write_pcap(alone, [tls])
write_pcap(mixed, [plain_stream(48 * 2 ** 20), tls])
st3, out3, err3, kib3_s = peak("--list-connections", alone)
st4, out4, err4, kib3_l = peak("--list-connections", mixed)
check(st3 == 0 and st4 == 0 and out3 == out4 and len(out4.splitlines()) == 8,
      "a 48 MiB HTTP download beside the TLS connections: the same listing, it is not TLS",
      err3 + err4)
check(kib3_l <= kib3_s + BOUND,
      f"with the 48 MiB stream that is not TLS it peaks at {kib3_l // MIB} MiB, at most "
      f"{BOUND // MIB} MiB above the {kib3_s // MIB} MiB without it",
      f"without {kib3_s} KiB, with {kib3_l} KiB")

shutil.rmtree(work)
sys.exit(tap.report(results))

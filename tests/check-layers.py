"""The layers' boundaries hold in the build, not only in the docs.

Outside src/engine/, no source may include a TLS library (BearSSL, OpenSSL) or a header
private to the engine, and the build makes it impossible: each layer is compiled with a
guard folder whose bearssl*.h and openssl/*.h stop the compiler, and only the engine's
public headers (src/engine/include/) are handed on. Outside src/capture/, no source may
include libpcap (the window opens captures through hl-capture-reader.h). Two checks, TAP
output:
- every #include of every file in src/diagram, src/session, src/ui, src/cli and src/capture;
- the real compile command of one file of each layer (compile_commands.json), given a
  probe source: including a TLS header or a private one must fail, including the
  engine's public API must build (so the probe itself is sound).

    check-layers.py SOURCE_ROOT BUILD_ROOT
"""
import glob
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

import tap

root, build = sys.argv[1], sys.argv[2]
LAYERS = ["src/diagram", "src/session", "src/ui", "src/cli", "src/capture"]
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]', re.M)
engine_private = sorted(os.path.basename(p)
                        for p in glob.glob(os.path.join(root, "src", "engine", "*.h")))


def forbidden(header, layer):
    name = os.path.basename(header)
    if header.startswith("openssl/") or name.startswith("bearssl"):
        return "a TLS library"
    if name in engine_private:
        return "a header private to the engine"
    # libpcap is the capture layer's own: the others use its API (hl-capture-reader.h).
    if layer != "src/capture" and (header.startswith("pcap") or name == "hl-capture-private.h"):
        return "libpcap, which only src/capture may include"
    return None


results = [(len(engine_private) > 0, f"the engine has private headers ({len(engine_private)})")]
for layer in LAYERS:
    bad = []
    for path in sorted(glob.glob(os.path.join(root, layer, "**", "*.[ch]"), recursive=True)):
        with open(path, encoding="utf-8") as f:
            for header in INCLUDE.findall(f.read()):
                why = forbidden(header, layer)
                if why:
                    bad.append(f"{os.path.relpath(path, root)} includes {header} ({why})")
    for line in bad:
        sys.stderr.write(line + "\n")
    results.append((not bad, f"no file in {layer} includes a TLS library, a private header"
                             + (" or libpcap" if layer != "src/capture" else "")))

with open(os.path.join(build, "compile_commands.json"), encoding="utf-8") as f:
    commands = json.load(f)


def command_for(layer):
    for entry in commands:
        rel = os.path.relpath(os.path.join(entry["directory"], entry["file"]), root)
        if rel.startswith(layer + "/") and rel.endswith(".c"):
            return entry
    return None


def compiles(entry, include):
    """Compiles a probe including `include` with the entry's own flags."""
    args = shlex.split(entry["command"])
    kept, skip = [], False
    for a in args:
        if skip:
            skip = False
            continue
        if a in ("-o", "-MF", "-MQ", "-MT", "-c"):
            skip = a != "-c"
            continue
        if a == entry["file"] or a == "-MD":
            continue
        kept.append(a)
    with tempfile.TemporaryDirectory() as tmp:
        probe = os.path.join(tmp, "probe.c")
        with open(probe, "w", encoding="utf-8") as f:
            f.write(f"#include {include}\nint hl_probe;\n")
        done = subprocess.run(kept + ["-c", probe, "-o", os.path.join(tmp, "probe.o")],
                              cwd=entry["directory"], capture_output=True, text=True)
        return done.returncode == 0, done.stderr


for layer in LAYERS:
    entry = command_for(layer)
    results.append((entry is not None, f"{layer} has a compile command"))
    if entry is None:
        continue
    ok, err = compiles(entry, '"hl-run.h"')
    if not ok:
        sys.stderr.write(err)
    results.append((ok, f"{layer} can include the engine's public API (hl-run.h)"))
    for header in ["<bearssl.h>", "<openssl/ssl.h>", "<openssl/evp.h>", '"hl-run-private.h"',
                   '"hl-ossl.h"']:
        ok, _ = compiles(entry, header)
        results.append((not ok, f"{layer} cannot include {header}"))

sys.exit(tap.report(results))

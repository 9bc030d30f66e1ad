"""The program holds no path of the machine that built it, outside its debug information:
an installed handshake-lab finds its lessons in its own data folder, never in the source
tree it was built from (src/engine/hl-data.c; a build-tree binary finds that through the
uninstalled marker file). TAP output.

    check-no-build-paths.py EXECUTABLE SOURCE_ROOT BUILD_ROOT
"""
import os
import shutil
import subprocess
import sys
import tempfile

import tap

exe, source_root, build_root = sys.argv[1:4]
with tempfile.TemporaryDirectory() as tmp:
    stripped = os.path.join(tmp, "handshake-lab")
    done = subprocess.run(["objcopy", "--strip-debug", exe, stripped], capture_output=True)
    with open(stripped if done.returncode == 0 else exe, "rb") as f:
        data = f.read()
results = [(done.returncode == 0, "objcopy strips the debug information")]
for name, path in [("source", source_root), ("build", build_root)]:
    real = os.path.realpath(path).encode()
    results.append((real not in data, f"no {name} path ({real.decode()}) in the program"))
marker = os.path.join(build_root, "hl-uninstalled-datadir")
results.append((os.path.isfile(marker), "the build tree has its uninstalled marker"))
sys.exit(tap.report(results))

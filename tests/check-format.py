"""Every C file of the project follows .clang-format (a TAP line per folder; the files that
differ are named on standard error, with `clang-format -i FILE` as the fix).

    check-format.py SOURCE_ROOT CLANG_FORMAT
"""
import glob
import os
import re
import subprocess
import sys

import tap

root, clang_format = sys.argv[1], sys.argv[2]
FOLDERS = ["src/engine", "src/diagram", "src/session", "src/ui", "src/cli", "src/capture",
           "tests", "bench", "fuzz"]
files = {f: sorted(glob.glob(os.path.join(root, f, "**", "*.[ch]"), recursive=True))
         for f in FOLDERS}
every = [p for paths in files.values() for p in paths]
# One run for all files: clang-format names each file that differs in its warnings.
done = subprocess.run([clang_format, "--dry-run", "--style=file"] + every, cwd=root,
                      capture_output=True, text=True)
differ = {os.path.realpath(m) for m in re.findall(r"^(\S+?):\d+:\d+: (?:warning|error)",
                                                   done.stderr, re.M)}
results = [(done.returncode == 0, "clang-format ran")]
for folder, paths in files.items():
    if not paths:
        continue
    bad = [os.path.relpath(p, root) for p in paths if os.path.realpath(p) in differ]
    for rel in bad:
        sys.stderr.write(f"{rel}: not formatted as .clang-format says (clang-format -i {rel})\n")
    results.append((not bad, f"{folder}: {len(paths)} files follow .clang-format"))
sys.exit(tap.report(results))

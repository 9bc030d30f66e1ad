"""Every C file of the project follows .clang-format (a TAP line per folder; the files that
differ are named on standard error, with `clang-format -i FILE` as the fix).

    check-format.py SOURCE_ROOT CLANG_FORMAT
"""
import glob
import os
import subprocess
import sys

import tap

root, clang_format = sys.argv[1], sys.argv[2]
results = []
for folder in ["src/engine", "src/diagram", "src/session", "src/ui", "src/cli", "tests",
               "bench", "fuzz"]:
    files = sorted(glob.glob(os.path.join(root, folder, "**", "*.[ch]"), recursive=True))
    differ = []
    for path in files:
        done = subprocess.run([clang_format, "--dry-run", "-Werror", "--style=file", path],
                              cwd=root, capture_output=True, text=True)
        if done.returncode != 0:
            differ.append(os.path.relpath(path, root))
    for rel in differ:
        sys.stderr.write(f"{rel}: not formatted as .clang-format says (clang-format -i {rel})\n")
    results.append((files and not differ, f"{folder}: {len(files)} files follow .clang-format"))
sys.exit(tap.report(results))

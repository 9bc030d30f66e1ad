"""No engine source file over 1,000 lines (issue 18): a file that grows past it is split
by job, with a private header beside it (see hl-run-private.h). TAP output, one line per
file, so a failure names the file and its length.

    check-file-size.py SOURCE_ROOT
"""
import glob
import os
import sys

import tap

LIMIT = 1000

root = sys.argv[1]
paths = sorted(glob.glob(os.path.join(root, "src", "engine", "*.c")))
results = [(len(paths) > 0, f"src/engine has C files ({len(paths)})")]
for path in paths:
    with open(path, encoding="utf-8") as f:
        n = sum(1 for _ in f)
    results.append((n <= LIMIT, f"src/engine/{os.path.basename(path)}: {n} lines (at most {LIMIT})"))
sys.exit(tap.report(results))

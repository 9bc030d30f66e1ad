"""The leak checker can fail: a program of ours that leaks one g_strdup must be reported.

Run by meson under the same ASAN_OPTIONS and LSAN_OPTIONS (suppressions included) as every
other test of the sanitizer build. Arguments: the canary executable.
"""
import subprocess
import sys

from tap import report

canary = sys.argv[1]
done = subprocess.run([canary], capture_output=True, text=True, timeout=120)
err = done.stderr
results = [
    (done.returncode != 0, f"the leaking program fails (exit status {done.returncode})"),
    ("ERROR: LeakSanitizer: detected memory leaks" in err, "LeakSanitizer reports a leak"),
    ("g_strdup" in err and "leak-canary.c" in err,
     "the report names g_strdup and the line in leak-canary.c"),
]
if not all(ok for ok, _ in results):
    sys.stderr.write(err[-4000:])
sys.exit(report(results))

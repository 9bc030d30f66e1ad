"""The leak checker can fail: a program of ours that leaks one g_strdup must be reported.

Run by meson under the same ASAN_OPTIONS and LSAN_OPTIONS (suppressions included) as every
other test of the sanitizer build. The canary copies a string whose length this script
chooses, so the reported size shows that the leak found is that one. (With fast unwinding
the stack stops at g_malloc, since Debian's GLib has no frame pointers; rerun a failing test
with ASAN_OPTIONS=fast_unwind_on_malloc=0 to see our caller.) Arguments: the canary.
"""
import re
import subprocess
import sys

from tap import report

canary = sys.argv[1]
text = "a leak of our own, which the sanitizers must report: " + "x" * 37
done = subprocess.run([canary, text], capture_output=True, text=True, timeout=120)
err = done.stderr
sizes = [int(n) for n in re.findall(r"Direct leak of (\d+) byte", err)]
expected = len(text.encode()) + 1
results = [
    (done.returncode != 0, f"the leaking program fails (exit status {done.returncode})"),
    ("ERROR: LeakSanitizer: detected memory leaks" in err, "LeakSanitizer reports a leak"),
    (expected in sizes, f"the report has the canary's {expected}-byte string (found {sizes})"),
    ("g_malloc" in err, "the report's stack goes through GLib's allocator"),
]
if not all(ok for ok, _ in results):
    sys.stderr.write(err[-4000:])
sys.exit(report(results))

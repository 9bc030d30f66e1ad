"""A window test skips only where no display is named; where one is named but cannot be
opened it fails, and says which (an X server that refused a client while resetting once made
a window test skip inside CI's run, which then passed without it). Arguments: a window test.
"""
import os
import subprocess
import sys

from tap import report

test = sys.argv[1]
env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
none = subprocess.run([test, "--tap"], env=env, capture_output=True, text=True, timeout=120)
dead = subprocess.run([test, "--tap"], env=dict(env, DISPLAY=":9999"), capture_output=True,
                      text=True, timeout=120)
results = [
    (none.returncode == 0 and "1..0 # SKIP no display" in none.stdout,
     f"no display named: it skips (exit status {none.returncode})"),
    (dead.returncode != 0 and "# SKIP" not in dead.stdout,
     f"a display named but not there: it fails (exit status {dead.returncode})"),
    ("could not open the display (DISPLAY=:9999" in dead.stdout + dead.stderr,
     "and names the display it could not open"),
]
sys.exit(report(results))

#!/usr/bin/python3
"""The ladder as a screen reader sees it, over AT-SPI: the real program, on the
display and session bus the test runs in. After End, every step is a list item named
"Step N of M: message, from to to", and the focused one follows the keyboard.
Prints TAP. usage: a11y-steps.py HANDSHAKE_LAB_EXE
"""
import os
import subprocess
import sys
import tempfile
import time

import tap

exe = sys.argv[1]
results = []
if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    sys.exit(tap.skip_all("no display (CI runs the tests under Xvfb)"))

# Its own session bus: an accessibility bus another test (Chromium) started and left
# behind must not be the one the program joins. Services that bus starts write to its
# stdout, so the TAP is passed on here and anything else becomes a TAP comment.
if not os.environ.get("HL_A11Y_OWN_BUS"):
    inner = subprocess.run(["dbus-run-session", "--", sys.executable, __file__, exe],
                           env={**os.environ, "HL_A11Y_OWN_BUS": "1"},
                           stdout=subprocess.PIPE, text=True)
    for line in inner.stdout.splitlines():
        tap = line.startswith(("ok ", "not ok ", "1..", "#"))
        print(line if tap else f"# {line}")
    sys.exit(inner.returncode)

import pyatspi  # noqa: E402 (only on the test's own bus)


def check(ok, what):
    results.append((bool(ok), what))


def find_app():
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        app = desktop.getChildAtIndex(i)
        if app is not None and app.name in ("handshake-lab", "Handshake Lab"):
            return app
    return None


def list_items(node, found, depth=0):
    if node is None or depth > 40:
        return
    try:
        if node.getRole() == pyatspi.ROLE_LIST_ITEM and node.name.startswith("Step "):
            found.append(node)
        for i in range(node.childCount):
            list_items(node.getChildAtIndex(i), found, depth + 1)
    except Exception:
        pass


def xdotool(*args):
    return subprocess.run(["xdotool", *args], capture_output=True, text=True).stdout.strip()


env = dict(os.environ)
env.pop("GTK_A11Y", None)  # accessibility on: that is what is tested
# Start the accessibility bus and registry before the program: when both asked for them
# at once, the program sometimes waited on the bus for its whole 25-second timeout.
pyatspi.Registry.getDesktop(0)
log = tempfile.TemporaryFile(mode="w+")
proc = subprocess.Popen([exe, "01-rsa-key-exchange"], env=env, stdout=log, stderr=log)
try:
    app = None
    for _ in range(300):
        app = find_app()
        if app is not None:
            break
        time.sleep(0.1)
    check(app is not None, "the program is on the accessibility bus")
    window = ""
    for _ in range(50):
        window = xdotool("search", "--onlyvisible", "--pid", str(proc.pid))
        if window:
            break
        time.sleep(0.1)
    window = window.split()[0] if window else ""
    check(window, "its window is on the display")
    if window:
        xdotool("windowfocus", "--sync", window)
        xdotool("key", "--window", window, "End")
    items = []
    for _ in range(50):
        items = []
        list_items(app, items)
        if len(items) >= 13:
            break
        time.sleep(0.1)
    check(len(items) == 13, f"13 steps are list items after End ({len(items)})")
    names = [i.name for i in items]
    check(names and names[0].startswith("Step 1 of 13: ClientHello, client to server"),
          f"the first is named for people ({names[0] if names else None!r})")
    check(any(n.startswith("Step 5 of 13: ClientKeyExchange, client to server") for n in names),
          "ClientKeyExchange is step 5, client to server")
    check(items and all(i.getState().contains(pyatspi.STATE_FOCUSABLE) for i in items),
          "every step can take the keyboard focus")
except Exception as e:  # a broken bus or program is a failure, never a skip
    check(False, f"reading the accessibility tree: {e}")
finally:
    proc.terminate()
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()

log.seek(0)
for line in log.read().splitlines():  # what the program said, for a failure's reader
    print(f"# program: {line}")
sys.exit(tap.report(results))

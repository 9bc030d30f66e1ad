#!/usr/bin/python3
"""Typing in the tamper dialog with real key presses (xdotool), on the display the test runs
in. GTK 4.8 warned "Trying to snapshot GtkGizmo ... without a current allocation" (the trough
of the dialog's scrollbar) while a person typed there; a key press sent through GTK's own
handlers did not show it, so this test types as a person does. Any warning the program
prints is a failure. Prints TAP. usage: tamper-typing.py HANDSHAKE_LAB_EXE
"""
import os
import subprocess
import sys
import tempfile
import time

import tap

exe = sys.argv[1]
results = []

if not os.environ.get("DISPLAY"):
    sys.exit(tap.skip_all("no display (CI runs the tests under Xvfb)"))


def check(ok, what):
    results.append((bool(ok), what))


def xdotool(*args):
    return subprocess.run(["xdotool", *args], capture_output=True, text=True).stdout.split()


def windows(pid):
    return xdotool("search", "--onlyvisible", "--pid", str(pid))


log = tempfile.TemporaryFile(mode="w+")
proc = subprocess.Popen([exe, "01-rsa-key-exchange"], stdout=log, stderr=log)
try:
    found = []
    for _ in range(100):
        found = windows(proc.pid)
        if found:
            break
        time.sleep(0.1)
    check(found, "the window is on the display")
    if found:
        xdotool("windowfocus", "--sync", found[0])
        xdotool("key", "ctrl+t")
        for _ in range(50):
            if len(windows(proc.pid)) >= 2:
                break
            time.sleep(0.1)
        check(len(windows(proc.pid)) >= 2, "Ctrl+T opens the tamper dialog")
        time.sleep(0.5)
        xdotool("key", "ctrl+a", "BackSpace")
        # Long lines that wrap, then lines past the box's height: the scrollbar appears and
        # follows the cursor.
        for _ in range(5):
            xdotool("type", "--delay", "15", "0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f" * 2 + " ")
        for _ in range(14):
            xdotool("key", "Return")
            xdotool("type", "ab")
        time.sleep(1)
    check(proc.poll() is None, "the program is still running")
finally:
    proc.terminate()
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()

log.seek(0)
said = log.read().splitlines()
warnings = [line for line in said if "-WARNING" in line or "-CRITICAL" in line]
check(not warnings, f"no warning while typing ({len(warnings)})")
for line in said:  # what the program said, for a failure's reader
    print(f"# program: {line}")
sys.exit(tap.report(results))

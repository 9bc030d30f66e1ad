#!/usr/bin/python3
"""po/POTFILES names every file whose strings are marked for translation, and nothing that
is not there: C files with _ ( N_ ( or P_ ( marks, and templates with translatable="yes".
TAP output.

    check-potfiles.py SOURCE_ROOT
"""
import glob
import os
import re
import sys

import tap

C_MARK = re.compile(r'\b(?:_|N_|P_) \(')


def marked_files(root):
    found = set()
    for path in glob.glob(os.path.join(root, "src", "**", "*.c"), recursive=True):
        rel = os.path.relpath(path, root)
        if rel == "src/engine/hl-i18n.c":
            continue  # defines the marks; its two words are in hl-i18n's header comment
        with open(path, encoding="utf-8") as f:
            if C_MARK.search(f.read()):
                found.add(rel)
    for path in glob.glob(os.path.join(root, "ui", "**", "*.ui"), recursive=True):
        with open(path, encoding="utf-8") as f:
            if 'translatable="yes"' in f.read():
                found.add(os.path.relpath(path, root))
    return found


def main():
    root = sys.argv[1]
    with open(os.path.join(root, "po", "POTFILES"), encoding="utf-8") as f:
        listed = [l.strip() for l in f if l.strip() and not l.startswith("#")]
    results = []
    for rel in sorted(marked_files(root)):
        results.append((rel in listed, f"{rel} has marked strings and is in po/POTFILES"))
    for rel in listed:
        results.append((os.path.isfile(os.path.join(root, rel)), f"po/POTFILES: {rel} exists"))
    return tap.report(results)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""The metainfo's screenshots are files of this repository: each <image> URL names a PNG
under data/screenshots/ (where the published repository serves it), the file is there, and
its size is the one the metainfo states. TAP output.

    check-screenshots.py METAINFO SOURCE_ROOT
"""
import os
import struct
import sys

import tap
import xml.etree.ElementTree as ET

PREFIX = "https://raw.githubusercontent.com/handshakelab/HandshakeLab/main/"


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", head[16:24])


def main():
    metainfo, root = sys.argv[1], sys.argv[2]
    shots = ET.parse(metainfo).getroot().findall("./screenshots/screenshot")
    results = []
    if not shots:
        results.append((False, "the metainfo has at least one screenshot"))
    defaults = [s for s in shots if s.get("type") == "default"]
    results.append((len(defaults) == 1, "exactly one screenshot is the default"))
    for shot in shots:
        caption = shot.findtext("caption", "").strip()
        image = shot.find("image")
        url = image.text.strip() if image is not None and image.text else ""
        results.append((bool(caption), f"{url}: has a caption"))
        if not url.startswith(PREFIX):
            results.append((False, f"{url}: starts with {PREFIX}"))
            continue
        path = os.path.join(root, url[len(PREFIX):])
        size = png_size(path) if os.path.isfile(path) else None
        results.append((size is not None, f"{path}: is a PNG in the repository"))
        if size is not None:
            stated = (int(image.get("width", 0)), int(image.get("height", 0)))
            results.append((size == stated, f"{path}: is {stated[0]}x{stated[1]} as stated "
                            f"(the file is {size[0]}x{size[1]})"))
    return tap.report(results)


if __name__ == "__main__":
    sys.exit(main())

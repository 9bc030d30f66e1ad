"""Writes the TLS guard: a header folder that stops any file outside the engine from
including BearSSL or OpenSSL. For every header those libraries install, it writes a
header of the same name holding only an #error. The layers above the engine compile
with this folder first on their include path (src/engine/meson.build), so the library's
real header is never reached from them.

    make-tls-guard.py OUTDIR INCLUDEDIR...
"""
import glob
import os
import sys

out, includedirs = sys.argv[1], sys.argv[2:]
names = set()
for d in includedirs:
    for pattern in ("bearssl*.h", "bearssl/*.h", "openssl/*.h", "*/openssl/*.h"):
        for path in glob.glob(os.path.join(d, pattern)):
            rel = os.path.relpath(path, d)
            if rel.count("/") == 2:  # a multiarch folder: <triplet>/openssl/x.h
                rel = rel.split("/", 1)[1]
            names.add(rel)
for rel in sorted(names):
    path = os.path.join(out, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    text = (f'#error "{rel} is a TLS library header: only src/engine/ may include it. '
            'Other layers use the engine\'s public API (src/engine/include/)."\n')
    try:
        with open(path, encoding="utf-8") as f:
            if f.read() == text:
                continue
    except FileNotFoundError:
        pass
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
print(len(names))

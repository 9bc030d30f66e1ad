#!/bin/sh
# Renew the store screenshots (data/screenshots/, named in the metainfo) from the window
# tests' artifacts. Needs a configured _build and xvfb-run; commit the result.
set -eu
cd "$(dirname "$0")/.."
xvfb-run -a -s '-screen 0 1600x1000x24 -noreset' dbus-run-session -- \
  meson test -C _build --suite ui test-window
shots=_build/tests/window-artifacts
cp "$shots/window-step-4-knowledge.png" data/screenshots/knowledge.png
cp "$shots/window-tampered.png" data/screenshots/tampered.png
cp "$shots/window-tls13-certificate.png" data/screenshots/tls13.png
echo "renewed data/screenshots/ from $shots"

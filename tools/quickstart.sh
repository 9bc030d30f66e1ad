#!/usr/bin/env bash
# Quick start on a fresh Debian 12 machine, as root:
#   bash tools/quickstart.sh run    installs what is missing, builds, opens the window on the
#                                   default lesson (without a display: prints the lesson and
#                                   writes its diagram to handshake-lab.png)
#   bash tools/quickstart.sh test   installs what is missing, builds, runs every test suite
#                                   (normal build, then AddressSanitizer + UBSan build, both
#                                   with the window tests on a virtual display)
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-run}
packages=(gcc meson ninja-build pkg-config libglib2.0-dev libbearssl-dev libssl-dev libjson-glib-dev openssl
  libcairo2-dev libpango1.0-dev zlib1g-dev fonts-dejavu-core libgtk-4-dev libadwaita-1-dev
  desktop-file-utils appstream)
if [ "$mode" = test ]; then
  # tshark reads the captures, pdfinfo counts the handout's pages, Chromium drives the HTML one.
  # Xvfb and a session bus give the window tests a display.
  # AT-SPI (at-spi2-core, python3-pyatspi) and xdotool read the window as a screen reader would.
  packages+=(tshark clang libclang-rt-14-dev poppler-utils chromium python3 xvfb xauth
    dbus-daemon at-spi2-core python3-pyatspi xdotool)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

werror=()
if [ "${CI:-}" = true ]; then
  werror=(--werror)
fi

setup() { # DIR [meson options...]: configure and build; the output only if it fails
  local dir=$1 log
  shift
  log=$(mktemp)
  if { if [ -d "$dir" ]; then meson setup --reconfigure "$dir" "$@"; else meson setup "$dir" "$@"; fi &&
    ninja -C "$dir"; } >"$log" 2>&1; then
    rm -f "$log"
  else
    cat "$log"
    rm -f "$log"
    echo "The build in $dir failed (output above)." >&2
    exit 1
  fi
}

case "$mode" in
run)
  setup _build "${werror[@]}"
  if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    ./_build/src/cli/handshake-lab
  else
    ./_build/src/cli/handshake-lab --headless --transcript=- --png=handshake-lab.png
    echo "No display here, so no window: the lesson is printed above and its diagram is in"
    echo "$PWD/handshake-lab.png. With a display, the same command opens the window."
  fi
  ;;
test)
  # The window tests need a display: a virtual one, with its own session bus.
  display=(xvfb-run -a -s "-screen 0 1600x1000x24" dbus-run-session --)
  setup _build "${werror[@]}"
  "${display[@]}" meson test -C _build --print-errorlogs
  # The same tests with AddressSanitizer and UndefinedBehaviorSanitizer, halting on the
  # first finding (Debian 12's meson does not set that), leaks checked except in the
  # third-party libraries listed in tools/lsan.supp.
  setup _build-sanitize "${werror[@]}" -Db_sanitize=address,undefined -Db_lundef=false
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
  LSAN_OPTIONS=suppressions=$PWD/tools/lsan.supp:print_suppressions=0 \
    "${display[@]}" meson test -C _build-sanitize --print-errorlogs
  # Fuzz smoke: each libFuzzer target briefly, from the committed seed corpora
  # (FUZZ_SECONDS to change; docs/fuzzing.md runs them for as long as you like).
  CC=clang setup _build-fuzz -Dfuzzing=true -Db_sanitize=address,undefined -Db_lundef=false
  for target in scenario decode pem; do
    scratch=$(mktemp -d)
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
      ./_build-fuzz/fuzz/fuzz-$target -max_total_time="${FUZZ_SECONDS:-20}" -timeout=10 \
      -rss_limit_mb=4096 -print_final_stats=1 "$scratch" "fuzz/corpus/$target" 2>&1 |
      grep -E '^(stat::number_of_executed_units|INFO: Done|==[0-9]+==ERROR|SUMMARY)' || true
    test "${PIPESTATUS[0]}" -eq 0 || { echo "fuzz-$target found a crash"; exit 1; }
    rm -rf "$scratch"
    echo "fuzz-$target: no finding"
  done
  ;;
*)
  echo "usage: bash tools/quickstart.sh run|test" >&2
  exit 2
  ;;
esac

#!/usr/bin/env bash
# Quick start on a fresh Debian 12 machine, as root:
#   bash tools/quickstart.sh run    installs what is missing, builds, opens the window on the
#                                   default lesson (without a display: prints the lesson and
#                                   writes its diagram to handshake-lab.png)
#   bash tools/quickstart.sh test   installs what is missing, builds with -Werror, runs every
#                                   test suite (normal build, then AddressSanitizer + UBSan +
#                                   LeakSanitizer build, both with the window tests on a
#                                   virtual display), then each fuzz target briefly
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-run}
packages=(gcc meson ninja-build pkg-config libglib2.0-dev libbearssl-dev libssl-dev libjson-glib-dev openssl
  libcairo2-dev libpango1.0-dev zlib1g-dev fonts-dejavu-core libgtk-4-dev libadwaita-1-dev
  libepoxy-dev desktop-file-utils appstream libpcap-dev)
if [ "$mode" = test ]; then
  # tshark reads the captures, pdfinfo counts the handout's pages, Chromium drives the HTML one.
  # Xvfb and a session bus give the window tests a display.
  # AT-SPI (at-spi2-core, python3-pyatspi) and xdotool read the window as a screen reader would.
  # clang-format checks the code's layout. curl and openssl make the capture tests' traffic.
  packages+=(tshark clang libclang-rt-14-dev clang-format poppler-utils chromium python3 xvfb
    xauth dbus-daemon at-spi2-core python3-pyatspi xdotool curl libpcap-dev)
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

# Tests build with -Werror on every machine, not only in CI; the run mode does not, so a
# newer compiler's new warning never stops someone from opening the window.
werror=()
if [ "$mode" = test ]; then
  werror=(--werror)
fi

build_targets=() # what setup builds; empty: everything
setup() { # DIR [meson options...]: configure and build; the output only if it fails
  local dir=$1 log
  shift
  log=$(mktemp)
  if { if [ -d "$dir" ]; then meson setup --reconfigure "$dir" "$@"; else meson setup "$dir" "$@"; fi &&
    ninja -C "$dir" "${build_targets[@]}"; } >"$log" 2>&1; then
    rm -f "$log"
  else
    cat "$log"
    rm -f "$log"
    echo "The build in $dir failed (output above)." >&2
    exit 1
  fi
}

fuzz_smoke() { # TARGET: runs _build-fuzz/fuzz/fuzz-TARGET briefly; non-zero on a finding
  local target=$1 scratch log status=0
  scratch=$(mktemp -d)
  log=$(mktemp)
  mkdir -p _build-fuzz/findings
  # The fuzzer's status is kept apart from its output, which is only filtered for reading.
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    "./_build-fuzz/fuzz/fuzz-$target" -max_total_time="${FUZZ_SECONDS:-12}" -timeout=10 \
    -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix="_build-fuzz/findings/$target-" \
    "$scratch" "fuzz/corpus/$target" >"$log" 2>&1 || status=$?
  grep -E '^(stat::number_of_executed_units|INFO: Done|==[0-9]+==ERROR|SUMMARY)' "$log" || true
  rm -rf "$scratch"
  if [ "$status" -ne 0 ]; then
    tail -n 40 "$log"
    rm -f "$log"
    echo "fuzz-$target found a crash (exit status $status); the input is in _build-fuzz/findings/"
    return 1
  fi
  rm -f "$log"
  echo "fuzz-$target: no finding"
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
  # The window tests need a display: a virtual one, with its own session bus. -noreset:
  # an X server resets when its last client leaves, and a client connecting meanwhile is
  # refused (on a loaded machine, 18 of 450 short clients were; none with -noreset), which
  # made window tests fail to open the display between two tests.
  display=(xvfb-run -a -s "-screen 0 1600x1000x24 -noreset" dbus-run-session --)
  setup _build "${werror[@]}"
  "${display[@]}" meson test -C _build --print-errorlogs
  # The same tests with AddressSanitizer, UndefinedBehaviorSanitizer and LeakSanitizer,
  # halting on the first finding; tests/meson.build sets their options (leaks checked
  # everywhere but in the third-party code named in tools/lsan.supp). At -O1, as
  # AddressSanitizer's authors advise: it compiles faster than -O2 and its tests ran no slower.
  # With line tables only (-g1): reports keep their functions, files and lines, and the
  # build takes 13% less CPU (docs/performance.md).
  setup _build-sanitize "${werror[@]}" -Db_sanitize=address,undefined -Db_lundef=false \
    -Doptimization=1 -Dc_args=-g1
  # Without the suite 'interop' (tests/meson.build says why).
  "${display[@]}" meson test -C _build-sanitize --print-errorlogs --no-suite interop
  # Fuzz smoke: each libFuzzer target briefly, from the committed seed corpora
  # (FUZZ_SECONDS to change; docs/fuzzing.md runs them for as long as you like).
  # Only the fuzz targets: the window, tests and benchmarks were built twice above.
  build_targets=(fuzz/fuzz-scenario fuzz/fuzz-decode fuzz/fuzz-pem fuzz/fuzz-capture
    fuzz/fuzz-planted-crash)
  CC=clang setup _build-fuzz -Dfuzzing=true -Db_sanitize=address,undefined -Db_lundef=false \
    -Dc_args=-g1
  build_targets=()
  # Two at a time, one per core; each keeps its output to itself until it is done.
  for pair in "scenario decode" "pem capture"; do
    pids=()
    for target in $pair; do
      fuzz_smoke "$target" >"_build-fuzz/smoke-$target.log" 2>&1 &
      pids+=($!)
    done
    status=0
    for pid in "${pids[@]}"; do
      wait "$pid" || status=1
    done
    for target in $pair; do
      cat "_build-fuzz/smoke-$target.log"
    done
    [ "$status" -eq 0 ] || exit 1
  done
  # The step above can fail: a target that crashes on its first input must turn it red.
  if fuzz_smoke planted-crash >/dev/null 2>&1; then
    echo "The fuzz step did not notice fuzz-planted-crash crashing: it cannot fail." >&2
    exit 1
  fi
  echo "fuzz-planted-crash: its crash was caught, so the fuzz step can fail"
  ;;
*)
  echo "usage: bash tools/quickstart.sh run|test" >&2
  exit 2
  ;;
esac

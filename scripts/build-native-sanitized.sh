#!/bin/sh
# Builds the addon with AddressSanitizer + UndefinedBehaviorSanitizer into build-asan/ (the normal
# build in build/ is untouched) and, with --test, runs the native test suite against it.
#
#   scripts/build-native-sanitized.sh          # build only
#   scripts/build-native-sanitized.sh --test   # build, then run test/native under ASan/UBSan,
#                                              # then the addon's LeakSanitizer check
#
# Running anything else under it by hand:
#   LD_PRELOAD="$(g++ -print-file-name=libasan.so) $(g++ -print-file-name=libubsan.so)" \
#   ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
#   ALSREC_NATIVE_PATH=$PWD/build-asan/Release/alsrec_native.node \
#   npx vitest run test/native
# - LD_PRELOAD: node itself is not instrumented, so the ASan runtime must be loaded first.
# - detect_leaks=0 for the vitest run: node (and vitest's forks) do not free everything at exit,
#   and a whole test run's stacks reach into node's frames. Leaks are checked separately, scoped to
#   the addon: test/native/fixtures/leakCheck.mjs calls every entry point a few hundred times
#   under detect_leaks=1, with node's own exit-time allocations suppressed by module
#   (scripts/lsan-suppressions.txt) and allocation stacks cut to 2 frames, so a block the addon
#   loses is reported with the addon's frames and no suppression can match it.
# - ALSREC_NATIVE_PATH: src/als/native/addon.ts then loads only this file (no silent fallback).
# - ALSREC_SANITIZED=1: the RSS-growth tests step aside (ASan's quarantine keeps freed memory
#   resident by design); they run in the plain `npm test`.
# The sanitized build is RelWithDebInfo (-O2 -g, same -march) so reports have line numbers.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out="$root/build-asan"

# Node's headers are found through npm's nodedir or the node-api-headers package; see
# scripts/build-native.mjs for why nodedir is pointed at this Node's own headers.
node_prefix=$(dirname "$(dirname "$(command -v node)")")
if [ -z "${npm_config_nodedir:-}" ] && [ -f "$node_prefix/include/node/node_api.h" ]; then
  export npm_config_nodedir="$node_prefix"
fi
# One -march=native variant (the run-time dispatch is tested in the plain build); configure
# explicitly, because `cmake-js build` keeps an existing configuration's options.
node node_modules/cmake-js/bin/cmake-js configure --directory "$root" --out "$out" --config RelWithDebInfo \
  --CDALSREC_SANITIZE=ON --CDALSREC_VARIANTS=native --log-level warn
node node_modules/cmake-js/bin/cmake-js build --directory "$root" --out "$out" --config RelWithDebInfo --log-level warn
echo "built $out/RelWithDebInfo/alsrec_native.node"

if [ "${1:-}" = "--test" ]; then
  LD_PRELOAD="$(g++ -print-file-name=libasan.so) $(g++ -print-file-name=libubsan.so)" \
  ASAN_OPTIONS=detect_leaks=0 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ALSREC_NATIVE_PATH="$out/RelWithDebInfo/alsrec_native.node" \
  ALSREC_REQUIRE_NATIVE=1 ALSREC_SANITIZED=1 \
    npx vitest run test/native

  # LeakSanitizer, scoped to the addon (see the note above and scripts/lsan-suppressions.txt).
  lsan() {
    LD_PRELOAD="$(g++ -print-file-name=libasan.so) $(g++ -print-file-name=libubsan.so)" \
    ASAN_OPTIONS=detect_leaks=1:malloc_context_size=2:exitcode=23 \
    LSAN_OPTIONS="suppressions=$root/scripts/lsan-suppressions.txt:print_suppressions=0" \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      node test/native/fixtures/leakCheck.mjs "$@"
  }
  lsan "$out/RelWithDebInfo/alsrec_native.node"
  # The check can fail: a probe addon that loses 4 KiB per call must be reported (exit 23).
  probe_headers=$(node -p "require('node-api-headers').include_dir")
  gcc -O0 -g -fsanitize=address -fno-omit-frame-pointer -shared -fPIC -isystem "$probe_headers" \
    test/native/fixtures/leakProbe.c -o "$out/leakProbe.node"
  if lsan "$out/leakProbe.node" --probe >/dev/null 2>&1; then
    echo "LeakSanitizer did not report the leak probe's leak: the addon leak check is not working"
    exit 1
  fi
  echo "LeakSanitizer: no leak in the addon; the leak probe was reported"
fi

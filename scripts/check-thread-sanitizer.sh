#!/bin/sh
# Builds test/native/workerPoolStress.cpp with ThreadSanitizer into build-tsan/ and runs it:
# concurrent half-sweeps through the kernels' shared worker pool (native/worker_pool.cpp), whose
# job hand-off is lock-free. TSan reports any data race and the run exits non-zero.
# -Wno-uninitialized: at -O1 GCC 12 reports the deliberate `__m512 __Y = __Y;` of its own
# avx512fintrin.h (GCC PR 105593; see CMakeLists.txt) as used uninitialized.
#   scripts/check-thread-sanitizer.sh
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/build-tsan"
mkdir -p "$out"
"${CXX:-g++}" -std=c++17 -O1 -g -fsanitize=thread -march=native -ffp-contract=fast \
  -DEIGEN_NO_DEBUG -DEIGEN_MPL2_ONLY -DEIGEN_DONT_PARALLELIZE \
  -Wall -Wextra -Wno-maybe-uninitialized -Wno-uninitialized \
  -isystem "$root/native/vendor/eigen" \
  "$root/test/native/workerPoolStress.cpp" "$root/native/worker_pool.cpp" "$root/native/kernel_support.cpp" \
  "$root/native/cg_solver.cpp" "$root/native/cholesky_solver.cpp" "$root/native/scoring.cpp" \
  -o "$out/workerPoolStress" -pthread
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" "$out/workerPoolStress"

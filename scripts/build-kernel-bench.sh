#!/bin/sh
# Builds bench/nativeKernel.cpp (the ALS kernels without Node) into build-bench/nativeKernel.
#
# Built for x86-64-v3 (AVX2+FMA), exactly the flags of the shipped alsrec_native_v3.node: valgrind
# cannot execute AVX-512 (its synthetic CPU lacks it), so v3 is the variant whose instructions the
# callgrind gate counts: what a user without AVX-512 runs. A fixed instruction set also makes the
# count (Ir) comparable between machines. ALSREC_KERNEL_BENCH_ISA overrides the -march flag.
#   scripts/build-kernel-bench.sh
#   build-bench/nativeKernel                          # checksum of the fixed workload
#   valgrind --tool=callgrind --callgrind-out-file=/dev/null build-bench/nativeKernel 600 900 20000 32 1 1 cg
#   build-bench/nativeKernel 943 1682 99000 50 2 21   # timings on a MovieLens-100k-sized problem
# Set CXXFLAGS_EXTRA (e.g. "-march=native") to time other instruction sets.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$root/build-bench"
"${CXX:-g++}" -std=c++17 -O3 ${ALSREC_KERNEL_BENCH_ISA:--march=x86-64-v3} -ffp-contract=fast -g \
  -DEIGEN_NO_DEBUG -DEIGEN_MPL2_ONLY -DEIGEN_DONT_PARALLELIZE \
  -Wall -Wextra -Wpedantic -Wshadow -Wno-maybe-uninitialized \
  -isystem "$root/native/vendor/eigen" ${CXXFLAGS_EXTRA:-} \
  "$root/bench/nativeKernel.cpp" "$root/native/worker_pool.cpp" "$root/native/kernel_support.cpp" \
  "$root/native/cg_solver.cpp" "$root/native/cholesky_solver.cpp" "$root/native/scoring.cpp" \
  -o "$root/build-bench/nativeKernel" -pthread
echo "built $root/build-bench/nativeKernel"

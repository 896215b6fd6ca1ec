#!/bin/sh
# Builds bench/nativeKernel.cpp (the ALS kernels without Node) into build-bench/nativeKernel.
#
# AVX2+FMA and no -march=native on purpose: valgrind 3.19 cannot decode AVX-512, and a fixed
# instruction set makes the callgrind instruction count (Ir) comparable between machines.
#   scripts/build-kernel-bench.sh
#   build-bench/nativeKernel                          # checksum of the fixed workload
#   valgrind --tool=callgrind --callgrind-out-file=/dev/null build-bench/nativeKernel
#   build-bench/nativeKernel 943 1682 99000 50 2 21   # timings on a MovieLens-100k-sized problem
# Set CXXFLAGS_EXTRA (e.g. "-march=native") to time other instruction sets.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$root/build-bench"
"${CXX:-g++}" -std=c++17 -O3 -mavx2 -mfma -ffp-contract=fast -g \
  -DEIGEN_NO_DEBUG -DEIGEN_MPL2_ONLY -DEIGEN_DONT_PARALLELIZE \
  -Wall -Wextra -Wpedantic -Wshadow -Wno-maybe-uninitialized \
  -isystem "$root/native/vendor/eigen" ${CXXFLAGS_EXTRA:-} \
  "$root/bench/nativeKernel.cpp" "$root/native/worker_pool.cpp" "$root/native/kernel_support.cpp" \
  "$root/native/cg_solver.cpp" "$root/native/cholesky_solver.cpp" "$root/native/scoring.cpp" \
  -o "$root/build-bench/nativeKernel" -pthread
echo "built $root/build-bench/nativeKernel"

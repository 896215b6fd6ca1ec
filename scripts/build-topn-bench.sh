#!/usr/bin/env bash
# Builds bench/topNKernel.cpp (native top-n vs the previous whole-row version, no Node) into
# build-bench/topNKernel, with the flags of alsrec_native_v3.node (x86-64-v3).
#   build-bench/topNKernel                       # Spark-sized: 200948 x 80185, k 13, n 10, 20000 users
#   build-bench/topNKernel 200948 80185 13 10 200948 20 2 new   # all users, 2 threads, new only
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$root/build-bench"
"${CXX:-g++}" -std=c++17 -O3 ${ALSREC_KERNEL_BENCH_ISA:--march=x86-64-v3} -ffp-contract=fast -g \
  -DEIGEN_NO_DEBUG -DEIGEN_MPL2_ONLY -DEIGEN_DONT_PARALLELIZE \
  -Wall -Wextra -Wpedantic -Wshadow -Wno-maybe-uninitialized \
  -isystem "$root/native/vendor/eigen" ${CXXFLAGS_EXTRA:-} \
  "$root/bench/topNKernel.cpp" "$root/native/worker_pool.cpp" "$root/native/kernel_support.cpp" "$root/native/scoring.cpp" \
  -o "$root/build-bench/topNKernel" -pthread
echo "built $root/build-bench/topNKernel"

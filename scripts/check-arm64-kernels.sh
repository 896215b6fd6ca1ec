#!/bin/sh
# The arm64 (NEON) path of the kernels: cross-compiles the Node-free kernels (native/*.cpp except
# binding.cpp) with the residual checks of test/native/kernelResiduals.cpp for aarch64 (Debian's
# g++-aarch64-linux-gnu) and runs them under qemu-aarch64 (Debian's qemu-user). -march=armv8-a: the
# arm64 baseline, where Eigen uses NEON (Advanced SIMD is mandatory in ARMv8-A). Static, so qemu
# needs no aarch64 sysroot. Used by .ci/run; arm64 users get a source build (README, Install).
#   scripts/check-arm64-kernels.sh
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/build-arm64"
mkdir -p "$out"
cxx=${AARCH64_CXX:-aarch64-linux-gnu-g++}
"$cxx" -std=c++17 -O2 -march=armv8-a -ffp-contract=fast -static \
  -DEIGEN_NO_DEBUG -DEIGEN_MPL2_ONLY -DEIGEN_DONT_PARALLELIZE \
  -Wall -Wextra -Wno-maybe-uninitialized -Wno-psabi \
  -isystem "$root/native/vendor/eigen" \
  "$root/test/native/kernelResiduals.cpp" "$root/native/worker_pool.cpp" "$root/native/kernel_support.cpp" \
  "$root/native/cg_solver.cpp" "$root/native/cholesky_solver.cpp" "$root/native/scoring.cpp" \
  -o "$out/kernelResiduals" -pthread
readelf -h "$out/kernelResiduals" | grep -q "Machine:.*AArch64" || { echo "check-arm64-kernels: not an aarch64 binary"; exit 1; }
output=$(qemu-aarch64 "$out/kernelResiduals")
echo "$output"
echo "$output" | grep -q "^kernel SIMD: ARM NEON" || { echo "check-arm64-kernels: Eigen did not use NEON"; exit 1; }

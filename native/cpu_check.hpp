// Run-time check that the CPU can execute this shared object (no Node headers).
//
// The addon is built once per x86-64 level (v2, v3 = AVX2+FMA, v4 = AVX-512F/BW/DQ/VL; see
// CMakeLists.txt), each a separate shared object so no wide instruction can leak into another.
// Before the module registers anything, the N-API init (binding.cpp, compiled for baseline
// x86-64 together with cpu_check.cpp) asks missingCpuFeatures(); a non-empty answer makes the load
// fail with an error, so the TS loader tries the next level instead of the process dying of SIGILL.
#pragma once

#include <cstddef>

namespace alsrec {

/** Space-separated ISA extensions the kernels were compiled for (target_features.cpp; data only). */
extern const char kTargetFeatures[];
/** The build variant: "v2", "v3", "v4" or "native" (-march=native). */
extern const char kVariant[];

/**
 * Writes the space-separated names from kTargetFeatures that this CPU (and OS) does not support
 * into `out` (NUL-terminated, truncated to `size`) and returns how many are missing (0: safe).
 * Compiled for baseline x86-64; uses no library templates, so no copy built for a wider ISA can be
 * linked into this path.
 */
int missingCpuFeatures(char* out, std::size_t size);

}  // namespace alsrec

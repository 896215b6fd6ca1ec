// missingCpuFeatures(): see cpu_check.hpp. This file must be compiled WITHOUT the variant's ISA
// flags (CMakeLists.txt puts it in the baseline object library with binding.cpp): it runs before
// we know the CPU can execute anything wider than x86-64.
#include "cpu_check.hpp"

#include <cstring>

namespace alsrec {
namespace {

#if defined(__x86_64__) || defined(__i386__)
/**
 * __builtin_cpu_supports takes a string literal, so each name is spelled out once. GCC's libgcc
 * (and clang's compiler-rt) also require OS support: AVX and AVX-512 count only when XGETBV says
 * the OS saves the YMM/ZMM state. Returns -1 for a name this check does not know.
 */
int cpuSupports(const char* name) {
  __builtin_cpu_init();
#define ALSREC_CHECK(feature) \
  if (std::strcmp(name, feature) == 0) return __builtin_cpu_supports(feature) ? 1 : 0;
  ALSREC_CHECK("sse3")
  ALSREC_CHECK("ssse3")
  ALSREC_CHECK("sse4.1")
  ALSREC_CHECK("sse4.2")
  ALSREC_CHECK("popcnt")
  ALSREC_CHECK("avx")
  ALSREC_CHECK("avx2")
  ALSREC_CHECK("fma")
  ALSREC_CHECK("bmi")
  ALSREC_CHECK("bmi2")
  ALSREC_CHECK("aes")
  ALSREC_CHECK("pclmul")
  ALSREC_CHECK("avx512f")
  ALSREC_CHECK("avx512bw")
  ALSREC_CHECK("avx512dq")
  ALSREC_CHECK("avx512vl")
  ALSREC_CHECK("avx512cd")
  ALSREC_CHECK("avx512ifma")
  ALSREC_CHECK("avx512vbmi")
  ALSREC_CHECK("avx512vbmi2")
  ALSREC_CHECK("avx512vnni")
  ALSREC_CHECK("avx512bitalg")
  ALSREC_CHECK("avx512vpopcntdq")
  ALSREC_CHECK("avx512bf16")
  ALSREC_CHECK("gfni")
  ALSREC_CHECK("vpclmulqdq")
#undef ALSREC_CHECK
  return -1;
}
#else
// Other architectures build only the -march=native variant on the machine that runs it.
int cpuSupports(const char*) { return 1; }
#endif

}  // namespace

int missingCpuFeatures(char* out, std::size_t size) {
  if (size > 0) out[0] = '\0';
  std::size_t used = 0;
  int missing = 0;
  const char* p = kTargetFeatures;
  char name[32];
  while (*p != '\0') {
    while (*p == ' ') ++p;
    std::size_t len = 0;
    while (p[len] != '\0' && p[len] != ' ') ++len;
    if (len == 0) break;
    if (len < sizeof name) {
      std::memcpy(name, p, len);
      name[len] = '\0';
      // A name unknown to this check (-1) is not counted: it cannot be tested, and the levels we
      // ship (v2/v3/v4) use only names listed above.
      if (cpuSupports(name) == 0) {
        ++missing;
        if (used + len + 2 < size) {
          if (used > 0) out[used++] = ' ';
          std::memcpy(out + used, name, len);
          used += len;
          out[used] = '\0';
        }
      }
    }
    p += len;
  }
  return missing;
}

}  // namespace alsrec

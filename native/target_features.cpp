// The instruction-set extensions this shared object was compiled for, as data only.
//
// Compiled with the variant's flags (-march=x86-64-v4 etc.), like the kernels, so the compiler's
// predefined macros (__AVX2__, __AVX512F__, ...) say exactly what the kernels may execute. The file
// holds one constant string and no code, so reading it from baseline code is safe on any CPU;
// cpu_check.cpp (compiled for baseline x86-64) compares it with what the CPU reports before the
// module does anything else. The names are those __builtin_cpu_supports accepts.
#include "cpu_check.hpp"

namespace alsrec {

extern const char kTargetFeatures[] = ""
#if defined(__x86_64__) || defined(__i386__)
#ifdef __SSE3__
    " sse3"
#endif
#ifdef __SSSE3__
    " ssse3"
#endif
#ifdef __SSE4_1__
    " sse4.1"
#endif
#ifdef __SSE4_2__
    " sse4.2"
#endif
#ifdef __POPCNT__
    " popcnt"
#endif
#ifdef __AVX__
    " avx"
#endif
#ifdef __AVX2__
    " avx2"
#endif
#ifdef __FMA__
    " fma"
#endif
#ifdef __BMI__
    " bmi"
#endif
#ifdef __BMI2__
    " bmi2"
#endif
#ifdef __AES__
    " aes"
#endif
#ifdef __PCLMUL__
    " pclmul"
#endif
#ifdef __AVX512F__
    " avx512f"
#endif
#ifdef __AVX512BW__
    " avx512bw"
#endif
#ifdef __AVX512DQ__
    " avx512dq"
#endif
#ifdef __AVX512VL__
    " avx512vl"
#endif
#ifdef __AVX512CD__
    " avx512cd"
#endif
#ifdef __AVX512IFMA__
    " avx512ifma"
#endif
#ifdef __AVX512VBMI__
    " avx512vbmi"
#endif
#ifdef __AVX512VBMI2__
    " avx512vbmi2"
#endif
#ifdef __AVX512VNNI__
    " avx512vnni"
#endif
#ifdef __AVX512BITALG__
    " avx512bitalg"
#endif
#ifdef __AVX512VPOPCNTDQ__
    " avx512vpopcntdq"
#endif
#ifdef __AVX512BF16__
    " avx512bf16"
#endif
#ifdef __GFNI__
    " gfni"
#endif
#ifdef __VPCLMULQDQ__
    " vpclmulqdq"
#endif
#endif
    "";

#ifndef ALSREC_VARIANT
#define ALSREC_VARIANT "native"
#endif
extern const char kVariant[] = ALSREC_VARIANT;

}  // namespace alsrec

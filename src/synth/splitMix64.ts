/**
 * Counter-based SplitMix64 in 32-bit arithmetic, as the synthetic-data spec defines it
 * (`/work/shared/bench/SYNTHETIC.md`, after Steele, Lea & Flood 2014):
 *
 *   mix64(z) = z ^= z >> 30; z *= 0xBF58476D1CE4E5B9; z ^= z >> 27; z *= 0x94D049BB133111EB; z ^ z >> 31
 *   rand64(key, j) = mix64(key + (j + 1) * GAMMA),  GAMMA = 0x9E3779B97F4A7C15   (all mod 2^64)
 *
 * BigInt would be the obvious way to write this and is about an order of magnitude slower, so a
 * uint64 is held as two 32-bit halves in a mutable {@link U64} and updated in place (no allocation
 * per draw). The halves are stored as signed int32 (`| 0`) so V8 keeps them as small integers;
 * `>>> 0` reads a half as unsigned. Multiplication splits 32-bit words into 16-bit limbs so every
 * partial product is exact in a double. The tests check each op against BigInt.
 */

/** A uint64 as two 32-bit halves (each stored as a signed int32); mutated in place by the ops. */
export interface U64 {
  hi: number;
  lo: number;
}

const TWO_POW_32 = 4294967296;
/** 2^-53: `unif` maps the top 53 bits of a draw to [0, 1). */
const TWO_POW_MINUS_53 = 1.1102230246251565e-16;

/** SplitMix64's increment, the golden-ratio constant 0x9E3779B97F4A7C15. */
export const GAMMA_HI = 0x9e3779b9 | 0;
export const GAMMA_LO = 0x7f4a7c15 | 0;
const M1_HI = 0xbf58476d | 0;
const M1_LO = 0x1ce4e5b9 | 0;
const M2_HI = 0x94d049bb | 0;
const M2_LO = 0x133111eb | 0;

/** A new {@link U64} from two 32-bit halves (any int32 or uint32 values). */
export function u64(hi: number, lo: number): U64 {
  return { hi: hi | 0, lo: lo | 0 };
}

/**
 * High 32 bits of the 64-bit product of two uint32 values, as an int32.
 * With a = a1*2^16 + a0 and b = b1*2^16 + b0, every limb product is < 2^32 and exact.
 *
 * @example
 * mulHi32(0xffffffff, 0xffffffff) >>> 0; // 0xfffffffe
 */
export function mulHi32(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  // Carry out of bits 16..31: the high half of p00 plus the low halves of the cross terms.
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return (a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) | 0;
}

/**
 * z = z + b mod 2^64.
 *
 * @example
 * const z = u64(0, 0xffffffff); add64(z, 0, 1); // z = { hi: 1, lo: 0 }
 */
export function add64(z: U64, bHi: number, bLo: number): void {
  const lo = (z.lo >>> 0) + (bLo >>> 0);
  z.hi = (z.hi + bHi + (lo >= TWO_POW_32 ? 1 : 0)) | 0;
  z.lo = lo | 0;
}

/**
 * z = z * b mod 2^64: lo*lo in full, plus the cross terms' low words shifted into the high half
 * (hi*hi only reaches bit 64 and drops out).
 *
 * @example
 * const z = u64(0, 3); mul64(z, 0, 5); // z = { hi: 0, lo: 15 }
 */
export function mul64(z: U64, bHi: number, bLo: number): void {
  const aHi = z.hi;
  const aLo = z.lo;
  z.hi = (mulHi32(aLo, bLo) + Math.imul(aHi, bLo) + Math.imul(aLo, bHi)) | 0;
  z.lo = Math.imul(aLo, bLo);
}

/**
 * z = z ^ (z >> k) for 0 < k < 32 (logical shift), the xor-shift step of mix64.
 *
 * @example
 * const z = u64(1, 0); xorShiftRight64(z, 1); // z = { hi: 1, lo: 0x80000000 | 0 }
 */
export function xorShiftRight64(z: U64, k: number): void {
  const hi = z.hi;
  z.lo ^= (z.lo >>> k) | (hi << (32 - k));
  z.hi = hi ^ (hi >>> k);
}

/**
 * SplitMix64's finaliser (Stafford's variant 13), in place.
 *
 * @example
 * const z = u64(7, 0); mix64(z); // z now holds key_act for seed 7
 */
export function mix64(z: U64): void {
  xorShiftRight64(z, 30);
  mul64(z, M1_HI, M1_LO);
  xorShiftRight64(z, 27);
  mul64(z, M2_HI, M2_LO);
  xorShiftRight64(z, 31);
}

/**
 * out = rand64(key, j) = mix64(key + (j + 1) * GAMMA), the j-th output of SplitMix64 started at
 * `key`, for an integer 0 <= j < 2^53 - 1. Loops should instead add GAMMA to a running state and
 * mix a copy, which gives the same sequence.
 *
 * @example
 * const r = u64(0, 0); rand64(u64(0, 0), 0, r); // the first SplitMix64 output from state 0
 */
export function rand64(key: U64, j: number, out: U64): void {
  const n = j + 1;
  out.hi = GAMMA_HI;
  out.lo = GAMMA_LO;
  mul64(out, Math.floor(n / TWO_POW_32), n % TWO_POW_32);
  add64(out, key.hi, key.lo);
  mix64(out);
}

/**
 * unif(r) = double(r >> 11) * 2^-53, in [0, 1): the top 53 bits, exact in a double.
 *
 * @example
 * unif(u64(0xffffffff, 0xffffffff)); // 1 - 2^-53
 */
export function unif(r: U64): number {
  return ((r.hi >>> 0) * 2097152 + (r.lo >>> 11)) * TWO_POW_MINUS_53;
}

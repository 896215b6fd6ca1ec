import { describe, expect, it } from 'vitest';
import { add64, mix64, mul64, mulHi32, rand64, u64, unif, xorShiftRight64, type U64 } from '../../src/synth/splitMix64.js';
import { mix64Ref, rand64Ref, unifRef } from './splitMix64Reference.js';

const MASK = (1n << 64n) - 1n;

function toBig(z: U64): bigint {
  return (BigInt(z.hi >>> 0) << 32n) | BigInt(z.lo >>> 0);
}

function fromBig(x: bigint): U64 {
  return u64(Number(x >> 32n), Number(x & 0xffffffffn));
}

/** Deterministic test inputs: edge cases, then a SplitMix64 (BigInt) stream of random words. */
function inputs(count: number): bigint[] {
  const edges = [0n, 1n, 2n, 0xffffn, 0x10000n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 1n << 32n, 1n << 63n, MASK, MASK - 1n];
  const values = [...edges];
  for (let j = 0; values.length < count; j++) values.push(rand64Ref(0x1234n, j));
  return values;
}

const A = inputs(2000);
const B = inputs(2000).reverse();

describe('32-bit-limb uint64 ops agree with BigInt', () => {
  it('mulHi32 is the high word of the 64-bit product', () => {
    for (let i = 0; i < A.length; i++) {
      const a = Number(A[i]! & 0xffffffffn);
      const b = Number(B[i]! >> 32n);
      expect(mulHi32(a, b) >>> 0, `${a} * ${b}`).toBe(Number((BigInt(a) * BigInt(b)) >> 32n));
    }
  });

  it('add64 wraps mod 2^64', () => {
    for (let i = 0; i < A.length; i++) {
      const z = fromBig(A[i]!);
      const b = fromBig(B[i]!);
      add64(z, b.hi, b.lo);
      expect(toBig(z)).toBe((A[i]! + B[i]!) & MASK);
    }
  });

  it('mul64 multiplies mod 2^64', () => {
    for (let i = 0; i < A.length; i++) {
      const z = fromBig(A[i]!);
      const b = fromBig(B[i]!);
      mul64(z, b.hi, b.lo);
      expect(toBig(z)).toBe((A[i]! * B[i]!) & MASK);
    }
  });

  it('xorShiftRight64 computes z ^ (z >> k) for every k in 1..31', () => {
    for (let i = 0; i < A.length; i++) {
      const k = 1 + (i % 31);
      const z = fromBig(A[i]!);
      xorShiftRight64(z, k);
      expect(toBig(z)).toBe(A[i]! ^ (A[i]! >> BigInt(k)));
    }
  });

  it('mix64, rand64 and unif match the spec', () => {
    const out = u64(0, 0);
    for (let i = 0; i < A.length; i++) {
      const z = fromBig(A[i]!);
      mix64(z);
      expect(toBig(z)).toBe(mix64Ref(A[i]!));
      const j = i * 7919;
      rand64(fromBig(B[i]!), j, out);
      expect(toBig(out)).toBe(rand64Ref(B[i]!, j));
      expect(unif(out)).toBe(unifRef(toBig(out)));
    }
  });

  it('adding GAMMA to a running state gives the rand64 sequence', () => {
    const key = fromBig(0xdeadbeefcafef00dn);
    const state = u64(key.hi, key.lo);
    const r = u64(0, 0);
    for (let j = 0; j < 1000; j++) {
      add64(state, 0x9e3779b9, 0x7f4a7c15);
      r.hi = state.hi;
      r.lo = state.lo;
      mix64(r);
      expect(toBig(r)).toBe(rand64Ref(0xdeadbeefcafef00dn, j));
    }
  });

  it('unif of the largest draw is 1 - 2^-53', () => {
    expect(unif(u64(0xffffffff, 0xffffffff))).toBe(1 - 2 ** -53);
    expect(unif(u64(0, 0x7ff))).toBe(0);
  });
});

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateSynthetic, SYNTH_PRESETS, validateSyntheticParams } from '../../src/synth/generateSynthetic.js';
import type { Csr } from '../../src/matrix/csr.js';
import { generateReference } from './splitMix64Reference.js';

/** sha256 of a typed array's bytes (little endian on every platform Node supports). */
function sha256(a: Int32Array | Float32Array): string {
  return createHash('sha256').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex');
}

function rowOf(m: Csr, u: number): Array<[number, number]> {
  const row: Array<[number, number]> = [];
  for (let p = m.indptr[u]!; p < m.indptr[u + 1]!; p++) row.push([m.indices[p]!, m.data[p]!]);
  return row;
}

describe('generateSynthetic', () => {
  it('should throw for a non-integer or out-of-range parameter, naming it', () => {
    const ok = { users: 10, items: 100, nnz: 500, seed: 1 };
    expect(() => generateSynthetic({ ...ok, users: 0 })).toThrow('Expected an integer >= 1 for users but received 0 of type number');
    expect(() => generateSynthetic({ ...ok, items: 19 })).toThrow('Expected an integer >= 20 for items but received 19 of type number');
    expect(() => generateSynthetic({ ...ok, nnz: 1.5 })).toThrow('Expected an integer >= 1 for nnz but received 1.5 of type number');
    expect(() => generateSynthetic({ ...ok, seed: -1 })).toThrow('Expected an integer >= 0 for seed but received -1 of type number');
    expect(() => generateSynthetic({ ...ok, seed: 2 ** 32 })).toThrow(
      'Expected an integer <= 4294967295 for seed but received 4294967296 of type number',
    );
    expect(() => generateSynthetic({ ...ok, users: '10' as unknown as number })).toThrow(
      'Expected an integer >= 1 for users but received "10" of type string',
    );
    expect(() => validateSyntheticParams({ ...ok, nnz: Number.NaN }, (k) => `--${k}`)).toThrow(
      'Expected an integer >= 1 for --nnz but received NaN of type number',
    );
  });

  it('reproduces the spec test vector (U=50, I=200, NNZ=2000, seed=7)', () => {
    const m = generateSynthetic({ users: 50, items: 200, nnz: 2000, seed: 7 });
    expect(m.rows).toBe(50);
    expect(m.cols).toBe(200);
    expect(m.indptr[50]).toBe(1308);
    expect(sha256(m.indices)).toBe('c783e1bc5b2c25958b0b0214942db254b8564b2e9d1bcf0e8b3777e4bbd6422d');
    expect(rowOf(m, 0).slice(0, 8)).toEqual([[5, 3], [10, 4], [14, 3], [20, 5], [21, 4], [22, 2], [26, 3], [27, 5]]);
  });

  it.each([
    [30, 40, 600, 0],
    [25, 120, 1500, 4294967295],
    [12, 20, 10, 2147483648],
  ])('matches the BigInt reference for U=%i I=%i NNZ=%i seed=%i', (users, items, nnz, seed) => {
    const m = generateSynthetic({ users, items, nnz, seed });
    const ref = generateReference(users, items, nnz, seed);
    for (let u = 0; u < users; u++) expect(rowOf(m, u), `user ${u}`).toEqual(ref[u]);
  });

  it('keeps its invariants: n_min <= n_u <= n_max, ascending distinct columns, values 1..5', () => {
    const m = generateSynthetic({ users: 300, items: 400, nnz: 20_000, seed: 11 });
    for (let u = 0; u < m.rows; u++) {
      const n = m.indptr[u + 1]! - m.indptr[u]!;
      expect(n).toBeGreaterThanOrEqual(5);
      expect(n).toBeLessThanOrEqual(100);
      for (let p = m.indptr[u]! + 1; p < m.indptr[u + 1]!; p++) expect(m.indices[p]!).toBeGreaterThan(m.indices[p - 1]!);
    }
    expect(m.indices.every((c) => c >= 0 && c < 400)).toBe(true);
    expect(m.data.every((v) => v >= 1 && v <= 5 && Number.isInteger(v))).toBe(true);
  });

  it('reports progress up to the number of users', () => {
    const seen: number[] = [];
    generateSynthetic({ users: 250, items: 100, nnz: 3000, seed: 2 }, { onProgress: (done, users) => seen.push(done / users) });
    expect(seen.at(-1)).toBe(1);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  it('reproduces the synth-1m checksums', () => {
    const m = generateSynthetic(SYNTH_PRESETS['synth-1m']);
    expect(m.indptr[m.rows]).toBe(1_003_283);
    expect(sha256(m.indptr)).toBe('2a2c4512043e921ed1637dffb712a08b04ece5e2a422a990557e8b338296e745');
    expect(sha256(m.indices)).toBe('8c311fdec11dffc3e3028e877bb4e78b1257fb6e50ebc4451ce777a3dd553f1d');
    expect(sha256(m.data)).toBe('adb5e24dbd4a64ca79cb3af0f564a380875a995d0d2341b780060ebcd1b25390');
  });

  // About 2-3 s and 130 MB; run with ALSREC_SLOW_TESTS=1.
  it.skipIf(process.env['ALSREC_SLOW_TESTS'] !== '1')('reproduces the synth-10m checksums (ALSREC_SLOW_TESTS=1)', () => {
    const m = generateSynthetic(SYNTH_PRESETS['synth-10m']);
    expect(m.indptr[m.rows]).toBe(10_011_595);
    expect(sha256(m.indptr)).toBe('76ae67e131124f98ddc3eb6595e58be253bd9e59b5b59b3e04910bc3d15b8b1a');
    expect(sha256(m.indices)).toBe('c1a56fe4f356500ccdae782bc6f3e27dd0073fed7d03785e10753bba0974d4b0');
    expect(sha256(m.data)).toBe('22b5c770246358897c5fa0d6649ea569012550ef68ca32d4dbfe7f12f170d57d');
  });
});

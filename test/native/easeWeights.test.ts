/**
 * The native EASE kernel (native/ease.cpp) through the binding: the same weights as the TypeScript
 * reference, bad calls rejected without a crash (this folder also runs under ASan/UBSan in CI).
 */
import { describe, expect, it } from 'vitest';
import { easeWeightsTs } from '../../src/eval/ease.js';
import type { Csr } from '../../src/matrix/csr.js';
import { mulberry32 } from '../../src/als/initialFactors.js';
import { tryLoadAddon } from './problems.js';

const { addon, reason } = tryLoadAddon();
if (addon === null) console.warn(`test/native skipped: ${reason}`);

/** A seeded binary users x items CSR with ~30% density. */
function binary(rows: number, cols: number, seed: number): Csr {
  const next = mulberry32(seed);
  const indptr = new Int32Array(rows + 1);
  const indices: number[] = [];
  for (let u = 0; u < rows; u++) {
    for (let i = 0; i < cols; i++) if (next() < 0.3) indices.push(i);
    indptr[u + 1] = indices.length;
  }
  return { rows, cols, indptr, indices: Int32Array.from(indices), data: new Float32Array(indices.length).fill(1) };
}

describe.skipIf(addon === null)('native easeWeights', () => {
  const a = addon!;

  it.each([1, 2])('matches the TS reference within 1e-5 (%i threads), zero diagonal', async (threads) => {
    const X = binary(70, 33, 5);
    const W = await a.easeWeights(X, 2, threads);
    const T = easeWeightsTs(X, 2);
    let worst = 0;
    for (let p = 0; p < T.length; p++) worst = Math.max(worst, Math.abs(W[p]! - T[p]!));
    expect(worst, `max |W - W_ts| = ${worst}`).toBeLessThan(1e-5);
    for (let j = 0; j < 33; j++) expect(W[j * 33 + j]).toBe(0);
  });

  it('an empty catalog gives an empty matrix; users without items are fine', async () => {
    expect((await a.easeWeights({ rows: 2, cols: 0, indptr: Int32Array.of(0, 0, 0), indices: new Int32Array(0), data: new Float32Array(0) }, 1, 1)).length).toBe(0);
    const W = await a.easeWeights({ rows: 2, cols: 2, indptr: Int32Array.of(0, 0, 0), indices: new Int32Array(0), data: new Float32Array(0) }, 1, 1);
    expect(Array.from(W, (w) => w + 0)).toEqual([0, 0, 0, 0]); // G = λI: P diagonal, B = 0 (−0 off the diagonal)
  });

  it('should throw or reject on bad calls, never crash', async () => {
    const ok = binary(4, 3, 1);
    expect(() => (a.easeWeights as unknown as (...x: unknown[]) => unknown)(ok, 1)).toThrow(new TypeError('Expected 3 arguments for easeWeights but received 2'));
    expect(() => a.easeWeights(ok, -1, 1)).toThrow(new RangeError('Expected a finite number >= 0 for regularization but received -1 of type number'));
    expect(() => a.easeWeights(ok, 1, 0)).toThrow(new RangeError('Expected an integer in [1, 1024] for threads but received 0 of type number'));
    expect(() => a.easeWeights({ ...ok, indptr: Int32Array.of(0, 1) }, 1, 1)).toThrow(new RangeError('Expected length rows + 1 = 5 for X.indptr but received length 2'));
    expect(() => a.easeWeights({ ...ok, cols: 40_000 }, 1, 1)).toThrow(new RangeError('Expected cols^2 <= 2^30 for X.cols but received 40000'));
    const bad = { rows: 1, cols: 2, indptr: Int32Array.of(0, 1), indices: Int32Array.of(5), data: Float32Array.of(1) };
    await expect(a.easeWeights(bad, 1, 1)).rejects.toThrow(new RangeError('Expected column indices in [0, cols) for X.indices but received one outside in row 0'));
    // λ = 0 with a singular Gram matrix (two identical item columns): not positive definite.
    const singular = { rows: 1, cols: 2, indptr: Int32Array.of(0, 2), indices: Int32Array.of(0, 1), data: Float32Array.of(1, 1) };
    await expect(a.easeWeights(singular, 0, 1)).rejects.toMatchObject({ code: 'ERR_ALSREC_ROW_SOLVE', row: -1 });
  });
});

/**
 * The native topN scores items in tiles of 512 (a tail under 64 joins the last tile) for blocks of
 * 32 users, with a running per-user threshold. These checks use sizes that cross those boundaries:
 * exact agreement with a brute-force TypeScript ranking on integer factors (real ties: the smaller
 * item index first) with unsorted exclusion lists, and bitwise agreement with scoreRows on random
 * float factors.
 */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/als/initialFactors.js';
import type { Csr } from '../../src/matrix/csr.js';
import { bruteForceTopN, tryLoadAddon } from './problems.js';

const { addon, reason } = tryLoadAddon();
if (addon === null) console.log(`skipping native topN tile tests: ${reason}`);

/** Exclusions per user, in descending order (the kernel must not assume sorted lists). User 1
 *  excludes all but 3 items, so its list is padded; user 2 excludes nothing. */
function exclusions(rows: number, cols: number, rand: () => number): Csr {
  const indptr = new Int32Array(rows + 1);
  const all: number[] = [];
  for (let u = 0; u < rows; u++) {
    let mine: number[] = [];
    if (u === 1) mine = Array.from({ length: cols - 3 }, (_, i) => i + 2);
    else if (u !== 2) for (let i = 0; i < cols; i++) if (rand() < 0.05) mine.push(i);
    mine.sort((a, b) => b - a);
    all.push(...mine);
    indptr[u + 1] = all.length;
  }
  return { rows, cols, indptr, indices: Int32Array.from(all), data: new Float32Array(all.length).fill(1) };
}

describe.skipIf(addon === null)('native topN across item tiles and user blocks', () => {
  const a = addon!;

  for (const cols of [511, 512, 513, 575, 576, 1027, 1600]) {
    it(`integer factors, ${cols} items: same items, scores and tie order as brute force`, async () => {
      const rand = mulberry32(cols);
      const k = 3;
      const rows = 70;
      // Factors in {-2..2}: scores are small integers, exact in float32, so ties are real ties.
      const X = Float32Array.from({ length: rows * k }, () => Math.floor(rand() * 5) - 2);
      const Y = Float32Array.from({ length: cols * k }, () => Math.floor(rand() * 5) - 2);
      const exclude = exclusions(rows, cols, rand);
      const order = Int32Array.from({ length: rows }, (_, r) => (r * 29) % rows);
      for (const n of [1, 10, 40]) {
        for (const ex of [exclude, null]) {
          const got = await a.topN(X, Y, k, order, n, ex, 2);
          const want = bruteForceTopN(X, Y, k, order, n, ex);
          expect(Array.from(got.items)).toEqual(Array.from(want.items));
          expect(Array.from(got.scores)).toEqual(Array.from(want.scores));
        }
      }
      // Real ties inside the top 40, and user 1 padded after its 3 candidates.
      const got = await a.topN(X, Y, k, order, 40, exclude, 1);
      let ties = 0;
      for (let j = 1; j < got.scores.length; j++) if (j % 40 !== 0 && got.scores[j] === got.scores[j - 1]) ties++;
      expect(ties).toBeGreaterThan(100);
      const slot = Array.from(order).indexOf(1);
      expect(Array.from(got.items.subarray(slot * 40, slot * 40 + 4))).toEqual([...want3(Y, X, k), -1]);
    });
  }

  /** User 1's three remaining items (0, 1 and the last), best first, smaller index on ties. */
  function want3(Y: Float32Array, X: Float32Array, k: number): number[] {
    const cols = Y.length / k;
    const score = (i: number) => {
      let s = 0;
      for (let d = 0; d < k; d++) s += X[k + d]! * Y[i * k + d]!;
      return s;
    };
    return [0, 1, cols - 1].sort((p, q) => score(q) - score(p) || p - q);
  }

  it('random float factors: scores are bitwise those of scoreRows, ranked by brute force', async () => {
    const rand = mulberry32(7);
    const k = 13;
    const rows = 40;
    const cols = 1300;
    const X = Float32Array.from({ length: rows * k }, () => rand() * 0.6 - 0.1);
    const Y = Float32Array.from({ length: cols * k }, () => rand() * 0.6 - 0.1);
    const exclude = exclusions(rows, cols, rand);
    const order = Int32Array.from({ length: rows }, (_, r) => rows - 1 - r);
    const n = 15;
    const got = await a.topN(X, Y, k, order, n, exclude, 2);
    const dense = await a.scoreRows(X, Y, k, order, 2);
    for (let r = 0; r < rows; r++) {
      const u = order[r]!;
      const skip = new Set(exclude.indices.subarray(exclude.indptr[u]!, exclude.indptr[u + 1]!));
      const ranked = Array.from({ length: cols }, (_, i) => i)
        .filter((i) => !skip.has(i))
        .sort((p, q) => dense[r * cols + q]! - dense[r * cols + p]! || p - q)
        .slice(0, n);
      const pad = Array<number>(n - ranked.length).fill(-1); // user 1 has only 3 candidates
      expect(Array.from(got.items.subarray(r * n, (r + 1) * n))).toEqual([...ranked, ...pad]);
      expect(Array.from(got.scores.subarray(r * n, (r + 1) * n))).toEqual([
        ...ranked.map((i) => dense[r * cols + i]!),
        ...pad.map(() => -Infinity),
      ]);
    }
  });
});

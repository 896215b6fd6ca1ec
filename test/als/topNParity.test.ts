/**
 * One ranking rule on every top-N path (src/als/selectTopN.ts): score descending, then item
 * index ascending, NaN never ranked, -1 / -Infinity padding. The TypeScript backend's topN (which
 * is selectTopN over each score row) and the native kernel must return identical items and
 * scores on random inputs, both checked against a brute-force sort. Factors are small integers,
 * so every score is an exact float32 in both backends (no rounding differences) and ties are
 * everywhere: whole rows of equal scores, equal scores across the heap boundary and the native
 * kernel's tile boundaries (512 items).
 */
import { describe, expect, it } from 'vitest';
import { tsBackend } from '../../src/als/tsBackend.js';
import { loadNativeBackend } from '../../src/als/nativeBackend.js';
import { mulberry32 } from '../../src/als/initialFactors.js';
import type { Csr } from '../../src/matrix/csr.js';
import { nativeTestsRun } from '../helpers/nativeRequired.js';

interface Problem {
  X: Float32Array;
  Y: Float32Array;
  k: number;
  users: number;
  items: number;
  rows: Int32Array;
  exclude: Csr | null;
}

function randomProblem(seed: number, users: number, items: number, k: number, withExclude: boolean): Problem {
  const next = mulberry32(seed);
  const small = () => Math.floor(next() * 5) - 2; // -2..2: exact sums, many ties
  const X = Float32Array.from({ length: users * k }, small);
  X.fill(0, 0, k); // user 0 scores every item 0: pure index order
  const Y = Float32Array.from({ length: items * k }, small);
  const rows = Int32Array.from({ length: Math.min(users, 40) }, () => Math.floor(next() * users));
  let exclude: Csr | null = null;
  if (withExclude) {
    const indptr = new Int32Array(users + 1);
    const indices: number[] = [];
    for (let u = 0; u < users; u++) {
      for (let i = 0; i < items; i++) if (next() < 0.2) indices.push(i);
      indptr[u + 1] = indices.length;
    }
    exclude = { rows: users, cols: items, indptr, indices: Int32Array.from(indices), data: new Float32Array(indices.length).fill(1) };
  }
  return { X, Y, k, users, items, rows, exclude };
}

/** The expected ranking by a full sort of every candidate (exact integer scores). */
function bruteForce(p: Problem, n: number): { items: number[]; scores: number[] } {
  const items: number[] = [];
  const scores: number[] = [];
  for (const u of p.rows) {
    const seen = new Set<number>();
    if (p.exclude) for (let q = p.exclude.indptr[u]!; q < p.exclude.indptr[u + 1]!; q++) seen.add(p.exclude.indices[q]!);
    const all: Array<{ i: number; s: number }> = [];
    for (let i = 0; i < p.items; i++) {
      if (seen.has(i)) continue;
      let s = 0;
      for (let a = 0; a < p.k; a++) s += p.X[u * p.k + a]! * p.Y[i * p.k + a]!;
      all.push({ i, s });
    }
    all.sort((a, b) => b.s - a.s || a.i - b.i);
    for (let j = 0; j < n; j++) {
      items.push(j < all.length ? all[j]!.i : -1);
      scores.push(j < all.length ? all[j]!.s : -Infinity);
    }
  }
  return { items, scores };
}

/** -0 as 0 (they rank equal; only their sign bit differs). */
const plusZero = (s: number) => s + 0;

const shapes: Array<[users: number, items: number, k: number]> = [[3, 1, 1], [50, 7, 3], [45, 600, 4], [36, 1100, 8]];

describe('top-N ranking: one rule for the TypeScript and native paths', () => {
  it('the TypeScript backend (selectTopN per row) matches a brute-force sort, ties to the smaller index', async () => {
    let seed = 1;
    for (const [users, items, k] of shapes) {
      for (const withExclude of [false, true]) {
        const p = randomProblem(seed++, users, items, k, withExclude);
        for (const n of [1, 5, items, items + 3]) {
          const got = await tsBackend.topN(p.X, p.Y, p.k, p.rows, n, p.exclude, 1);
          const want = bruteForce(p, n);
          expect([...got.items], `users ${users} items ${items} k ${k} n ${n}`).toEqual(want.items);
          expect([...got.scores]).toEqual(want.scores);
        }
      }
    }
  });

  it.skipIf(!nativeTestsRun())('the native topN returns exactly what the TypeScript backend returns', async () => {
    const native = loadNativeBackend();
    let seed = 100;
    for (const [users, items, k] of shapes) {
      for (const withExclude of [false, true]) {
        const p = randomProblem(seed++, users, items, k, withExclude);
        for (const n of [1, 5, items, items + 3]) {
          for (const threads of [1, 2]) {
            const ts = await tsBackend.topN(p.X, p.Y, p.k, p.rows, n, p.exclude, threads);
            const nat = await native.topN(p.X, p.Y, p.k, p.rows, n, p.exclude, threads);
            expect([...nat.items], `users ${users} items ${items} k ${k} n ${n} threads ${threads}`).toEqual([...ts.items]);
            // Equal as numbers: a zero sum may come out as -0 in one summation order and 0 in another.
            expect(Array.from(nat.scores, plusZero)).toEqual(Array.from(ts.scores, plusZero));
          }
        }
      }
    }
  });

  it.skipIf(!nativeTestsRun())('neither path ranks a NaN score; both pad the row instead', async () => {
    const native = loadNativeBackend();
    const k = 1;
    const X = Float32Array.of(1);
    const Y = Float32Array.of(2, Number.NaN, 2, -1);
    const rows = Int32Array.of(0);
    for (const backend of [tsBackend, native]) {
      const top = await backend.topN(X, Y, k, rows, 5, null, 1);
      expect([...top.items], backend.name).toEqual([0, 2, 3, -1, -1]);
      expect([...top.scores], backend.name).toEqual([2, 2, -1, -Infinity, -Infinity]);
    }
  });
});

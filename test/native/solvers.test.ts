/**
 * Numerical checks of the native half-sweeps and topN on seeded problems: residuals of the normal
 * equations, CG against Cholesky, thread-count independence, and a brute-force topN oracle.
 */
import { describe, expect, it } from 'vitest';
import type { Csr } from '../../src/matrix/csr.js';
import { bruteForceTopN, normalEquations, randomProblem, relativeResidual, tryLoadAddon } from './problems.js';

const { addon } = tryLoadAddon();

describe.skipIf(addon === null)('native half-sweeps', () => {
  const a = addon!;
  const lambda = 0.1;

  it('Cholesky: every row satisfies its normal equations (relative residual < 1e-4)', async () => {
    // Confidences 1..41 plus some negative ones (preference 0 with confidence |c| >= 1).
    const { C, X, Y, k } = randomProblem(11, 60, 80, 8, 0.15, (r) => (r() < 0.1 ? -(1 + r() * 4) : 1 + Math.floor(r() * 5) * 10));
    expect(Array.from(C.data).some((c) => c < 0)).toBe(true);
    await a.halfSweepCholesky(C, X, Y, k, lambda, 2);
    const failures: string[] = [];
    for (let u = 0; u < C.rows; u++) {
      const x = X.subarray(u * k, (u + 1) * k);
      if (C.indptr[u] === C.indptr[u + 1]) {
        if (x.some((v) => v !== 0)) failures.push(`row ${u} has no entries but x = ${Array.from(x)}`);
        continue;
      }
      const { A, b } = normalEquations(C, Y, k, lambda, u);
      const residual = relativeResidual(A, b, x, k);
      if (!(residual < 1e-4)) failures.push(`row ${u}: relative residual ${residual.toExponential(3)}`);
    }
    expect(failures).toEqual([]);
  });

  it('Cholesky: confidences below 1 (negative weights in A) are handled', async () => {
    const { C, X, Y, k } = randomProblem(12, 30, 40, 6, 0.2, (r) => 0.25 + r() * 0.7, 0.3);
    await a.halfSweepCholesky(C, X, Y, k, 1, 1);
    for (let u = 1; u < C.rows; u++) {
      if (C.indptr[u] === C.indptr[u + 1]) continue;
      const { A, b } = normalEquations(C, Y, k, 1, u);
      const residual = relativeResidual(A, b, X.subarray(u * k, (u + 1) * k), k);
      expect(residual, `row ${u}: relative residual ${residual}`).toBeLessThan(1e-4);
    }
  });

  it('CG with cgSteps = k matches Cholesky within 1e-3', async () => {
    const { C, X, Y, k } = randomProblem(13, 50, 70, 6, 0.2, (r) => 1 + r() * 4);
    const Xcg = X.slice();
    const Xchol = X.slice();
    await a.halfSweepCG(C, Xcg, Y, k, 1, k, 2);
    await a.halfSweepCholesky(C, Xchol, Y, k, 1, 2);
    let worst = 0;
    for (let j = 0; j < Xcg.length; j++) worst = Math.max(worst, Math.abs(Xcg[j]! - Xchol[j]!));
    expect(worst, `max |x_cg - x_cholesky| = ${worst}`).toBeLessThan(1e-3);
  });

  it('CG: rows without entries get zeros; a converged row is left as it is', async () => {
    const { C, X, Y, k } = randomProblem(14, 20, 30, 4, 0.2);
    await a.halfSweepCholesky(C, X, Y, k, lambda, 1);
    const solved = X.slice();
    X.fill(7, 0, k); // row 0 is empty
    await a.halfSweepCG(C, X, Y, k, lambda, 3, 1);
    expect(Array.from(X.subarray(0, k))).toEqual(new Array(k).fill(0));
    for (let j = k; j < X.length; j++) expect(Math.abs(X[j]! - solved[j]!)).toBeLessThan(1e-4);
  });

  // Factor counts around the SIMD packet width (16 floats with AVX-512, 8 with AVX2): padding
  // tails, exact multiples, and widths past the unrolled kernels (k > 128); rows of ~150 entries
  // span several gathered blocks (Cholesky) and float partial-sum flushes (CG).
  it('every padded width: Cholesky rows satisfy their normal equations, CG with cgSteps = k nearly', async () => {
    const worst: string[] = [];
    for (const k of [1, 7, 16, 17, 33, 64, 130, 200]) {
      const { C, X, Y } = randomProblem(40 + k, 8, 260, k, 0.6, (r) => 1 + Math.floor(r() * 5) * 10, 0.3);
      const Xchol = X.slice();
      const Xcg = X.slice();
      await a.halfSweepCholesky(C, Xchol, Y, k, lambda, 2);
      await a.halfSweepCG(C, Xcg, Y, k, lambda, k, 2);
      let chol = 0;
      let cg = 0;
      for (let u = 1; u < C.rows; u++) {
        const { A, b } = normalEquations(C, Y, k, lambda, u);
        chol = Math.max(chol, relativeResidual(A, b, Xchol.subarray(u * k, (u + 1) * k), k));
        cg = Math.max(cg, relativeResidual(A, b, Xcg.subarray(u * k, (u + 1) * k), k));
      }
      worst.push(`k=${k}: Cholesky ${chol.toExponential(2)}, CG ${cg.toExponential(2)}`);
      expect(chol, worst.join('; ')).toBeLessThan(1e-4);
      expect(cg, worst.join('; ')).toBeLessThan(1e-3);
    }
    console.log(`worst relative residuals: ${worst.join('; ')}`);
  });

  it('results are bit-identical for 1 and 2 threads', async () => {
    const { C, X, Y, k } = randomProblem(15, 200, 150, 16, 0.1);
    for (const solver of ['cg', 'cholesky'] as const) {
      const outputs: Float32Array[] = [];
      for (const threads of [1, 2, 3]) {
        const Xt = X.slice();
        if (solver === 'cg') await a.halfSweepCG(C, Xt, Y, k, lambda, 3, threads);
        else await a.halfSweepCholesky(C, Xt, Y, k, lambda, threads);
        outputs.push(Xt);
      }
      expect(Buffer.from(outputs[1]!.buffer).equals(Buffer.from(outputs[0]!.buffer)), solver).toBe(true);
      expect(Buffer.from(outputs[2]!.buffer).equals(Buffer.from(outputs[0]!.buffer)), solver).toBe(true);
    }
  });

  it('gram is YtY', () => {
    const { Y, k } = randomProblem(16, 2, 25, 5, 0);
    const G = a.gram(Y, k);
    const cols = Y.length / k;
    for (let p = 0; p < k; p++) {
      for (let q = 0; q < k; q++) {
        let s = 0;
        for (let i = 0; i < cols; i++) s += Y[i * k + p]! * Y[i * k + q]!;
        expect(Math.abs(G[p * k + q]! - s)).toBeLessThan(1e-5);
        expect(G[p * k + q]).toBe(G[q * k + p]);
      }
    }
  });
});

describe.skipIf(addon === null)('native topN', () => {
  const a = addon!;

  /** Integer-valued factors: every score is exact in float32, so ties are real ties. */
  function integerProblem(): { X: Float32Array; Y: Float32Array; k: number; exclude: Csr } {
    const { C, k } = randomProblem(21, 70, 90, 3, 0.3);
    let s = 1;
    const next = () => ((s = (s * 48271) % 2147483647), (s % 5) - 2);
    const X = Float32Array.from({ length: C.rows * k }, next);
    const Y = Float32Array.from({ length: C.cols * k }, next);
    return { X, Y, k, exclude: C };
  }

  it('matches brute force including exclusion and ties (smaller index first)', async () => {
    const { X, Y, k, exclude } = integerProblem();
    const rows = Int32Array.from({ length: exclude.rows }, (_, u) => (u * 37) % exclude.rows);
    for (const [n, ex] of [[10, exclude], [10, null], [1, exclude]] as const) {
      const got = await a.topN(X, Y, k, rows, n, ex, 2);
      const want = bruteForceTopN(X, Y, k, rows, n, ex);
      expect(Array.from(got.items)).toEqual(Array.from(want.items));
      expect(Array.from(got.scores)).toEqual(Array.from(want.scores));
    }
    // The problem really has ties.
    const got = await a.topN(X, Y, k, rows, 10, exclude, 1);
    let ties = 0;
    for (let j = 1; j < got.scores.length; j++) if (j % 10 !== 0 && got.scores[j] === got.scores[j - 1]) ties++;
    expect(ties).toBeGreaterThan(10);
  });

  it('pads with -1 / -Infinity when fewer than n candidates remain', async () => {
    const X = Float32Array.of(1, 1);
    const Y = Float32Array.of(1, 0, 0, 2, 3, 3);
    const exclude = { rows: 1, cols: 3, indptr: Int32Array.of(0, 1), indices: Int32Array.of(2) };
    const got = await a.topN(X, Y, 2, Int32Array.of(0), 4, exclude, 1);
    expect(Array.from(got.items)).toEqual([1, 0, -1, -1]);
    expect(Array.from(got.scores)).toEqual([2, 1, -Infinity, -Infinity]);
  });

  it('random factors: same items as brute force, scores within 1e-5, any thread count', async () => {
    const { C, X, Y, k } = randomProblem(22, 100, 300, 12, 0.05);
    const rows = Int32Array.from({ length: 100 }, (_, u) => 99 - u);
    const one = await a.topN(X, Y, k, rows, 20, C, 1);
    const two = await a.topN(X, Y, k, rows, 20, C, 2);
    expect(Array.from(two.items)).toEqual(Array.from(one.items));
    expect(Array.from(two.scores)).toEqual(Array.from(one.scores));
    const want = bruteForceTopN(X, Y, k, rows, 20, C);
    for (let j = 0; j < want.items.length; j++) {
      expect(Math.abs(one.scores[j]! - want.scores[j]!)).toBeLessThan(1e-5);
      // Items may differ only where float rounding decides a near-tie: then the returned item's
      // exact score must be as good as the brute-force one.
      if (one.items[j] !== want.items[j]) {
        const u = rows[Math.floor(j / 20)]!;
        const i = one.items[j]!;
        let score = 0;
        for (let d = 0; d < k; d++) score += X[u * k + d]! * Y[i * k + d]!;
        expect(Math.abs(score - want.scores[j]!)).toBeLessThan(1e-5);
      }
    }
  });
});

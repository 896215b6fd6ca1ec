/**
 * The contract every AlsBackend meets; run against each backend by `*.contract.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import type { AlsBackend } from '../../src/als/backend.js';
import { RowSolveError } from '../../src/als/backend.js';
import { buildCsr } from '../../src/matrix/csr.js';
import { buildInteractions } from '../../src/matrix/interactions.js';
import { ALS } from '../../src/als/model.js';
import { checkerboard, normalEquationResidual, randomProblem } from '../helpers/randomProblem.js';

const base = { regularization: 0.1, cgSteps: 3, threads: 1 } as const;

/**
 * `variant` names a native build other than the one the loader picks (x86-64 level or -march=
 * native): its kernels get the whole suite; the tests through the model are skipped for it, as the
 * model uses the loader's pick (they run once under 'native').
 */
export function backendContract(name: 'ts' | 'native', getBackend: () => AlsBackend, variant?: string): void {
  describe(`AlsBackend contract: ${name}${variant === undefined ? '' : ` ${variant}`}`, () => {
    it('Cholesky: every row satisfies its normal equations (relative residual < 1e-4)', async () => {
      const { C, X, Y, k } = randomProblem(60, 40, 8, 0.25, 1);
      await getBackend().halfSweep(C, X, Y, k, { ...base, solver: 'cholesky' });
      for (let u = 0; u < C.rows; u++) {
        if (C.indptr[u] === C.indptr[u + 1]) continue;
        const res = normalEquationResidual(C, X, Y, k, base.regularization, u);
        expect(res, `row ${u} residual ${res}`).toBeLessThan(1e-4);
      }
    });

    it('Cholesky: negative values mean preference 0 with confidence |c|', async () => {
      const p = randomProblem(30, 20, 4, 0.4, 2);
      const data = p.C.data.map((v, j) => (j % 3 === 0 ? -v : v));
      const C = { ...p.C, data };
      await getBackend().halfSweep(C, p.X, p.Y, p.k, { ...base, solver: 'cholesky' });
      for (let u = 0; u < C.rows; u++) {
        if (C.indptr[u] === C.indptr[u + 1]) continue;
        const res = normalEquationResidual(C, p.X, p.Y, p.k, base.regularization, u);
        expect(res, `row ${u} residual ${res}`).toBeLessThan(1e-4);
      }
    });

    it('CG with cgSteps = factors matches Cholesky within 1e-3', async () => {
      const a = randomProblem(50, 30, 6, 0.3, 3);
      const b = randomProblem(50, 30, 6, 0.3, 3);
      await getBackend().halfSweep(a.C, a.X, a.Y, a.k, { ...base, solver: 'cholesky' });
      await getBackend().halfSweep(b.C, b.X, b.Y, b.k, { ...base, solver: 'cg', cgSteps: b.k });
      let worst = 0;
      for (let j = 0; j < a.X.length; j++) worst = Math.max(worst, Math.abs(a.X[j]! - b.X[j]!));
      expect(worst, `max abs difference ${worst}`).toBeLessThan(1e-3);
    });

    it('rows without entries get zero factors (both solvers)', async () => {
      for (const solver of ['cg', 'cholesky'] as const) {
        const C = buildCsr(Int32Array.of(1), Int32Array.of(0), Float32Array.of(3), 3, 2);
        const X = new Float32Array(3 * 2).fill(0.5);
        const Y = Float32Array.of(0.1, 0.2, 0.3, 0.4);
        await getBackend().halfSweep(C, X, Y, 2, { ...base, solver });
        expect([X[0], X[1], X[4], X[5]]).toEqual([0, 0, 0, 0]);
        expect(X[2]).not.toBe(0);
      }
    });

    it('a failed Cholesky factorization reports its row', async () => {
      const C = buildCsr(Int32Array.of(0, 2), Int32Array.of(0, 1), Float32Array.of(1, 2), 3, 2);
      const X = new Float32Array(3 * 2);
      const Y = new Float32Array(2 * 2); // A = 0 + 0 + 0*I: not positive definite
      const failure = await getBackend().halfSweep(C, X, Y, 2, { ...base, regularization: 0, solver: 'cholesky' }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(RowSolveError);
      expect((failure as RowSolveError).row).toBe(0);
    });

    it('results are identical for 1 and 2 threads', async () => {
      for (const solver of ['cg', 'cholesky'] as const) {
        const a = randomProblem(200, 90, 10, 0.1, 4);
        const b = randomProblem(200, 90, 10, 0.1, 4);
        await getBackend().halfSweep(a.C, a.X, a.Y, a.k, { ...base, solver, threads: 1 });
        await getBackend().halfSweep(b.C, b.X, b.Y, b.k, { ...base, solver, threads: 2 });
        expect(Buffer.from(a.X.buffer).equals(Buffer.from(b.X.buffer))).toBe(true);
      }
    });

    it('topN ranks by x_u . y_i, skips excluded entries, ties to the smaller index, pads with -1', async () => {
      const k = 2;
      const X = Float32Array.of(1, 0, 0, 1);
      // scores for user 0: item0 .5, item1 .9, item2 .5, item3 .9 ; user 1: .1 .2 .3 .4
      const Y = Float32Array.of(0.5, 0.1, 0.9, 0.2, 0.5, 0.3, 0.9, 0.4);
      const exclude = buildCsr(Int32Array.of(1, 1, 1), Int32Array.of(0, 2, 3), Float32Array.of(1, 1, 1), 2, 4);
      const top = await getBackend().topN(X, Y, k, Int32Array.of(0, 1), 3, exclude, 1);
      expect([...top.items]).toEqual([1, 3, 0, 1, -1, -1]);
      expect(top.scores[0]).toBeCloseTo(0.9, 6);
      expect(top.scores[2]).toBeCloseTo(0.5, 6);
      expect(top.scores[3]).toBeCloseTo(0.2, 6);
      expect(top.scores[4]).toBe(-Infinity);
    });

    it('topN agrees with brute force on a random problem', async () => {
      const { C, X, Y, k } = randomProblem(40, 70, 5, 0.2, 5);
      const rows = Int32Array.from({ length: 40 }, (_, j) => 39 - j);
      const n = 7;
      const top = await getBackend().topN(X, Y, k, rows, n, C, 2);
      for (let r = 0; r < rows.length; r++) {
        const u = rows[r]!;
        const liked = new Set(C.indices.subarray(C.indptr[u]!, C.indptr[u + 1]!));
        const all = [];
        for (let i = 0; i < 70; i++) {
          if (liked.has(i)) continue;
          let s = 0;
          for (let a = 0; a < k; a++) s += X[u * k + a]! * Y[i * k + a]!;
          all.push({ i, s });
        }
        all.sort((p, q) => q.s - p.s || p.i - q.i);
        expect([...top.items.subarray(r * n, r * n + n)]).toEqual(all.slice(0, n).map((e) => e.i));
      }
    });

    it('scoreRows gives X[u] . Y[i] for every requested row, as topN ranks them', async () => {
      const { X, Y, k } = randomProblem(12, 9, 4, 0.5, 8);
      const rows = Int32Array.of(3, 0, 11);
      const S = await getBackend().scoreRows(X, Y, k, rows, 2);
      expect(S).toHaveLength(3 * 9);
      for (let r = 0; r < rows.length; r++) {
        for (let i = 0; i < 9; i++) {
          let s = 0;
          for (let a = 0; a < k; a++) s += X[rows[r]! * k + a]! * Y[i * k + a]!;
          expect(S[r * 9 + i]).toBeCloseTo(s, 6);
        }
      }
      const top = await getBackend().topN(X, Y, k, rows, 1, null, 1);
      for (let r = 0; r < rows.length; r++) expect(S[r * 9 + top.items[r]!]).toBe(Math.max(...S.subarray(r * 9, r * 9 + 9)));
    });

    describe.skipIf(variant !== undefined)('through the model', () => {
      it('checkerboard oracle: each user\'s withheld in-block movie is their top recommendation', async () => {
        for (const solver of ['cg', 'cholesky'] as const) {
          const cb = checkerboard(12, 8);
          const data = { users: cb.rows, items: cb.cols, ratings: cb.values, timestamps: new Float64Array(cb.rows.length) };
          const model = await new ALS({ factors: 4, iterations: 15, regularization: 0.01, solver, backend: name, threads: 2 }).fit(buildInteractions(data));
          for (let u = 0; u < cb.users; u++) {
            const top = model.recommend(u, { n: 1 })[0]!;
            expect(top.itemId, `user ${u} (${solver})`).toBe(cb.withheld[u]);
          }
          const many = await model.recommendMany(Int32Array.from({ length: cb.users }, (_, u) => u), { n: 1 });
          expect(many.map((l) => l[0]!.itemId)).toEqual([...cb.withheld]);
        }
      });

      it('training loss never increases across Cholesky iterations', async () => {
        const { C } = randomProblem(80, 60, 1, 0.15, 6);
        const users = Int32Array.from({ length: C.indices.length });
        for (let u = 0; u < C.rows; u++) users.fill(u, C.indptr[u]!, C.indptr[u + 1]!);
        const data = { users, items: C.indices, ratings: C.data, timestamps: new Float64Array(C.indices.length) };
        const losses: number[] = [];
        await new ALS({ factors: 6, iterations: 10, solver: 'cholesky', backend: name, calculateTrainingLoss: true, onIteration: (_i, _s, loss) => losses.push(loss!) }).fit(buildInteractions(data));
        expect(losses).toHaveLength(10);
        for (let j = 1; j < losses.length; j++) expect(losses[j]!, `iteration ${j + 1}: ${losses.join(', ')}`).toBeLessThanOrEqual(losses[j - 1]! * (1 + 1e-6));
      });

      it('same seed gives identical factors, another seed different ones', async () => {
        const { C } = randomProblem(30, 25, 1, 0.3, 7);
        const users = Int32Array.from({ length: C.indices.length });
        for (let u = 0; u < C.rows; u++) users.fill(u, C.indptr[u]!, C.indptr[u + 1]!);
        const data = buildInteractions({ users, items: C.indices, ratings: C.data, timestamps: new Float64Array(C.indices.length) });
        const fit = (seed: number) => new ALS({ factors: 5, iterations: 3, seed, backend: name }).fit(data);
        const [a, b, c] = await Promise.all([fit(1), fit(1), fit(2)]);
        expect(Buffer.from(a.userFactors.buffer).equals(Buffer.from(b.userFactors.buffer))).toBe(true);
        expect(Buffer.from(a.itemFactors.buffer).equals(Buffer.from(b.itemFactors.buffer))).toBe(true);
        expect(Buffer.from(a.userFactors.buffer).equals(Buffer.from(c.userFactors.buffer))).toBe(false);
      });
    });
  });
}

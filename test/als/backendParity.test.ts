/**
 * Native and TS backends compute the same model: one iteration from the same initial factors
 * agrees to 1e-4 (relative); after the full seed configuration on ML-100K the Cholesky top-10
 * lists agree for >= 99% of users, and the CG lists as closely as CG's sensitivity allows (below).
 */
import { describe, expect, it } from 'vitest';
import { loadNativeBackend } from '../../src/als/nativeBackend.js';
import { tsBackend } from '../../src/als/tsBackend.js';
import { scaleCsr, transposeCsr } from '../../src/matrix/csr.js';
import { buildInteractions } from '../../src/matrix/interactions.js';
import { initialFactors } from '../../src/als/initialFactors.js';
import { loadMovieLens } from '../../src/data/loadMovieLens.js';
import { temporalLeaveLastOut } from '../../src/eval/temporalLeaveLastOut.js';
import { ALS } from '../../src/als/model.js';
import type { AlsBackend } from '../../src/als/backend.js';
import { tryLoadAddon, variantsUnderTest } from '../native/problems.js';
import type { NativeVariant } from '../../src/als/native/addon.js';
import { randomProblem } from '../helpers/randomProblem.js';
import { halfSweepScaling } from '../../src/als/objective.js';

const { addon, reason } = tryLoadAddon();
if (addon === null) console.warn(`backend parity skipped: ${reason}`);
const dir = process.env['MOVIELENS_DIR'];
if (!dir) console.warn('backend parity on ML-100K skipped: MOVIELENS_DIR is not set.');

/** max |a - b| / max |b|: a relative error that near-zero entries cannot blow up. */
function relativeError(a: Float32Array, b: Float32Array): number {
  let diff = 0;
  let scale = 0;
  for (let j = 0; j < a.length; j++) {
    diff = Math.max(diff, Math.abs(a[j]! - b[j]!));
    scale = Math.max(scale, Math.abs(b[j]!));
  }
  return diff / scale;
}

type ObjectiveOptions = Parameters<typeof halfSweepScaling>[0];

async function oneIteration(backend: AlsBackend, solver: 'cg' | 'cholesky', C: ReturnType<typeof scaleCsr>, k: number, objective?: ObjectiveOptions, regularization = 0.01) {
  const { userFactors: X, itemFactors: Y } = initialFactors(C.rows, C.cols, k, 0);
  const options = { solver, regularization, cgSteps: 3, threads: 2 };
  await backend.halfSweep(C, X, Y, k, { ...options, ...(objective ? { objective: halfSweepScaling(objective, C.cols) } : {}) });
  await backend.halfSweep(transposeCsr(C), Y, X, k, { ...options, ...(objective ? { objective: halfSweepScaling(objective, C.rows) } : {}) });
  return { X, Y };
}

describe.skipIf(addon === null)('native vs TS backend parity', () => {
  // One iteration from the same start, for the build the loader picks and for every variant this
  // CPU runs (x86-64 levels v2/v3/v4 and a -march=native build if present): each is a separate
  // shared object with its own SIMD, so each is held to the same bound.
  const variants: Array<NativeVariant | undefined> = [undefined, ...(addon === null ? [] : variantsUnderTest())];
  for (const variant of variants) {
    const label = variant === undefined ? 'native' : `native ${variant}`;
    for (const solver of ['cg', 'cholesky'] as const) {
      it(`${label}: one ${solver} iteration from the same initial factors agrees within 1e-4 (relative)`, async () => {
        const { C } = randomProblem(300, 200, 1, 0.08, 21);
        const native = await oneIteration(loadNativeBackend(variant), solver, C, 16);
        const ts = await oneIteration(tsBackend, solver, C, 16);
        const ex = relativeError(native.X, ts.X);
        const ey = relativeError(native.Y, ts.Y);
        expect(ex, `users ${ex}`).toBeLessThan(1e-4);
        expect(ey, `items ${ey}`).toBeLessThan(1e-4);
      });
    }
  }

  const objectives: Array<[string, ObjectiveOptions, number]> = [
    ["Rendle et al.'s (a0 = 0.1, nu = 1)", { convention: 'implicit', unobservedWeight: 0.1, regularizationExponent: 1 }, 1e-4],
    ["Spark's (ALS-WR, some preferences 0)", { convention: 'spark', unobservedWeight: 1, regularizationExponent: 1 }, 0.01],
  ];
  for (const [label, objective, lambda] of objectives) {
    for (const solver of ['cg', 'cholesky'] as const) {
      it(`one ${solver} iteration with ${label} objective agrees within 1e-4 (relative)`, async () => {
        const { C } = randomProblem(300, 200, 1, 0.08, 22);
        // Spark-style stored values: 1 + alpha |r|, every fifth one a preference 0.
        const data = objective.convention === 'spark' ? C.data.map((r, j) => (j % 5 === 0 ? -(1 + r) : 1 + r)) : C.data;
        const Cx = { ...C, data };
        const native = await oneIteration(loadNativeBackend(), solver, Cx, 16, objective, lambda);
        const ts = await oneIteration(tsBackend, solver, Cx, 16, objective, lambda);
        const e = Math.max(relativeError(native.X, ts.X), relativeError(native.Y, ts.Y));
        expect(e, `${e}`).toBeLessThan(1e-4);
      });
    }
  }

  describe.skipIf(!dir)('on ML-100K (MOVIELENS_DIR)', () => {
    it('one iteration of the seed configuration agrees within 1e-4 (relative), both solvers, every variant', async () => {
      const data = await loadMovieLens(dir!);
      const all = buildInteractions(data);
      const train = buildInteractions(temporalLeaveLastOut(data.ratings).train, all);
      for (const solver of ['cg', 'cholesky'] as const) {
        const C = scaleCsr(train.matrix, 1);
        const ts = await oneIteration(tsBackend, solver, C, 50);
        for (const variant of variants) {
          const native = await oneIteration(loadNativeBackend(variant), solver, C, 50);
          const e = Math.max(relativeError(native.X, ts.X), relativeError(native.Y, ts.Y));
          console.log(`ML-100K, one ${solver} iteration: native ${variant ?? '(default)'} vs TS relative error ${e.toExponential(2)}`);
          expect(e, `${solver} ${variant ?? 'default'}: ${e}`).toBeLessThan(1e-4);
        }
      }
    }, 120_000);

    /** Per-user comparison of two models' top-10 lists (train items filtered). */
    async function compareTop10(a: ALS, b: ALS, users: Int32Array) {
      const [ra, rb] = await Promise.all([a.recommendMany(users, { n: 10 }), b.recommendMany(users, { n: 10 })]);
      let identical = 0;
      let shared = 0;
      for (let u = 0; u < users.length; u++) {
        const listA = ra[u]!.map((r) => r.itemId);
        const listB = new Set(rb[u]!.map((r) => r.itemId));
        if (listA.join() === rb[u]!.map((r) => r.itemId).join()) identical++;
        shared += listA.filter((id) => listB.has(id)).length / 10;
      }
      return { identical: identical / users.length, meanShared: shared / users.length };
    }
    const sameTop10 = async (a: ALS, b: ALS, users: Int32Array) => (await compareTop10(a, b, users)).identical;

    it('after 20 Cholesky iterations the top-10 lists agree for >= 99% of users', async () => {
      const all = buildInteractions(await loadMovieLens(dir!));
      const users = all.users.ids as Int32Array;
      const [native, ts] = await Promise.all((['native', 'ts'] as const).map((backend) => new ALS({ backend, solver: 'cholesky' }).fit(all)));
      const share = await sameTop10(native!, ts!, users);
      expect(share, `top-10 identical for ${(share * 100).toFixed(1)}% of users`).toBeGreaterThanOrEqual(0.99);
    }, 120_000);

    // CG with 3 steps per row is an inexact solve, and ALS with it does not contract
    // perturbations: after 20 iterations the TS backend against itself, started from item factors
    // perturbed by 1e-7 (relative, float32 rounding size), has identical ordered top-10 lists for
    // only ~94.5% of users (the near-tied ranks swap), though the lists share 99.9% of their movies.
    // Native CG (float32 products, double CG vectors) differs from TS by ~4e-6 per half-sweep, so
    // the criterion is the movies the lists share, and the ordered share is held to that of the
    // perturbed TS run minus a margin.
    it('after 20 CG iterations native and TS top-10 lists share >= 99.5% of their movies and are identical about as often as TS with itself under a 1e-7 perturbation', async () => {
      const all = buildInteractions(await loadMovieLens(dir!));
      const users = all.users.ids as Int32Array;
      const native = await new ALS({ backend: 'native' }).fit(all);
      const ts = await new ALS({ backend: 'ts' }).fit(all);
      const start = initialFactors(all.users.size, all.items.size, 50, 0);
      start.itemFactors.forEach((v, j) => (start.itemFactors[j] = v * (1 + (j % 2 === 0 ? 1e-7 : -1e-7))));
      const perturbed = await new ALS({ backend: 'ts' }).fit(all, { initialFactors: start });
      const parity = await compareTop10(native, ts, users);
      const self = await compareTop10(perturbed, ts, users);
      const report = `native vs TS: ${(parity.meanShared * 100).toFixed(2)}% shared, ${(parity.identical * 100).toFixed(1)}% identical; ` +
        `TS vs perturbed TS: ${(self.meanShared * 100).toFixed(2)}% shared, ${(self.identical * 100).toFixed(1)}% identical`;
      console.log(report);
      expect(parity.meanShared, report).toBeGreaterThanOrEqual(0.995);
      expect(parity.identical, report).toBeGreaterThanOrEqual(self.identical - 0.05);
    }, 180_000);
  });
});

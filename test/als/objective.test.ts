/**
 * The objective's options (objective.ts, docs/model.md): validation, the per-row lambda, and that
 * fold-in and partial fits solve the same normal equations as training (checked against
 * equations derived by hand from the loss, test/helpers/handDerivedObjective.ts).
 */
import { describe, expect, it } from 'vitest';
import { ALS } from '../../src/als/model.js';
import { resolveAlsOptions } from '../../src/als/options.js';
import { describeObjective, halfSweepScaling, rowRegularization } from '../../src/als/objective.js';
import { buildCsr } from '../../src/matrix/csr.js';
import { buildInteractions } from '../../src/matrix/interactions.js';
import { randomProblem } from '../helpers/randomProblem.js';
import { handDerivedResidual, type HandObjective } from '../helpers/handDerivedObjective.js';
import { tryLoadAddon } from '../native/problems.js';

function interactions(seed: number, negatives: boolean) {
  const { C } = randomProblem(25, 18, 1, 0.3, seed);
  const users = Int32Array.from({ length: C.indices.length });
  for (let u = 0; u < C.rows; u++) users.fill(u, C.indptr[u]!, C.indptr[u + 1]!);
  const ratings = negatives ? C.data.map((r, j) => (j % 4 === 0 ? -r : r)) : C.data;
  return buildInteractions({ users, items: C.indices, ratings, timestamps: new Float64Array(C.indices.length) });
}

/** The stored confidence by each convention's definition, written out independently of confidenceMatrix.ts. */
function confidence(r: number, alpha: number, convention: 'implicit' | 'spark'): number {
  if (convention === 'implicit') return alpha * r;
  return r > 0 ? 1 + alpha * Math.abs(r) : -(1 + alpha * Math.abs(r));
}

const configurations = [
  { convention: 'implicit' as const, alpha: 2, regularization: 0.003, unobservedWeight: 0.2, regularizationExponent: 1 },
  { convention: 'spark' as const, alpha: 2, regularization: 0.05 },
];

describe('objective options', () => {
  it('defaults to Hu et al. and to ALS-WR under the Spark convention; validates once with the option named', () => {
    const plain = resolveAlsOptions({});
    expect([plain.convention, plain.regularizationExponent, plain.unobservedWeight]).toEqual(['implicit', 0, 1]);
    expect(resolveAlsOptions({ convention: 'spark' }).regularizationExponent).toBe(1);
    expect(resolveAlsOptions({ convention: 'spark', regularizationExponent: 0 }).regularizationExponent).toBe(0);
    expect(() => resolveAlsOptions({ convention: 'mllib' as 'spark' })).toThrow(/convention/);
    expect(() => resolveAlsOptions({ unobservedWeight: 0 })).toThrow(/unobservedWeight/);
    expect(() => resolveAlsOptions({ regularizationExponent: -1 })).toThrow(/regularizationExponent/);
    expect(() => resolveAlsOptions({ regularizationExponent: 5 })).toThrow(/regularizationExponent/);
  });

  it('lambda_u: the plain lambda at nu = 0, Rendle et al.\'s (n_u + a0 |I|)^nu, Spark\'s n_u', () => {
    const rendle = halfSweepScaling({ convention: 'implicit', unobservedWeight: 0.5, regularizationExponent: 1 }, 10);
    expect(rendle.frequencyOffset).toBe(5);
    expect(rowRegularization(0.1, rendle, 3)).toBeCloseTo(0.8, 12);
    const spark = halfSweepScaling({ convention: 'spark', unobservedWeight: 1, regularizationExponent: 1 }, 10);
    expect(rowRegularization(0.1, spark, 3)).toBeCloseTo(0.3, 12);
    const plain = halfSweepScaling({ convention: 'implicit', unobservedWeight: 1, regularizationExponent: 0 }, 10);
    expect(rowRegularization(0.1, plain, 3)).toBe(0.1);
    expect(describeObjective(resolveAlsOptions({}))).toBe('');
    expect(describeObjective(resolveAlsOptions({ convention: 'spark' }))).toContain('convention spark');
  });

  for (const backend of ['ts', 'native'] as const) {
    for (const options of configurations) {
      const hand: HandObjective = {
        lambda: options.regularization,
        a0: options.unobservedWeight ?? 1,
        nu: options.regularizationExponent ?? 1,
        countUnobserved: options.convention === 'implicit',
      };
      it(`${backend}, ${options.convention}: recommendForNewUser's factors solve the training objective's equations`, async (ctx) => {
        if (backend === 'native' && !nativeAvailable()) return ctx.skip();
        const data = interactions(31, options.convention === 'spark');
        const model = await new ALS({ ...options, factors: 4, iterations: 3, backend, threads: 1 }).fit(data);
        const ratings = [{ movieId: 2, rating: 5 }, { movieId: 7, rating: options.convention === 'spark' ? -2 : 1 }, { movieId: 11, rating: 3 }];
        const { x } = model.newUserFactors(ratings);
        const cols = Int32Array.from(ratings, (r) => data.items.index(r.movieId, 'item'));
        const order = [...cols.keys()].sort((a, b) => cols[a]! - cols[b]!);
        const C = buildCsr(new Int32Array(3), Int32Array.from(order, (j) => cols[j]!), Float32Array.from(order, (j) => confidence(ratings[j]!.rating, options.alpha, options.convention)), 1, data.items.size);
        expect(handDerivedResidual(C, x, model.itemFactors, 4, hand, 0)).toBeLessThan(1e-4);
      });

      it(`${backend}, ${options.convention}: partialFitUsers solves the training objective's equations`, async (ctx) => {
        if (backend === 'native' && !nativeAvailable()) return ctx.skip();
        const data = interactions(32, options.convention === 'spark');
        const model = await new ALS({ ...options, factors: 4, iterations: 3, backend, threads: 1 }).fit(data);
        const pairs: Array<[number, number]> = [[1, 4], [4, options.convention === 'spark' ? -1 : 2], [9, 5]];
        await model.partialFitUsers([1000], [pairs]);
        const u = model.state.users.index(1000, 'user');
        const x = model.userFactors.subarray(u * 4, u * 4 + 4);
        const C = buildCsr(new Int32Array(3), Int32Array.from(pairs, ([m]) => data.items.index(m, 'item')), Float32Array.from(pairs, ([, r]) => confidence(r, options.alpha, options.convention)), 1, data.items.size);
        expect(handDerivedResidual(C, Float32Array.from(x), model.itemFactors, 4, hand, 0)).toBeLessThan(1e-4);
      });
    }
  }

  it('the training loss never increases across Cholesky iterations under either non-default objective', async () => {
    for (const options of configurations) {
      const losses: number[] = [];
      await new ALS({ ...options, factors: 4, iterations: 8, solver: 'cholesky', backend: 'ts', calculateTrainingLoss: true, onIteration: (_i, _s, loss) => losses.push(loss!) })
        .fit(interactions(33, options.convention === 'spark'));
      for (let j = 1; j < losses.length; j++) expect(losses[j]!, `${options.convention}: ${losses.join(', ')}`).toBeLessThanOrEqual(losses[j - 1]! * (1 + 1e-6));
    }
  });
});

function nativeAvailable(): boolean {
  const { addon, reason } = tryLoadAddon(); // throws under ALSREC_REQUIRE_NATIVE=1
  if (addon === null) console.warn(`native objective checks skipped: ${reason}`);
  return addon !== null;
}

/**
 * explain (src/als/explain.ts, src/als/scoreExplanation.ts): the score split over the rated items
 * (Hu, Koren & Volinsky 2008, section 5). Checked against contributions derived by hand from the
 * loss (plain loops, Gaussian elimination), and against the backends' own solves: the explained
 * score equals the model's score for a user whose factors come from the exact solve (partial fit
 * or fold-in), on both backends, both conventions and both training solvers.
 */
import { describe, expect, it } from 'vitest';
import { ALS } from '../../src/als/model.js';
import { buildCsr } from '../../src/matrix/csr.js';
import { buildInteractions } from '../../src/matrix/interactions.js';
import { explainItem, userWeights } from '../../src/als/explain.js';
import { PLAIN_OBJECTIVE } from '../../src/als/objective.js';
import { randomProblem } from '../helpers/randomProblem.js';
import { handDerivedContributions, type HandObjective } from '../helpers/handDerivedObjective.js';
import { testedBackends } from '../helpers/nativeRequired.js';

/** Ratings 1..5 of 30 users x 24 items (every fourth negated under the Spark convention: dislikes). */
function interactions(seed: number, negatives: boolean) {
  const { C } = randomProblem(30, 24, 1, 0.3, seed);
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
  { convention: 'implicit' as const, alpha: 2, regularization: 0.01 },
  { convention: 'implicit' as const, alpha: 2, regularization: 0.003, unobservedWeight: 0.2, regularizationExponent: 1 },
  { convention: 'spark' as const, alpha: 2, regularization: 0.05 },
];

/** |a - b| relative to |b|, printed on failure by the caller. */
const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('explain: the numerics', () => {
  it('splits y_i · x̂_u over the rated items with preference 1, matching the hand-derived contributions', () => {
    const { Y, k } = randomProblem(1, 12, 5, 0, 7);
    const items = Int32Array.of(1, 4, 6, 9);
    const confidences = Float32Array.of(3, -2, 5, 1); // item 4: preference 0, confidence 2
    const lambda = 0.1;
    const w = userWeights(items, confidences, Y, k, lambda, PLAIN_OBJECTIVE);
    const C = buildCsr(new Int32Array(4), items, confidences, 1, 12);
    const hand: HandObjective = { lambda, a0: 1, nu: 0, countUnobserved: true };
    for (const item of [0, 4, 11]) {
      const expected = handDerivedContributions(C, Y, k, hand, 0, item);
      const got = explainItem(w, Y, item, 10);
      expect(got.contributingItems).toBe(3);
      expect(got.contributions.map((c) => c.index).sort()).toEqual([1, 6, 9]);
      for (const c of got.contributions) expect(c.contribution).toBeCloseTo(expected[c.index]!, 10);
      // largest first
      for (let j = 1; j < got.contributions.length; j++) expect(got.contributions[j - 1]!.contribution).toBeGreaterThanOrEqual(got.contributions[j]!.contribution);
      expect(got.score).toBeCloseTo(expected.reduce((a, b) => a + b, 0), 10);
      expect(explainItem(w, Y, item, 1).contributions).toEqual(got.contributions.slice(0, 1));
    }
  });

  it('refuses weights computed against other item factors', () => {
    const { Y, k } = randomProblem(1, 6, 3, 0, 8);
    const w = userWeights(Int32Array.of(0, 2), Float32Array.of(1, 4), Y, k, 0.1, PLAIN_OBJECTIVE);
    expect(() => explainItem(w, Y.slice(), 1, 3)).toThrow('The user weights were computed against other item factors');
  });
});

describe('explain: the model', () => {
  for (const backend of testedBackends()) {
    for (const solver of ['cg', 'cholesky'] as const) {
      for (const options of configurations) {
        const name = `${backend}, ${solver}, ${options.convention}${options.unobservedWeight ? ', a0 = 0.2, nu = 1' : ''}`;
        const hand: HandObjective = {
          lambda: options.regularization,
          a0: options.unobservedWeight ?? 1,
          nu: options.regularizationExponent ?? (options.convention === 'spark' ? 1 : 0),
          countUnobserved: options.convention === 'implicit',
        };

        it(`${name}: contributions are the hand-derived ones, and their sum is the score of the user re-solved exactly`, async () => {
          const data = interactions(41, options.convention === 'spark');
          const model = await new ALS({ ...options, factors: 5, iterations: 4, solver, backend, threads: 1 }).fit(data);
          const Cui = { ...data.matrix, data: data.matrix.data.map((r) => confidence(r, options.alpha, options.convention)) };
          for (const userId of [0, 7, 19]) {
            const u = data.users.index(userId, 'user');
            const top = model.recommend(userId, { n: 4 });
            const all = top.map((r) => model.explain(userId, r.itemId, { n: 1_000_000 }));
            for (const [j, why] of all.entries()) {
              expect(why.itemId).toBe(top[j]!.itemId);
              expect(why.modelScore).toBe(top[j]!.score);
              const hand1 = handDerivedContributions(Cui, model.itemFactors, 5, hand, u, data.items.index(why.itemId, 'item'));
              for (const c of why.contributions) {
                const expected = hand1[data.items.index(c.itemId, 'item')]!;
                expect(Math.abs(c.contribution - expected), `user ${userId}, item ${why.itemId}, rated ${c.itemId}`).toBeLessThan(1e-6 * (1 + Math.abs(expected)));
              }
              const sum = why.contributions.reduce((a, c) => a + c.contribution, 0);
              expect(relative(sum, why.score)).toBeLessThan(1e-12);
              expect(why.contributions.reduce((a, c) => a + c.share, 0)).toBeCloseTo(1, 10);
            }
            // implicit's recalculate_user: the backend's own Cholesky solve of this user's row
            // against the same item factors; the model then ranks by exactly the explained score.
            const row: Array<[number, number]> = [];
            for (let q = data.matrix.indptr[u]!; q < data.matrix.indptr[u + 1]!; q++) row.push([data.items.id(data.matrix.indices[q]!) as number, data.matrix.data[q]!]);
            await model.partialFitUsers([userId], [row], { replace: true });
            const again = model.recommend(userId, { n: 4, items: top.map((r) => r.itemId), filterAlreadyLiked: false });
            for (const why of all) {
              const modelScore = again.find((r) => r.itemId === why.itemId)!.score;
              expect(relative(why.score, modelScore), `user ${userId}, item ${why.itemId}: explained ${why.score}, model ${modelScore}`).toBeLessThan(1e-4);
              const after = model.explain(userId, why.itemId, { n: 3 });
              expect(relative(after.score, after.modelScore)).toBeLessThan(1e-4);
            }
          }
        });

        it(`${name}: a new user folded in from ratings is explained with the score recommendForNewUser gives`, async () => {
          const data = interactions(42, options.convention === 'spark');
          const model = await new ALS({ ...options, factors: 5, iterations: 3, solver, backend, threads: 1 }).fit(data);
          const ratings = [{ movieId: 2, rating: 5 }, { movieId: 9, rating: options.convention === 'spark' ? -2 : 1 }, { movieId: 13, rating: 3 }, { movieId: 20, rating: 4 }];
          const recs = model.recommendForNewUser(ratings, { n: 5 });
          let weights;
          for (const r of recs) {
            const why = model.explainForNewUser(ratings, r.itemId, { n: 10, userWeights: weights });
            weights = why.userWeights;
            expect(relative(why.score, r.score), `item ${r.itemId}: explained ${why.score}, fold-in ${r.score}`).toBeLessThan(1e-4);
            expect(why.modelScore).toBe(r.score);
            // Only the preference-1 ratings contribute (a Spark dislike shapes W_u but adds nothing).
            expect(why.contributions.map((c) => c.itemId).sort((a, b) => (a as number) - (b as number))).toEqual(options.convention === 'spark' ? [2, 13, 20] : [2, 9, 13, 20]);
          }
        });
      }
    }
  }

  it('reuses the user weights only for the same user and the current item factors', async () => {
    const data = interactions(43, false);
    const model = await new ALS({ factors: 4, iterations: 2, backend: 'ts' }).fit(data);
    const w = model.userWeights(3);
    expect(model.explain(3, 5, { userWeights: w }).score).toBe(model.explain(3, 5).score);
    expect(() => model.explain(4, 5, { userWeights: w })).toThrow('Expected the weights of user 4 for the model\'s current item factors for userWeights but received an object');
    expect(() => model.explain(3, 5, { n: 0 })).toThrow('Expected an integer between 1 and 1000000 for n but received 0 of type number');
    expect(() => model.explain(3, 99_999)).toThrow('Unknown item id 99999');
    expect(() => model.explain(99_999, 5)).toThrow('Unknown user id 99999');
    const ratings = [{ movieId: 2, rating: 5 }, { movieId: 9, rating: 3 }];
    const fresh = model.explainForNewUser(ratings, 5);
    expect(model.explainForNewUser(ratings, 5, { userWeights: fresh.userWeights })).toEqual(fresh);
    expect(() => model.explainForNewUser([{ movieId: 2, rating: 4 }, { movieId: 9, rating: 3 }], 5, { userWeights: fresh.userWeights }))
      .toThrow("Expected the weights of the new user for the model's current item factors for userWeights but received an object");
    expect(() => model.explainForNewUser(ratings, 5, { userWeights: w })).toThrow(/for userWeights/);
    await model.partialFitItems([5], [[[3, 4]]]);
    expect(() => model.explain(3, 5, { userWeights: w })).toThrow(/for userWeights/);
  });

  it('says so for a user without ratings in the model', async () => {
    const data = interactions(44, false);
    const model = await new ALS({ factors: 4, iterations: 2, backend: 'ts' }).fit(data);
    const empty = ALS.fromState({ ...model.state, liked: { ...model.state.liked, indptr: new Int32Array(model.state.liked.rows + 1), indices: new Int32Array(0), data: new Float32Array(0) } }, model.options);
    expect(() => empty.explain(3, 5)).toThrow('The model holds no ratings of user 3, so no score can be explained');
  });
});

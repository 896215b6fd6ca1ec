/**
 * The server's hot path must rank exactly as ALS.recommend: same movies, same order, same
 * float32 scores, bit for bit.
 */
import { describe, expect, it } from 'vitest';
import { ServingRecommender } from '../../src/serve/servingRecommender.js';
import { loadMovieLens } from '../../src/data/loadMovieLens.js';
import { buildInteractions } from '../../src/matrix/interactions.js';
import { ALS } from '../../src/als/model.js';
import { UnknownIdError } from '../../src/errors.js';
import { fixtureModel } from './fixtureModel.js';

function expectSameAsModel(model: ALS, serving: ServingRecommender, userId: number, n: number, exclude: number[]) {
  const expected = model.recommend(userId, { n, filterItems: exclude });
  const got = serving.recommend(userId, n, exclude);
  expect(got, `user ${userId}, n ${n}, exclude ${exclude.join(',')}`).toEqual(expected);
}

describe('ServingRecommender', () => {
  it('equals ALS.recommend on the fixture for every user, n and a few exclusions', async () => {
    const model = await fixtureModel();
    const serving = new ServingRecommender(model, 1000);
    for (const userId of model.state.users.ids) {
      for (const n of [1, 2, 3, 5, 11, 16, 1000]) expectSameAsModel(model, serving, userId, n, []);
      expectSameAsModel(model, serving, userId, 4, [6, 7, 12345]);
    }
  });

  it('keeps ties in ascending movie order, as ALS.recommend does', async () => {
    const model = await fixtureModel();
    // Zero factors for user 1: every movie scores 0, so the ranking is by movie index alone.
    const s = model.state;
    const k = model.options.factors;
    const zeroed = ALS.fromState({ ...s, userFactors: s.userFactors.map((v, j) => (j < k ? 0 : v)) }, model.options);
    const serving = new ServingRecommender(zeroed, 1000);
    expectSameAsModel(zeroed, serving, 1, 5, []);
    expect(serving.recommend(1, 3, []).map((r) => r.itemId)).toEqual([6, 7, 8]);
  });

  it('throws UnknownIdError for an unknown user', async () => {
    const serving = new ServingRecommender(await fixtureModel(), 10);
    expect(() => serving.recommend(7777, 10, [])).toThrow(UnknownIdError);
  });
});

const dir = process.env['MOVIELENS_DIR'];
describe.skipIf(!dir)('ServingRecommender on the real MovieLens 100K (MOVIELENS_DIR)', () => {
  it('equals ALS.recommend for all 943 users at n = 10 and n = 1000', async () => {
    const model = await new ALS({ factors: 50, iterations: 10 }).fit(buildInteractions(await loadMovieLens(dir!)));
    const serving = new ServingRecommender(model, 1000);
    for (const userId of model.state.users.ids) {
      expectSameAsModel(model, serving, userId, 10, []);
      expectSameAsModel(model, serving, userId, 1000, []);
    }
  });
});

/**
 * The server's hot path: its TS route must rank exactly as ALS.recommend (same movies, order and
 * float32 scores, bit for bit), its native route exactly as ALS.recommendMany.
 */
import { describe, expect, it } from 'vitest';
import { ServingRecommender } from '../../src/serve/servingRecommender.js';
import { loadMovieLens } from '../../src/data/loadMovieLens.js';
import { buildInteractions } from '../../src/matrix/interactions.js';
import { ALS } from '../../src/als/model.js';
import { UnknownIdError } from '../../src/errors.js';
import { nativeTestsRun } from '../helpers/nativeRequired.js';
import { fixtureModel } from './fixtureModel.js';

function expectSameAsModel(model: ALS, serving: ServingRecommender, userId: number, n: number, exclude: number[]) {
  const expected = model.recommend(userId, { n, filterItems: exclude });
  const got = serving.recommendTs(userId, n, exclude);
  expect(got, `user ${userId}, n ${n}, exclude ${exclude.join(',')}`).toEqual(expected);
}

/** The native route must answer as ALS.recommendMany (the native top-n), minus the exclusions. */
async function expectSameAsNative(model: ALS, serving: ServingRecommender, userId: number, n: number, exclude: number[]) {
  const [all] = await model.recommendMany([userId], { n: 1000 });
  const expected = all!.filter((r) => !exclude.includes(r.itemId as number)).slice(0, n);
  expect(await serving.recommend(userId, n, exclude), `user ${userId}, n ${n}, exclude ${exclude.join(',')}`).toEqual(expected);
}

describe('ServingRecommender', () => {
  it('equals ALS.recommend on the fixture for every user, n and a few exclusions', async () => {
    const model = await fixtureModel();
    const serving = new ServingRecommender(model, 1000);
    for (const userId of model.state.users.ids as Int32Array) {
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
    expect(serving.recommendTs(1, 3, []).map((r) => r.itemId)).toEqual([6, 7, 8]);
  });

  it('takes the TS route for a model pinned to the TS backend', async () => {
    const model = await fixtureModel();
    const serving = new ServingRecommender(model, 1000);
    expect(serving.path).toBe('ts');
    await expect(serving.recommend(1, 3, [6])).resolves.toEqual(model.recommend(1, { n: 3, filterItems: [6] }));
  });

  it('rankForUser (indices in and out, as the request handler uses it) equals recommend on the TS route', async () => {
    const model = await fixtureModel();
    const serving = new ServingRecommender(model, 1000);
    const s = model.state;
    for (const userId of s.users.ids as Int32Array) {
      const excludedIds = [6, 7];
      const excluded = excludedIds.map((id) => s.items.index(id, 'item'));
      const ranked = await serving.rankForUser(s.users.index(userId, 'user'), 4, excluded);
      const asList = Array.from(ranked.items.subarray(0, ranked.kept), (i, j) => ({ itemId: s.items.id(i), score: ranked.scores[j]! }));
      expect(asList).toEqual(model.recommend(userId, { n: 4, filterItems: excludedIds }));
    }
  });

  it('rejects an unknown user with UnknownIdError on either route', async () => {
    const model = await fixtureModel();
    const serving = new ServingRecommender(model, 10);
    expect(() => serving.recommendTs(7777, 10, [])).toThrow(UnknownIdError);
    await expect(serving.recommend(7777, 10, [])).rejects.toThrow(UnknownIdError);
  });

  it.skipIf(!nativeTestsRun())('rejects an unknown user with UnknownIdError on the native route', async () => {
    const model = await fixtureModel();
    const native = new ServingRecommender(ALS.fromState(model.state, { ...model.options, backend: 'native' }), 10);
    expect(native.path).toBe('native');
    await expect(native.recommend(7777, 10, [])).rejects.toThrow('Unknown user id 7777');
  });
});

// CI builds the addon, so there this runs; elsewhere it needs `npm run build:native`.
describe.skipIf(!nativeTestsRun() && process.env['CI'] !== 'true')('ServingRecommender, native route', () => {
  it('answers as ALS.recommendMany, minus the excluded movies, for every user of the fixture', async () => {
    const fitted = await fixtureModel();
    const model = ALS.fromState(fitted.state, { ...fitted.options, backend: 'native' });
    const serving = new ServingRecommender(model, 1000);
    expect(serving.path).toBe('native');
    for (const userId of model.state.users.ids as Int32Array) {
      await expectSameAsNative(model, serving, userId, 3, []);
      await expectSameAsNative(model, serving, userId, 3, [6, 7, 16]);
      await expectSameAsNative(model, serving, userId, 1000, [1]);
    }
    // rankForUser (by index) answers as recommend (by id), exclusions included.
    const s = model.state;
    for (const userId of s.users.ids as Int32Array) {
      const ranked = await serving.rankForUser(s.users.index(userId, 'user'), 3, [s.items.index(6, 'item')]);
      const asList = Array.from(ranked.items.subarray(0, ranked.kept), (i, j) => ({ itemId: s.items.id(i), score: ranked.scores[j]! }));
      expect(asList).toEqual(await serving.recommend(userId, 3, [6]));
    }
    // Same movies as the TS route (scores differ only in float32 rounding).
    for (const userId of model.state.users.ids as Int32Array) {
      const ts = serving.recommendTs(userId, 3, []);
      const native = await serving.recommend(userId, 3, []);
      expect(native.map((r) => r.itemId)).toEqual(ts.map((r) => r.itemId));
      native.forEach((r, j) => expect(r.score).toBeCloseTo(ts[j]!.score, 5));
    }
  });
});

const dir = process.env['MOVIELENS_DIR'];
describe.skipIf(!dir)('ServingRecommender on the real MovieLens 100K (MOVIELENS_DIR)', () => {
  it('equals ALS.recommend for all 943 users at n = 10 and n = 1000', async () => {
    const model = await new ALS({ factors: 50, iterations: 10 }).fit(buildInteractions(await loadMovieLens(dir!)));
    const serving = new ServingRecommender(model, 1000);
    for (const userId of model.state.users.ids as Int32Array) {
      expectSameAsModel(model, serving, userId, 10, []);
      expectSameAsModel(model, serving, userId, 1000, []);
    }
  });
});

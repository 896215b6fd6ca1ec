/**
 * Mutations of one model (fit, partialFitUsers, partialFitItems) started together run one after
 * the other, in call order: none of them works from a state another has already replaced, so no
 * update is lost. Run against every backend available.
 */
import { describe, expect, it } from 'vitest';
import { ALS, type Recommendation } from '../../src/als/model.js';
import { buildInteractions } from '../../src/matrix/interactions.js';
import { testedBackends } from '../helpers/nativeRequired.js';
import { fixtureDataset } from '../serve/fixtureModel.js';

const backends = testedBackends();

async function fitted(backend: 'ts' | 'native'): Promise<ALS> {
  return new ALS({ factors: 4, iterations: 3, regularization: 0.1, backend, threads: 2 }).fit(buildInteractions(fixtureDataset()));
}

function expectSameRanking(got: Recommendation[], expected: Recommendation[]): void {
  expect(got.map((r) => r.itemId)).toEqual(expected.map((r) => r.itemId));
  got.forEach((r, j) => expect(Math.abs(r.score - expected[j]!.score)).toBeLessThan(1e-4));
}

describe.each(backends)('concurrent mutations of one model (%s backend)', (backend) => {
  it('two partialFitUsers started together both land, in either order', async () => {
    for (const order of [[5000, 5001], [5001, 5000]] as const) {
      const model = await fitted(backend);
      const rows = { 5000: [[1, 5]] as Array<[number, number]>, 5001: [[11, 5]] as Array<[number, number]> };
      await Promise.all(order.map((id) => model.partialFitUsers([id], [rows[id]])));
      const s = model.state;
      expect(s.users.tryIndex(5000), `user 5000 after order ${order}`).toBeGreaterThanOrEqual(0);
      expect(s.users.tryIndex(5001), `user 5001 after order ${order}`).toBeGreaterThanOrEqual(0);
      // New ids are appended in call order, and each got its own solved factors.
      expect([...s.users.ids.slice(-2)]).toEqual([...order]);
      expect(s.liked.rows).toBe(s.users.size);
      expect(s.userFactors.length).toBe(s.users.size * 4);
      // Each user's factors are their own exact solve (the fold-in is the independent TS solve).
      expectSameRanking(model.recommend(5000, { n: 3 }), model.recommendForNewUser([{ movieId: 1, rating: 5 }], { n: 3 }));
      expectSameRanking(model.recommend(5001, { n: 3 }), model.recommendForNewUser([{ movieId: 11, rating: 5 }], { n: 3 }));
    }
  });

  it('partialFitUsers beside partialFitItems: both land, in either order', async () => {
    for (const usersFirst of [true, false]) {
      const model = await fitted(backend);
      const addUser = () => model.partialFitUsers([5000], [[[2, 4]]]);
      const addItem = () => model.partialFitItems([700], [[[1, 5], [2, 4]]]);
      await Promise.all(usersFirst ? [addUser(), addItem()] : [addItem(), addUser()]);
      const s = model.state;
      expect(s.users.tryIndex(5000), `usersFirst=${usersFirst}`).toBeGreaterThanOrEqual(0);
      expect(s.items.tryIndex(700), `usersFirst=${usersFirst}`).toBeGreaterThanOrEqual(0);
      expect(s.liked.rows).toBe(s.users.size);
      expect(s.liked.cols).toBe(s.items.size);
      expect(s.userFactors.length).toBe(s.users.size * 4);
      expect(s.itemFactors.length).toBe(s.items.size * 4);
      // Movie 700's raters are users 1 and 2; user 5000 rated movie 2.
      const m = s.items.index(700, 'item');
      const raters = [];
      for (let u = 0; u < s.liked.rows; u++) {
        for (let p = s.liked.indptr[u]!; p < s.liked.indptr[u + 1]!; p++) if (s.liked.indices[p] === m) raters.push(s.users.id(u));
      }
      expect(raters).toEqual([1, 2]);
      const u5000 = s.users.index(5000, 'user');
      expect([...s.liked.indices.subarray(s.liked.indptr[u5000]!, s.liked.indptr[u5000 + 1]!)]).toEqual([s.items.index(2, 'item')]);
    }
  });

  it('a failing partial fit does not block the ones queued after it', async () => {
    const model = await fitted(backend);
    const bad = model.partialFitUsers([5000], [[[424242, 5]]]);
    const good = model.partialFitUsers([5001], [[[1, 5]]]);
    await expect(bad).rejects.toThrow('Unknown item id 424242');
    await good;
    expect(model.state.users.tryIndex(5001)).toBeGreaterThanOrEqual(0);
    expect(model.state.users.tryIndex(5000)).toBe(-1);
  });

  it('an evaluation set while a partial fit runs is kept', async () => {
    const model = await fitted(backend);
    const update = model.partialFitUsers([5000], [[[1, 5]]]);
    model.setEvaluation({ metric: 'p@10', value: 0.5 });
    await update;
    expect(model.evaluation).toEqual({ metric: 'p@10', value: 0.5 });
    expect(model.state.users.tryIndex(5000)).toBeGreaterThanOrEqual(0);
  });
});

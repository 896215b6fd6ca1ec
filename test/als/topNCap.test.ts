/**
 * A huge n never sizes an allocation: every top-N path clamps n to the number of candidates (the
 * catalog) before it allocates, so `recommendMany(ids, { n: 1e6 })` costs what n = catalog does.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ALS } from '../../src/als/model.js';
import { buildInteractions } from '../../src/matrix/interactions.js';
import { testedBackends } from '../helpers/nativeRequired.js';
import { tsBackend } from '../../src/als/tsBackend.js';
import { loadAddon } from '../../src/als/native/addon.js';
import { ServingRecommender } from '../../src/serve/servingRecommender.js';
import { fixtureDataset } from '../serve/fixtureModel.js';

const backends = testedBackends();

async function fitted(backend: 'ts' | 'native'): Promise<ALS> {
  return new ALS({ factors: 4, iterations: 2, regularization: 0.1, backend, threads: 2 }).fit(buildInteractions(fixtureDataset()));
}

/** Spies on the n that reaches the backend's topN. */
function spyTopN(backend: 'ts' | 'native') {
  return backend === 'ts' ? vi.spyOn(tsBackend, 'topN') : vi.spyOn(loadAddon(), 'topN');
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe.each(backends)('top-N with n beyond the catalog (%s backend)', (backend) => {
  it('recommendMany(ids, { n: 1e6 }) asks the backend for at most the catalog size', async () => {
    const model = await fitted(backend);
    const movies = model.state.items.size;
    const spy = spyTopN(backend);
    const ids = model.state.users.ids;
    const lists = await model.recommendMany(ids, { n: 1_000_000 });
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy.mock.calls[0]![4]).toBe(movies);
    // Everything not rated, best first: the same lists as n = catalog size.
    expect(lists).toEqual(await model.recommendMany(ids, { n: movies }));
    for (const list of lists) expect(list.length).toBe(movies - 5);
  });

  it('topNRows keeps its stride n, -1 padded, but computes only catalog-many', async () => {
    const model = await fitted(backend);
    const movies = model.state.items.size;
    const spy = spyTopN(backend);
    const top = await model.topNRows(Int32Array.of(0, 1), movies + 3);
    expect(spy.mock.calls[0]![4]).toBe(movies);
    expect(top.items.length).toBe(2 * (movies + 3));
    const exact = await model.topNRows(Int32Array.of(0, 1), movies);
    for (let r = 0; r < 2; r++) {
      expect([...top.items.subarray(r * (movies + 3), r * (movies + 3) + movies)]).toEqual([...exact.items.subarray(r * movies, (r + 1) * movies)]);
      expect([...top.items.subarray(r * (movies + 3) + movies, (r + 1) * (movies + 3))]).toEqual([-1, -1, -1]);
    }
  });
});

describe('top-N with n beyond the catalog (library, synchronous paths)', () => {
  it('recommend, recommendForNewUser, similarItems and similarUsers with n = 1e6 return the whole ranking', async () => {
    const model = await fitted('ts');
    const movies = model.state.items.size;
    const users = model.state.users.size;
    expect(model.recommend(1, { n: 1_000_000 })).toEqual(model.recommend(1, { n: movies }));
    expect(model.recommend(1, { n: 1_000_000 }).length).toBe(movies - 5);
    expect(model.recommendForNewUser([{ movieId: 1, rating: 5 }], { n: 1_000_000 }).length).toBe(movies - 1);
    expect(model.similarItems(1, 1_000_000).length).toBe(movies - 1);
    expect(model.similarUsers(1, 1_000_000).length).toBe(users - 1);
  });

  it('ServingRecommender sizes its buffers by the catalog and serves n beyond it', async () => {
    const model = await fitted('ts');
    const movies = model.state.items.size;
    const serving = new ServingRecommender(model, 1_000_000);
    expect(serving.recommendTs(1, 1_000_000, [])).toEqual(model.recommend(1, { n: movies }));
    await expect(serving.recommend(1, 1_000_000, [])).resolves.toEqual(model.recommend(1, { n: movies }));
  });
});

/**
 * New-user fold-ins reuse YtY of the movie factors: it is computed once per movie-factor array,
 * not once per call (it is O(movies * k^2), the fold-in itself O(ratings * k^2 + k^3)), and it is
 * recomputed after a mutation replaces the movie factors, so fold-ins stay exact.
 */
import { describe, expect, it, vi } from 'vitest';
import { ALS } from '../../src/als/model.js';
import { buildInteractions } from '../../src/matrix/interactions.js';
import { buildCsr } from '../../src/matrix/csr.js';
import * as tsBackend from '../../src/als/tsBackend.js';
import { fixtureDataset } from '../serve/fixtureModel.js';

vi.mock('../../src/als/tsBackend.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/als/tsBackend.js')>();
  return { ...original, gram: vi.fn(original.gram) };
});

async function fitted(): Promise<ALS> {
  return new ALS({ factors: 4, iterations: 2, regularization: 0.1, backend: 'ts', threads: 1 }).fit(buildInteractions(fixtureDataset()));
}

/** The fold-in solved from scratch, YtY included (the reference the cache must match). */
function exactFoldIn(model: ALS, pairs: Array<[number, number]>): Float32Array {
  const s = model.state;
  const cols = pairs.map(([id]) => s.items.index(id, 'item'));
  const order = [...cols.keys()].sort((a, b) => cols[a]! - cols[b]!);
  const C = buildCsr(new Int32Array(pairs.length), Int32Array.from(order, (j) => cols[j]!), Float32Array.from(order, (j) => pairs[j]![1] * model.options.alpha), 1, s.items.size);
  const x = new Float32Array(model.options.factors);
  tsBackend.solveRowsCholesky(C, x, s.itemFactors, model.options.factors, model.options.regularization);
  return x;
}

describe('fold-in YtY cache', () => {
  it('computes YtY once for many fold-ins, again after partialFitItems, and stays exact', async () => {
    const model = await fitted();
    const gram = vi.mocked(tsBackend.gram);
    gram.mockClear();
    const pairs: Array<[number, number]> = [[1, 5], [2, 3], [11, 4]];
    for (let j = 0; j < 50; j++) model.newUserFactors(pairs.map(([movieId, rating]) => ({ movieId, rating })));
    expect(gram).toHaveBeenCalledTimes(1);
    expect(model.newUserFactors(pairs.map(([movieId, rating]) => ({ movieId, rating }))).x).toEqual(exactFoldIn(model, pairs));

    await model.partialFitItems([700], [[[1, 5], [2, 4]]]);
    gram.mockClear();
    const after = model.newUserFactors(pairs.map(([movieId, rating]) => ({ movieId, rating }))).x;
    expect(gram).toHaveBeenCalledTimes(1);
    expect(after).toEqual(exactFoldIn(model, pairs));
  });

  it('partialFitUsers (movie factors unchanged) keeps the cached YtY', async () => {
    const model = await fitted();
    const gram = vi.mocked(tsBackend.gram);
    model.recommendForNewUser([{ movieId: 1, rating: 5 }]);
    gram.mockClear();
    await model.partialFitUsers([5000], [[[1, 5]]]);
    model.recommendForNewUser([{ movieId: 1, rating: 5 }]);
    expect(gram).toHaveBeenCalledTimes(0);
  });
});

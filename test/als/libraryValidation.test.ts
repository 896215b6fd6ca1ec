/**
 * Bad input to the library gets an InvalidOptionError (or the same RangeError on both backends)
 * naming what is wrong, never "Cannot read properties of null" or a silently wrong answer.
 */
import { describe, expect, it } from 'vitest';
import { ALS } from '../../src/als/model.js';
import { buildInteractions, type Interactions } from '../../src/matrix/interactions.js';
import { IdMap } from '../../src/matrix/idMap.js';
import { InvalidOptionError } from '../../src/errors.js';
import { selectBackend } from '../../src/als/selectBackend.js';
import { testedBackends } from '../helpers/nativeRequired.js';
import { tsBackend } from '../../src/als/tsBackend.js';
import { loadAddon } from '../../src/als/native/addon.js';
import { MAX_FACTORS } from '../../src/als/options.js';
import { fixtureDataset } from '../serve/fixtureModel.js';

const backends = testedBackends();

async function fitted(): Promise<ALS> {
  return new ALS({ factors: 4, iterations: 2, backend: 'ts', threads: 1 }).fit(buildInteractions(fixtureDataset()));
}

describe('ALS.fit input validation', () => {
  it('fit(null) and fit(non-object) name the argument', async () => {
    const model = new ALS({ backend: 'ts' });
    await expect(model.fit(null as unknown as Interactions)).rejects.toThrow(
      new InvalidOptionError('data', 'Expected Interactions { users, items, matrix, movies } (see buildInteractions) for data but received null'),
    );
    await expect(model.fit(42 as unknown as Interactions)).rejects.toThrow('for data but received 42 of type number');
    await expect(model.fit({} as Interactions)).rejects.toThrow('Expected an IdMap for data.users but received undefined');
  });

  it('refuses Interactions whose id maps disagree with the matrix', async () => {
    const data = buildInteractions(fixtureDataset());
    const model = new ALS({ backend: 'ts' });
    const fewerUsers = IdMap.fromOrderedIds((data.users.ids as Int32Array).slice(0, -1));
    await expect(model.fit({ ...data, users: fewerUsers })).rejects.toThrow(
      'Expected 39 (data.users.size) for data.matrix.rows but received 40 of type number',
    );
    const moreItems = IdMap.fromOrderedIds(Int32Array.from([...data.items.ids, 5000]));
    await expect(model.fit({ ...data, items: moreItems })).rejects.toThrow('Expected 17 (data.items.size) for data.matrix.cols but received 16 of type number');
  });

  it.each(backends)('refuses out-of-range, unsorted or non-finite matrix entries the same way on the %s backend', async (backend) => {
    const data = buildInteractions(fixtureDataset());
    const model = new ALS({ backend, factors: 4, iterations: 1 });
    const outOfRange = data.matrix.indices.slice();
    outOfRange[7] = 99;
    await expect(model.fit({ ...data, matrix: { ...data.matrix, indices: outOfRange } })).rejects.toThrow(
      'Expected a column index in [0, 16) for data.matrix.indices[7] (row 1) but received 99 of type number',
    );
    const unsorted = data.matrix.indices.slice();
    [unsorted[0], unsorted[1]] = [unsorted[1]!, unsorted[0]!];
    await expect(model.fit({ ...data, matrix: { ...data.matrix, indices: unsorted } })).rejects.toThrow(InvalidOptionError);
    const values = data.matrix.data.slice();
    values[3] = NaN;
    await expect(model.fit({ ...data, matrix: { ...data.matrix, data: values } })).rejects.toThrow(
      'Expected a finite number for data.matrix.data[3] (row 0) but received NaN of type number',
    );
    const indptr = data.matrix.indptr.slice();
    indptr[2] = 3;
    await expect(model.fit({ ...data, matrix: { ...data.matrix, indptr } })).rejects.toThrow('Expected a value >= indptr[1] = 5 for data.matrix.indptr[2] but received 3 of type number');
  });

  it('both backends reject an out-of-range column index in a half-sweep with the same RangeError', async () => {
    const C = { rows: 2, cols: 3, indptr: Int32Array.of(0, 1, 2), indices: Int32Array.of(0, 7), data: Float32Array.of(1, 1) };
    const message = 'Expected column indices in [0, cols) for confidence.indices but received one outside in row 1';
    const opts = { solver: 'cholesky' as const, regularization: 0.1, cgSteps: 3, threads: 1 };
    await expect(tsBackend.halfSweep(C, new Float32Array(4), new Float32Array(6).fill(0.5), 2, opts)).rejects.toThrow(new RangeError(message));
    await expect(tsBackend.halfSweep(C, new Float32Array(4), new Float32Array(6).fill(0.5), 2, { ...opts, solver: 'cg' })).rejects.toThrow(new RangeError(message));
    if (backends.includes('native')) {
      await expect(selectBackend('native').halfSweep(C, new Float32Array(4), new Float32Array(6).fill(0.5), 2, opts)).rejects.toThrow(new RangeError(message));
    }
    const badSpan = { ...C, indptr: Int32Array.of(0, 3, 2) };
    const spanMessage = 'Expected non-decreasing values in [0, indptr[rows]] for confidence.indptr but received a bad span at row 0';
    await expect(tsBackend.halfSweep(badSpan, new Float32Array(4), new Float32Array(6), 2, opts)).rejects.toThrow(new RangeError(spanMessage));
    if (backends.includes('native')) {
      await expect(selectBackend('native').halfSweep(badSpan, new Float32Array(4), new Float32Array(6), 2, opts)).rejects.toThrow(new RangeError(spanMessage));
    }
  });
});

describe('ALS.fromState input validation', () => {
  it('fromState({}) and fromState(null) name what is missing', () => {
    expect(() => ALS.fromState({} as never)).toThrow(new InvalidOptionError('state.users', 'Expected an IdMap for state.users but received undefined'));
    expect(() => ALS.fromState(null as never)).toThrow(
      'Expected a fitted state { users, items, liked, movies, userFactors, itemFactors } for state but received null',
    );
  });

  it('fromState refuses factors of the wrong length or type, and a liked matrix of another shape', async () => {
    const s = (await fitted()).state;
    expect(() => ALS.fromState({ ...s, userFactors: s.userFactors.subarray(1) }, { factors: 4 })).toThrow(
      'Expected a Float32Array of length 40 x 4 for state.userFactors but received a Float32Array',
    );
    expect(() => ALS.fromState({ ...s, itemFactors: Array.from(s.itemFactors) as never }, { factors: 4 })).toThrow(
      'Expected a Float32Array of length 16 x 4 for state.itemFactors but received an array of length 64',
    );
    expect(() => ALS.fromState({ ...s, liked: { ...s.liked, rows: 3 } }, { factors: 4 })).toThrow('for state.liked.rows but received 3 of type number');
    expect(() => ALS.fromState({ ...s, movies: null as never }, { factors: 4 })).toThrow('Expected a Map of movie id to movie for state.movies but received null');
    expect(ALS.fromState(s, { factors: 4 }).recommend(1, { n: 2 })).toHaveLength(2);
  });
});

describe('recommend and similar* input validation', () => {
  it('similarMovies(null) and similarMovies(42) name the title argument', async () => {
    const model = await fitted();
    expect(() => model.similarMovies(null as never)).toThrow(new InvalidOptionError('title', 'Expected an item title (string) for title but received null'));
    expect(() => model.similarMovies(42 as never)).toThrow('Expected an item title (string) for title but received 42 of type number');
  });

  it('recommend with options null, or items / filterItems that are not iterable, names the option', async () => {
    const model = await fitted();
    expect(() => model.recommend(1, null as never)).toThrow('Expected an object for options but received null');
    expect(() => model.recommend(1, { items: 5 as never })).toThrow('Expected an iterable of item ids for items but received 5 of type number');
    expect(() => model.recommend(1, { filterItems: 'abc' as never })).toThrow('Expected an iterable of item ids for filterItems but received "abc" of type string');
    await expect(model.recommendMany(null as never)).rejects.toThrow('Expected an array of user ids for userIds but received null');
    await expect(model.recommendMany([1], null as never)).rejects.toThrow('Expected an object for options but received null');
  });

  it('recommend(user, { items: [a, a] }) ranks a repeated movie once', async () => {
    const model = await fitted();
    const recs = model.recommend(1, { items: [11, 11, 12, 11], n: 10, filterAlreadyLiked: false });
    expect(recs.map((r) => r.itemId).sort()).toEqual([11, 12]);
  });

  it('partialFitUsers with options null names the option', async () => {
    const model = await fitted();
    await expect(model.partialFitUsers([5000], [[[1, 5]]], null as never)).rejects.toThrow('Expected an object for options but received null');
  });
});

describe('one cap on the number of factors', () => {
  it(`options refuse factors above ${MAX_FACTORS}`, () => {
    expect(MAX_FACTORS).toBe(4096);
    expect(() => new ALS({ factors: MAX_FACTORS + 1 })).toThrow(`Expected an integer between 1 and ${MAX_FACTORS} for factors but received 4097 of type number`);
  });

  it.skipIf(!backends.includes('native'))(`the addon refuses k above ${MAX_FACTORS} with the same bound`, () => {
    const addon = loadAddon();
    expect(() => addon.gram(new Float32Array(4097), 4097)).toThrow(new RangeError('Expected an integer in [1, 4096] for k but received 4097 of type number'));
    expect(() => addon.topN(new Float32Array(4097), new Float32Array(4097), 4097, Int32Array.of(0), 1, null, 1)).toThrow(
      new RangeError('Expected an integer in [1, 4096] for k but received 4097 of type number'),
    );
  });

  it.skipIf(!backends.includes('native'))(`the addon accepts k = ${MAX_FACTORS}`, async () => {
    const addon = loadAddon();
    const top = await addon.topN(new Float32Array(4096).fill(1), new Float32Array(2 * 4096).fill(0.5), 4096, Int32Array.of(0), 1, null, 1);
    expect([...top.items]).toEqual([0]);
    expect(top.scores[0]).toBe(2048);
  });
});

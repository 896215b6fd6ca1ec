import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALS } from '../../src/als/model.js';
import { buildInteractions } from '../../src/matrix/interactions.js';
import { buildCsr } from '../../src/matrix/csr.js';
import { solveRowsCholesky } from '../../src/als/tsBackend.js';
import { InvalidOptionError, UnknownIdError } from '../../src/errors.js';
import { fixtureDataset } from '../helpers/fixtureMl100k.js';

const SPACE = new Set([1, 2, 3, 4, 5, 6, 7, 8]);

async function fitted(): Promise<ALS> {
  return new ALS({ factors: 2, iterations: 15, regularization: 0.1, backend: 'ts', threads: 1 }).fit(buildInteractions(fixtureDataset()));
}

describe('ALS.save / ALS.load', () => {
  let model: ALS;
  let path: string;
  beforeAll(async () => {
    model = await fitted();
    path = join(mkdtempSync(join(tmpdir(), 'alsrec-save-')), 'm.alsrec');
    await model.setEvaluation({ split: 'leave-last-out', 'precision@5': 0.4 }).save(path);
  });

  it('should throw when saving a model that is not fitted', async () => {
    await expect(new ALS().save(join(tmpdir(), 'never.alsrec'))).rejects.toThrow('The model is not fitted yet: call fit() first');
  });

  it('should throw for training options given to load (the file keeps its own)', async () => {
    await expect(ALS.load(path, { factors: 3 } as never)).rejects.toThrow(
      new InvalidOptionError('options', 'Expected only backend and threads (a saved model keeps its training options) for options but received "factors" of type string'),
    );
  });

  it('should throw for a non-object evaluation summary', () => {
    expect(() => model.setEvaluation([] as never)).toThrow('Expected a plain object for evaluation but received an array of length 0');
  });

  it('should give the same answers after a round trip', async () => {
    const back = await ALS.load(path, { backend: 'ts', threads: 1 });
    expect(back.options).toMatchObject({ factors: 2, iterations: 15, regularization: 0.1, alpha: 1, solver: 'cg', cgSteps: 3, seed: 0 });
    expect(back.recommend(1, { n: 3 })).toEqual(model.recommend(1, { n: 3 }));
    expect(back.similarItems(1, 4)).toEqual(model.similarItems(1, 4));
    expect(await back.recommendMany([1, 101], { n: 2 })).toEqual(await model.recommendMany([1, 101], { n: 2 }));
    expect(back.similarMovies('star wars (1977)', 2)).toEqual(model.similarMovies('star wars (1977)', 2));
    expect(back.title(3)).toBe('Empire Strikes Back, The (1980)');
    expect(back.evaluation).toEqual({ split: 'leave-last-out', 'precision@5': 0.4 });
    expect(back.state.movies.get(11)).toEqual({ id: 11, title: 'Toy Story (1995)', year: 1995, genres: ['Animation', "Children's"] });
  });
});

describe('ALS.recommendForNewUser', () => {
  let model: ALS;
  beforeAll(async () => {
    model = await fitted();
  });

  it('should throw for no ratings, an unknown movie, a bad rating or a repeated movie', () => {
    expect(() => model.recommendForNewUser([])).toThrow('Expected at least one (itemId, rating) pair for ratings but received an array of length 0');
    expect(() => model.recommendForNewUser([{ movieId: 555, rating: 5 }])).toThrow(new UnknownIdError('item', 555));
    expect(() => model.recommendForNewUser([{ movieId: 1, rating: Number.NaN }])).toThrow(
      'Expected a finite number other than 0 for the rating of item 1 in ratings but received NaN of type number',
    );
    expect(() => model.recommendForNewUser([{ movieId: 1, rating: 5 }, { movieId: 1, rating: 4 }])).toThrow(
      'Expected each item id at most once for ratings but received "item 1 twice" of type string',
    );
  });

  it('should recommend space films to someone who rated space films, never the ones rated', () => {
    const recs = model.recommendForNewUser(new Map([[1, 5], [2, 4], [3, 5]]), { n: 3 });
    expect(recs.map((r) => r.itemId).every((id) => SPACE.has(id as number) && (id as number) > 3)).toBe(true);
  });

  it('should use the exact one-row solve against the fixed movie factors', () => {
    const ratings = [{ movieId: 12, rating: 5 }, { movieId: 15, rating: 3 }];
    const { x } = model.newUserFactors(ratings);
    const k = model.options.factors;
    const cols = model.state.items.indices([12, 15], 'item');
    const C = buildCsr(Int32Array.of(0, 0), cols, Float32Array.of(5, 3), 1, model.state.items.size);
    const expected = new Float32Array(k);
    solveRowsCholesky(C, expected, model.itemFactors, k, model.options.regularization);
    expect(x).toEqual(expected);
    const recs = model.recommendForNewUser(ratings, { n: 20, filterAlreadyLiked: false });
    expect(recs).toHaveLength(16);
    expect(recs.map((r) => r.itemId)).toContain(12);
  });
});

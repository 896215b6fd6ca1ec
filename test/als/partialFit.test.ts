import { describe, expect, it } from 'vitest';
import { ALS } from '../../src/als/model.js';
import { mulberry32 } from '../../src/als/initialFactors.js';
import { buildInteractions } from '../../src/matrix/interactions.js';
import { buildCsr, transposeCsr } from '../../src/matrix/csr.js';
import { normalEquationResidual } from '../helpers/randomProblem.js';
import type { RatingColumns } from '../../src/data/dataset.js';
import { UnknownIdError } from '../../src/errors.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Rating {
  user: number;
  movie: number;
  rating: number;
  time: number;
}

/** 60 users x 80 movies, about 30% rated with 1..5 stars; user ids 1000+, movie ids 1..80. */
function randomRatings(seed = 7): Rating[] {
  const next = mulberry32(seed);
  const out: Rating[] = [];
  for (let u = 0; u < 60; u++) {
    for (let i = 0; i < 80; i++) {
      if (next() < 0.3) out.push({ user: 1000 + u, movie: i + 1, rating: 1 + Math.floor(next() * 5), time: Math.floor(next() * 1e6) });
    }
  }
  return out;
}

function columns(ratings: readonly Rating[]): RatingColumns {
  return {
    users: Int32Array.from(ratings, (r) => r.user),
    items: Int32Array.from(ratings, (r) => r.movie),
    ratings: Float32Array.from(ratings, (r) => r.rating),
    timestamps: Float64Array.from(ratings, (r) => r.time),
  };
}

async function fit(ratings: readonly Rating[]): Promise<ALS> {
  return new ALS({ factors: 6, iterations: 4, regularization: 0.05, alpha: 2, backend: 'ts', threads: 1 }).fit(buildInteractions(columns(ratings)));
}

/**
 * The independent oracle: the relative residual ||A x - b|| / ||b|| of the row's normal equations
 * A = YtY + Yt(Cu - I)Y + lambda*I, b = Yt Cu p (confidence alpha * r), built from scratch in
 * float64 by the test helper (not by the solver under test). An exact solve leaves only float32
 * rounding of x.
 */
function rowResidual(model: ALS, Y: Float32Array, cols: Int32Array, values: number[], width: number, x: Float32Array): number {
  const k = model.options.factors;
  const order = [...cols.keys()].sort((a, b) => cols[a]! - cols[b]!);
  const C = buildCsr(new Int32Array(cols.length), Int32Array.from(order, (j) => cols[j]!), Float32Array.from(order, (j) => values[j]! * model.options.alpha), 1, width);
  return normalEquationResidual(C, x, Y, k, model.options.regularization, 0);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let j = 0; j < a.length; j++) m = Math.max(m, Math.abs(a[j]! - b[j]!));
  return m;
}

describe('ALS.partialFitUsers', () => {
  it('should throw for an unknown movie, mismatched rows or a repeated id, changing nothing', async () => {
    const model = await fit(randomRatings());
    const before = model.state;
    await expect(model.partialFitUsers([1000], [[[999, 5]]])).rejects.toThrow(new UnknownIdError('item', 999));
    await expect(model.partialFitUsers([1000, 1001], [[[1, 5]]])).rejects.toThrow('Expected an array with one row per id (2) for rows but received an array of length 1');
    await expect(model.partialFitUsers([5, 5], [[[1, 5]], [[2, 5]]])).rejects.toThrow('Expected each id at most once for userIds but received "user 5 twice" of type string');
    await expect(model.partialFitUsers([1.5], [[[1, 5]]])).rejects.toThrow('Expected an id (a 32-bit integer, or a string of 1 to 1024 characters of well-formed Unicode) for user id but received 1.5 of type number');
    expect(model.state).toBe(before);
  });

  it("should solve the row's normal equations (independent residual oracle) after adding the last 10% of a user's ratings", async () => {
    const all = randomRatings();
    const user = 1003;
    const mine = all.filter((r) => r.user === user).sort((a, b) => a.time - b.time);
    const held = mine.slice(mine.length - Math.ceil(mine.length * 0.1));
    expect(held.length).toBeGreaterThanOrEqual(2);
    const heldSet = new Set(held);
    const model = await fit(all.filter((r) => !heldSet.has(r)));
    const userFactorsBefore = model.userFactors.slice();
    const itemFactorsBefore = model.itemFactors;

    await model.partialFitUsers([user], [held.map((r) => [r.movie, r.rating] as const)]);

    const s = model.state;
    const k = model.options.factors;
    const u = s.users.index(user, 'user');
    const got = s.userFactors.subarray(u * k, (u + 1) * k);
    const residual = rowResidual(model, s.itemFactors, s.items.indices(mine.map((r) => r.movie), 'item'), mine.map((r) => r.rating), s.items.size, got);
    expect(residual, `normal-equation residual ${residual}`).toBeLessThan(1e-5);
    // The old row (without the held-out ratings) does not solve them: the oracle can fail.
    const stale = rowResidual(model, s.itemFactors, s.items.indices(mine.map((r) => r.movie), 'item'), mine.map((r) => r.rating), s.items.size, userFactorsBefore.subarray(u * k, (u + 1) * k));
    expect(stale).toBeGreaterThan(1e-3);
    // Recommendations equal those of the from-scratch row (scores within 1e-4).
    const fromScratch = model.recommendForNewUser(mine.map((r) => ({ movieId: r.movie, rating: r.rating })), { n: 10 });
    const updated = model.recommend(user, { n: 10 });
    expect(updated.map((r) => r.itemId)).toEqual(fromScratch.map((r) => r.itemId));
    expect(maxAbsDiff(updated.map((r) => r.score), fromScratch.map((r) => r.score))).toBeLessThan(1e-4);
    // The liked row now holds all the user's ratings; nobody else moved.
    expect(s.liked.indptr[u + 1]! - s.liked.indptr[u]!).toBe(mine.length);
    for (let j = 0; j < s.users.size; j++) {
      if (j !== u) expect(s.userFactors.subarray(j * k, (j + 1) * k)).toEqual(userFactorsBefore.subarray(j * k, (j + 1) * k));
    }
    expect(s.itemFactors).toBe(itemFactorsBefore);
  });

  it('should append new users at the end of the id map, keeping every existing index', async () => {
    const model = await fit(randomRatings());
    const oldIds = model.state.users.ids.slice();
    await model.partialFitUsers([7, 1001], [[[3, 5], [1, 4]], [[80, 2]]]);
    const s = model.state;
    expect([...s.users.ids]).toEqual([...oldIds, 7]);
    expect(s.liked.rows).toBe(61);
    const row = s.users.index(7, 'user');
    expect([...s.liked.indices.subarray(s.liked.indptr[row]!, s.liked.indptr[row + 1]!)]).toEqual([...s.items.indices([1, 3], 'item').sort()]);
    expect(model.recommend(7, { n: 5 })).toEqual(model.recommendForNewUser([{ movieId: 3, rating: 5 }, { movieId: 1, rating: 4 }], { n: 5 }));
  });

  it('should replace a row when asked', async () => {
    const model = await fit(randomRatings());
    await model.partialFitUsers([1000], [[[5, 3]]], { replace: true });
    const s = model.state;
    const u = s.users.index(1000, 'user');
    expect(s.liked.indptr[u + 1]! - s.liked.indptr[u]!).toBe(1);
    expect(model.recommend(1000, { n: 4 })).toEqual(model.recommendForNewUser([{ movieId: 5, rating: 3 }], { n: 4 }));
  });
});

describe('ALS.partialFitItems', () => {
  it('should throw for an unknown user', async () => {
    const model = await fit(randomRatings());
    await expect(model.partialFitItems([500], [[[42, 5]]])).rejects.toThrow(new UnknownIdError('user', 42));
  });

  it('should add a new movie solved exactly against the fixed user factors, and survive a save/load', async () => {
    const model = await fit(randomRatings());
    const itemFactorsBefore = model.itemFactors.slice();
    const userFactorsBefore = model.userFactors;
    const raters: Array<readonly [number, number]> = [[1000, 5], [1010, 4], [1020, 5]];
    await model.partialFitItems([500], [raters]);
    const s = model.state;
    const k = model.options.factors;
    expect(s.items.size).toBe(81);
    expect(s.items.id(80)).toBe(500);
    expect(s.itemFactors.subarray(0, 80 * k)).toEqual(itemFactorsBefore);
    expect(s.userFactors).toBe(userFactorsBefore);
    const residual = rowResidual(model, s.userFactors, s.users.indices(raters.map((r) => r[0]), 'user'), raters.map((r) => r[1]), s.users.size, s.itemFactors.subarray(80 * k));
    expect(residual, `normal-equation residual ${residual}`).toBeLessThan(1e-5);
    const byMovie = transposeCsr(s.liked);
    expect([...byMovie.indices.subarray(byMovie.indptr[80]!, byMovie.indptr[81]!)]).toEqual([...s.users.indices([1000, 1010, 1020], 'user').sort()]);
    expect(model.title(500)).toBe('unknown item 500');

    const path = join(mkdtempSync(join(tmpdir(), 'alsrec-pf-')), 'm.alsrec');
    await model.save(path);
    const back = await ALS.load(path, { backend: 'ts' });
    expect(back.state.items.ids).toEqual(s.items.ids);
    expect(back.recommend(1000, { n: 5 })).toEqual(model.recommend(1000, { n: 5 }));
  });
});

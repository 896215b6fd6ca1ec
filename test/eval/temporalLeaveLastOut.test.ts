import { describe, expect, it } from 'vitest';
import { temporalLeaveLastOut, temporalLeaveLastOutOf } from '../../src/eval/temporalLeaveLastOut.js';
import { buildInteractions } from '../../src/matrix/interactions.js';
import { syntheticRatings } from './ratingsFixture.js';
import { loadMovieLens } from '../../src/data/loadMovieLens.js';
import type { RatingColumns } from '../../src/data/dataset.js';

function columns(rows: Array<[number, number, number, number]>): RatingColumns {
  return {
    users: Int32Array.from(rows.map((r) => r[0])),
    items: Int32Array.from(rows.map((r) => r[1])),
    ratings: Float32Array.from(rows.map((r) => r[2])),
    timestamps: Float64Array.from(rows.map((r) => r[3])),
  };
}

describe('temporalLeaveLastOut', () => {
  it('should hold out each user\'s latest rating, ties to the larger movie id, and keep single-rating users in train', () => {
    const split = temporalLeaveLastOut(columns([
      [1, 10, 5, 100], [1, 11, 4, 300], [1, 12, 3, 200], // user 1: latest is movie 11
      [2, 30, 5, 500], [2, 20, 4, 500], [2, 40, 1, 400], // user 2: tie at 500 → movie 30
      [3, 99, 2, 50], // user 3: one rating, stays in train
    ]));
    expect([...split.test.users]).toEqual([1, 2]);
    expect([...split.test.items]).toEqual([11, 30]);
    expect([...split.train.items]).toEqual([10, 12, 20, 40, 99]);
    expect(split.train.ratings[0]).toBe(5);
  });
});

describe('temporalLeaveLastOutOf (the split read off the matrix)', () => {
  it('should give the matrices of temporalLeaveLastOut\'s train and test, for any seed', () => {
    for (const seed of [1, 2, 3, 4]) {
      const r = syntheticRatings(40, 30, 0.3, seed);
      const all = buildInteractions(r);
      const split = temporalLeaveLastOut(r);
      const got = temporalLeaveLastOutOf(all);
      for (const side of ['train', 'test'] as const) {
        const want = buildInteractions(split[side], all);
        expect(got[side].matrix).toEqual(want.matrix);
        expect(got[side].timestamps).toEqual(want.timestamps);
        expect(got[side].users).toBe(all.users);
      }
    }
  });

  it('should refuse interactions without timestamps', () => {
    const all = buildInteractions(syntheticRatings(5, 5, 0.5, 1));
    expect(() => temporalLeaveLastOutOf({ ...all, timestamps: undefined })).toThrow('interactions with a timestamp per rating');
  });
});

const dir = process.env['MOVIELENS_DIR'];
if (!dir) console.warn('Skipping the real-data split tests: MOVIELENS_DIR is not set.');

describe.skipIf(!dir)('temporalLeaveLastOut on the real MovieLens 100K (MOVIELENS_DIR)', () => {
  it('gives 99,057 train and 943 test ratings that partition the data, each the user\'s latest', async () => {
    const data = await loadMovieLens(dir!);
    const { train, test } = temporalLeaveLastOut(data.ratings);
    expect(train.users.length).toBe(99_057);
    expect(test.users.length).toBe(943);
    expect(new Set(test.users).size).toBe(943);
    // partition: every (user, movie) pair exactly once across the two sides
    const key = (u: number, i: number) => u * 10_000 + i;
    const seen = new Set<number>();
    for (const side of [train, test]) for (let j = 0; j < side.users.length; j++) seen.add(key(side.users[j]!, side.items[j]!));
    expect(seen.size).toBe(100_000);
    // the held-out rating is the latest, ties to the larger movie id
    const heldOut = new Map<number, [number, number]>();
    for (let j = 0; j < test.users.length; j++) heldOut.set(test.users[j]!, [test.timestamps[j]!, test.items[j]!]);
    const tiedUsers = new Set<number>();
    for (let j = 0; j < train.users.length; j++) {
      const [t, item] = heldOut.get(train.users[j]!)!;
      expect(train.timestamps[j]! < t || (train.timestamps[j] === t && train.items[j]! < item)).toBe(true);
      if (train.timestamps[j] === t) tiedUsers.add(train.users[j]!);
    }
    expect(tiedUsers.size).toBe(415);
  });
});

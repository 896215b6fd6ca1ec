import { describe, expect, it } from 'vitest';
import { temporalFolds } from '../../src/eval/temporalFolds.js';
import { columns } from './ratingsFixture.js';

describe('temporalFolds', () => {
  it('should throw on a bad fold count', () => {
    expect(() => temporalFolds(columns([[1, 1, 5, 1]]), 0)).toThrow('Expected an integer between 1 and 20 for folds but received 0 of type number');
  });

  it("fold f holds out each user's f-th latest rating and trains on the ratings before it", () => {
    // User 1 rates movies 10..14 at times 1..5; user 2 rates 20, 21 at times 1, 2.
    const r = columns([
      [1, 10, 5, 1], [1, 11, 4, 2], [1, 12, 3, 3], [1, 13, 2, 4], [1, 14, 1, 5],
      [2, 20, 5, 1], [2, 21, 4, 2],
    ]);
    const folds = temporalFolds(r, 3);
    const items = (c: { items: Int32Array }) => Array.from(c.items).sort((a, b) => a - b);
    expect(items(folds[0]!.test)).toEqual([14, 21]);
    expect(items(folds[0]!.train)).toEqual([10, 11, 12, 13, 20]);
    expect(items(folds[1]!.test)).toEqual([13]); // user 2 has one rating left: stays in train
    expect(items(folds[1]!.train)).toEqual([10, 11, 12, 20]);
    expect(items(folds[2]!.test)).toEqual([12]);
    expect(items(folds[2]!.train)).toEqual([10, 11, 20]);
    // Never trains on the held-out rating's future.
    for (const f of folds) {
      const latestTest = Math.max(...Array.from(f.test.timestamps));
      for (let j = 0; j < f.train.users.length; j++) if (f.train.users[j] === 1) expect(f.train.timestamps[j]!).toBeLessThan(latestTest);
    }
  });
});

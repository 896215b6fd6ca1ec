import { describe, expect, it } from 'vitest';
import type { RatingColumns } from '../../src/data/dataset.js';
import type { Split } from '../../src/eval/partitionRatings.js';
import { leaveKOut } from '../../src/eval/leaveKOut.js';
import { randomHoldout } from '../../src/eval/randomHoldout.js';
import { timeCutoff, timestampQuantile } from '../../src/eval/timeCutoff.js';
import { temporalLeaveLastOut } from '../../src/eval/temporalLeaveLastOut.js';
import { splitByName } from '../../src/eval/splitByName.js';
import { columns, keys, syntheticRatings } from './ratingsFixture.js';

const data = syntheticRatings(40, 30, 0.3, 1);

function expectPartition(r: RatingColumns, parts: RatingColumns[]): void {
  const all = keys(r).sort();
  const joined = parts.flatMap(keys).sort();
  expect(joined).toEqual(all);
}

function byUser(r: RatingColumns): Map<number, number[]> {
  const m = new Map<number, number[]>();
  r.users.forEach((u, j) => m.set(u, [...(m.get(u) ?? []), j]));
  return m;
}

function perUserCounts(s: Split): { train: Map<number, number>; test: Map<number, number> } {
  const count = (r: RatingColumns) => new Map([...byUser(r)].map(([u, js]) => [u, js.length]));
  return { train: count(s.train), test: count(s.test) };
}

describe('leaveKOut', () => {
  it('should throw on a bad k or pick', () => {
    expect(() => leaveKOut(data, { k: 0 })).toThrow('Expected an integer between 1 and 1000000 for k but received 0 of type number');
    expect(() => leaveKOut(data, { pick: 'oldest' as 'latest' })).toThrow(`Expected one of 'latest', 'random' for pick but received "oldest" of type string`);
  });

  for (const pick of ['latest', 'random'] as const) {
    it(`${pick}: train and test partition the data; k per user, users with <= k ratings stay in train`, () => {
      const k = 3;
      const s = leaveKOut(data, { k, pick, seed: 4 });
      expectPartition(data, [s.train, s.test]);
      const total = new Map([...byUser(data)].map(([u, js]) => [u, js.length]));
      const { train, test } = perUserCounts(s);
      for (const [u, n] of total) {
        expect(test.get(u) ?? 0).toBe(n > k ? k : 0);
        expect(train.get(u)).toBe(n > k ? n - k : n);
      }
    });
  }

  it('latest: held-out ratings are each user\'s latest (ties to the larger movie id)', () => {
    const s = leaveKOut(data, { k: 2 });
    const trainBy = byUser(s.train);
    for (const [u, js] of byUser(s.test)) {
      for (const j of js) {
        for (const q of trainBy.get(u) ?? []) {
          const [tt, ti] = [s.test.timestamps[j]!, s.test.items[j]!];
          const [rt, ri] = [s.train.timestamps[q]!, s.train.items[q]!];
          expect(tt > rt || (tt === rt && ti > ri)).toBe(true);
        }
      }
    }
  });

  it('k = 1, latest is the temporal leave-last-out', () => {
    const a = leaveKOut(data, { k: 1 });
    const b = temporalLeaveLastOut(data);
    expect(keys(a.test).sort()).toEqual(keys(b.test).sort());
  });

  it('random: the same seed gives the same split, another seed another', () => {
    const a = leaveKOut(data, { k: 2, pick: 'random', seed: 1 });
    const b = leaveKOut(data, { k: 2, pick: 'random', seed: 1 });
    const c = leaveKOut(data, { k: 2, pick: 'random', seed: 2 });
    expect(keys(a.test)).toEqual(keys(b.test));
    expect(keys(a.test).sort()).not.toEqual(keys(c.test).sort());
  });
});

describe('randomHoldout', () => {
  it('should throw on a fraction outside (0, 1)', () => {
    expect(() => randomHoldout(data, { fraction: 1 })).toThrow('Expected a number between 0 and 1 (exclusive) for fraction but received 1 of type number');
  });

  it('holds out exactly round(fraction × n) ratings, partitioning the data, reproducibly', () => {
    const s = randomHoldout(data, { fraction: 0.25, seed: 9 });
    expect(s.test.users.length).toBe(Math.round(0.25 * data.users.length));
    expectPartition(data, [s.train, s.test]);
    expect(keys(randomHoldout(data, { fraction: 0.25, seed: 9 }).test)).toEqual(keys(s.test));
    expect(keys(randomHoldout(data, { fraction: 0.25, seed: 10 }).test)).not.toEqual(keys(s.test));
  });
});

describe('timeCutoff', () => {
  it('before → train, at or after → test, unseen users and movies → dropped, counted', () => {
    const r = columns([
      [1, 10, 5, 100],
      [1, 20, 4, 200], // at the cutoff: test
      [2, 10, 3, 150],
      [2, 30, 3, 250], // movie 30 unseen in train: dropped
      [3, 20, 2, 300], // user 3 unseen in train: dropped
      [2, 20, 1, 120],
    ]);
    const s = timeCutoff(r, 200);
    expect(keys(s.train)).toEqual(['1:10:5:100', '2:10:3:150', '2:20:1:120']);
    expect(keys(s.test)).toEqual(['1:20:4:200']);
    expect(keys(s.dropped)).toEqual(['2:30:3:250', '3:20:2:300']);
    expect(s.droppedUsers).toBe(1);
    expect(s.droppedItems).toBe(1);
  });

  it('on random data: a partition with every test user and movie seen in train', () => {
    const at = timestampQuantile(data, 0.8);
    const s = timeCutoff(data, at);
    expectPartition(data, [s.train, s.test, s.dropped]);
    expect(s.train.timestamps.every((t) => t < at)).toBe(true);
    expect([...s.test.timestamps, ...s.dropped.timestamps].every((t) => t >= at)).toBe(true);
    const users = new Set(s.train.users);
    const items = new Set(s.train.items);
    expect(s.test.users.every((u) => users.has(u))).toBe(true);
    expect(s.test.items.every((i) => items.has(i))).toBe(true);
    s.dropped.users.forEach((u, j) => expect(!users.has(u) || !items.has(s.dropped.items[j]!)).toBe(true));
  });

  it('timestampQuantile picks the rating at position floor(q × n) in time order', () => {
    const r = columns([[1, 1, 1, 40], [1, 2, 1, 10], [1, 3, 1, 30], [1, 4, 1, 20], [1, 5, 1, 50]]);
    expect(timestampQuantile(r, 0.5)).toBe(30);
    expect(timestampQuantile(r, 0.8)).toBe(50);
    expect(() => timestampQuantile(r, 0)).toThrow('Expected a number between 0 and 1 (exclusive) for quantile but received 0 of type number');
  });
});

describe('splitByName', () => {
  it('names every split; only seeded ones depend on the seed', () => {
    expect(splitByName(data, 'leave-last-out', 3, {}).seeded).toBe(false);
    expect(splitByName(data, 'leave-k-out', 3, { pick: 'random' }).seeded).toBe(true);
    expect(splitByName(data, 'random', 3, {}).description).toBe('random holdout (0.2 of ratings, seed 3)');
    expect(splitByName(data, 'time-cutoff', 3, {}).droppedNote).toMatch(/later ratings dropped/);
    expect(() => splitByName(data, 'bogus' as 'random', 0)).toThrow(`Expected one of 'leave-last-out', 'leave-k-out', 'random', 'time-cutoff' for split but received "bogus" of type string`);
  });
});

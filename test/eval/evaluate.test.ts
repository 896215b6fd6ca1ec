import { describe, expect, it } from 'vitest';
import { buildInteractions, type Interactions } from '../../src/matrix/interactions.js';
import { ALS } from '../../src/als/model.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { mostPopular } from '../../src/eval/mostPopular.js';
import { randomRecommender } from '../../src/eval/randomRecommender.js';
import { topNFromScores, type Recommender } from '../../src/eval/recommender.js';
import { temporalLeaveLastOut } from '../../src/eval/temporalLeaveLastOut.js';
import { columns, syntheticRatings } from './ratingsFixture.js';

/**
 * Movies 10..50 (indices 0..4). Train: user 1 {10, 20}, user 2 {10, 30}, user 3 {10, 20, 30};
 * popularity order 10 (3), 20 (2), 30 (2), 40 (0), 50 (0), ties to the smaller id.
 * Test: user 1 {30}; user 2 {50} (never rated in train); user 3 {40}.
 */
function handCase(): { train: Interactions; test: Interactions } {
  const trainRows = [[1, 10], [1, 20], [2, 10], [2, 30], [3, 10], [3, 20], [3, 30]] as const;
  const testRows = [[1, 30], [2, 50], [3, 40]] as const;
  const all = buildInteractions(columns([...trainRows, ...testRows].map(([u, i]) => [u, i, 1, 0] as const)));
  return {
    train: buildInteractions(columns(trainRows.map(([u, i]) => [u, i, 1, 0] as const)), all),
    test: buildInteractions(columns(testRows.map(([u, i]) => [u, i, 1, 0] as const)), all),
  };
}

describe('evaluate', () => {
  it('should throw on a bad k', async () => {
    const { train, test } = handCase();
    await expect(evaluate(mostPopular(train), train, test, { k: 0 })).rejects.toThrow('Expected an integer between 1 and 10000 for k but received 0 of type number');
    await expect(evaluate(mostPopular(train), train, test, { k: [] })).rejects.toThrow('Expected at least one cut-off for k but received an array of length 0');
  });

  it('most popular on the hand case, K = 2 and K = 5 (larger than every candidate list)', async () => {
    const { train, test } = handCase();
    const e = await evaluate(mostPopular(train), train, test, { k: [5, 2] });
    expect(e.model).toBe('most popular');
    expect(e.users).toBe(3);
    expect([...e.perUser.userIds]).toEqual([1, 2, 3]);
    // user 1: [30, 40] hit at 1; user 2: [20, 40] no hit; user 3: [40, 50] hit at 1
    const at2 = e.atK[0]!;
    expect(at2.k).toBe(2);
    expect(at2.hitRate).toBeCloseTo(2 / 3, 12);
    expect(at2.precision).toBeCloseTo(1 / 3, 12);
    expect(at2.recall).toBeCloseTo(2 / 3, 12);
    expect(at2.map).toBeCloseTo(2 / 3, 12);
    expect(at2.ndcg).toBeCloseTo(2 / 3, 12);
    expect(at2.mrr).toBeCloseTo(2 / 3, 12);
    expect(at2.coverage).toBeCloseTo(4 / 5, 12); // 30, 40, 20, 50
    // K = 5: user 2's list is [20, 40, 50], a hit at rank 3
    const at5 = e.atK[1]!;
    expect(at5.hitRate).toBe(1);
    expect(at5.precision).toBeCloseTo(1 / 5, 12);
    expect(at5.map).toBeCloseTo((1 + 1 / 3 + 1) / 3, 12);
    expect(at5.ndcg).toBeCloseTo((1 + 0.5 + 1) / 3, 12);
    expect(at5.mrr).toBeCloseTo((1 + 1 / 3 + 1) / 3, 12);
    expect([...e.perUser.atK[1]!.mrr]).toEqual([1, 1 / 3, 1]);
    // AUC: user 1's 30 beats negatives 40, 50; user 2's 50 (unseen) is below 20, 40; user 3's 40 beats 50
    expect([...e.perUser.auc]).toEqual([1, 0, 1]);
    expect(e.auc).toBeCloseTo(2 / 3, 12);
  });

  it('auc: false skips the dense scoring', async () => {
    const { train, test } = handCase();
    const e = await evaluate(mostPopular(train), train, test, { k: 2, auc: false });
    expect(e.auc).toBeNaN();
    expect(e.atK[0]!.hitRate).toBeCloseTo(2 / 3, 12);
  });

  it('ties in scores: top-K breaks them to the smaller index, AUC counts them ½', async () => {
    const { train, test } = handCase();
    const flat: Recommender = {
      name: 'flat',
      itemCount: 5,
      scoreUsers: (rows) => new Float32Array(rows.length * 5),
      topN: async (rows, n) => topNFromScores(new Float32Array(rows.length * 5), 5, rows, n, train.matrix),
    };
    const e = await evaluate(flat, train, test, { k: 1 });
    // Top-1 is the smallest candidate id: user 1 → 30 (hit), user 2 → 20, user 3 → 40 (hit).
    expect([...e.perUser.atK[0]!.hitRate]).toEqual([1, 0, 1]);
    expect([...e.perUser.auc]).toEqual([0.5, 0.5, 0.5]);
  });

  it('the random baseline is seeded, independent of batching, and excludes train items', async () => {
    const { train } = handCase();
    const a = randomRecommender(train, 3);
    const together = await a.scoreUsers(Int32Array.of(0, 2));
    const alone = await a.scoreUsers(Int32Array.of(2));
    expect(together.subarray(5)).toEqual(alone);
    expect(await randomRecommender(train, 3).scoreUsers(Int32Array.of(0))).toEqual(await a.scoreUsers(Int32Array.of(0)));
    expect(await randomRecommender(train, 4).scoreUsers(Int32Array.of(0))).not.toEqual(await a.scoreUsers(Int32Array.of(0)));
    const top = await a.topN(Int32Array.of(2), 5);
    expect([...top.items].sort()).toEqual([-1, -1, -1, 3, 4]);
  });

  it('ALS goes through the same path; a fitted model beats random and its top-K matches recommend()', async () => {
    const r = syntheticRatings(60, 40, 0.3, 2);
    const all = buildInteractions(r);
    const split = temporalLeaveLastOut(r);
    const train = buildInteractions(split.train, all);
    const test = buildInteractions(split.test, all);
    const model = await new ALS({ factors: 8, iterations: 5, backend: 'ts' }).fit(train);
    const e = await evaluate(model, train, test, { k: [5] });
    expect(e.model).toBe('ALS');
    expect(e.users).toBe(60);
    expect(e.auc).toBeGreaterThan(0);
    const hits = e.perUser.atK[0]!.hitRate;
    e.perUser.userIds.forEach((u, j) => {
      const held = test.items.id(test.matrix.indices[test.matrix.indptr[test.users.index(u, 'user')]!]!);
      const top = model.recommend(u, { n: 5 }).map((x) => x.itemId);
      expect(hits[j]).toBe(top.includes(held) ? 1 : 0);
    });
  });

  it('rejects an ALS fitted on other data', async () => {
    const { train, test } = handCase();
    const other = buildInteractions(syntheticRatings(5, 5, 0.5, 1));
    const model = await new ALS({ factors: 2, iterations: 1, backend: 'ts' }).fit(other);
    await expect(evaluate(model, train, test)).rejects.toThrow('Expected an ALS fitted on the train interactions given for model but received "one fitted on other data" of type string');
  });
});

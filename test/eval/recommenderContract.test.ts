/**
 * The evaluation contract every Recommender keeps (src/eval/recommender.ts): top-N excludes the
 * user's train items, is best first with ties to the smaller item, agrees with scoreUsers, and does
 * not depend on which users are asked together; evaluate() accepts it.
 */
import { describe, expect, it } from 'vitest';
import type { Recommender } from '../../src/eval/recommender.js';
import { mostPopular } from '../../src/eval/mostPopular.js';
import { randomRecommender } from '../../src/eval/randomRecommender.js';
import { fitItemKnn } from '../../src/eval/itemKnn.js';
import { fitEase } from '../../src/eval/ease.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { temporalLeaveLastOut } from '../../src/eval/temporalLeaveLastOut.js';
import { buildInteractions, type Interactions } from '../../src/matrix/interactions.js';
import { nativeAvailable } from '../../src/als/selectBackend.js';
import { syntheticRatings } from './ratingsFixture.js';

const ratings = syntheticRatings(40, 30, 0.3, 9);
const all = buildInteractions(ratings);
const split = temporalLeaveLastOut(ratings);
const train = buildInteractions(split.train, all);
const test = buildInteractions(split.test, all);
const native = nativeAvailable() || process.env['ALSREC_REQUIRE_NATIVE'] === '1';

const makers: Array<[string, (t: Interactions) => Recommender | Promise<Recommender>]> = [
  ['most popular', (t) => mostPopular(t)],
  ['random', (t) => randomRecommender(t, 3)],
  ['itemknn cosine', (t) => fitItemKnn(t, { neighbours: 10 })],
  ['itemknn tfidf', (t) => fitItemKnn(t, { neighbours: 10, weighting: 'tfidf' })],
  ['itemknn bm25 with recency', (t) => fitItemKnn(t, { neighbours: 10, weighting: 'bm25', recencyHalfLife: 10 })],
  ['ease ts', (t) => fitEase(t, { regularization: 5, backend: 'ts' })],
  ...(native ? [['ease native', (t: Interactions) => fitEase(t, { regularization: 5, backend: 'native' })] as [string, (t: Interactions) => Promise<Recommender>]] : []),
];

describe.each(makers)('Recommender contract: %s', (_name, make) => {
  it('top-N: train items excluded, best first, ties to the smaller item, as scoreUsers ranks them', async () => {
    const rec = await make(train);
    const rows = Int32Array.from({ length: train.users.size }, (_, u) => u);
    const n = 5;
    const top = await rec.topN(rows, n);
    const S = await rec.scoreUsers(rows);
    const m = train.matrix;
    for (const u of rows) {
      const seen = new Set(Array.from(m.indices.subarray(m.indptr[u]!, m.indptr[u + 1]!)));
      const expected = Array.from({ length: m.cols }, (_, i) => i)
        .filter((i) => !seen.has(i))
        .sort((a, b) => S[u * m.cols + b]! - S[u * m.cols + a]! || a - b)
        .slice(0, n);
      const got = Array.from(top.items.subarray(u * n, (u + 1) * n));
      // Scores equal up to float rounding may order differently between the scoring paths: compare scores.
      expect(got.map((i) => S[u * m.cols + i]!.toFixed(4)), `user row ${u}`).toEqual(expected.map((i) => S[u * m.cols + i]!.toFixed(4)));
      for (const i of got) expect(seen.has(i)).toBe(false);
    }
  });

  it('does not depend on which users are asked together', async () => {
    const rec = await make(train);
    const rows = Int32Array.of(3, 17, 0, 25);
    const together = await rec.topN(rows, 4);
    for (const [r, u] of rows.entries()) {
      const alone = await rec.topN(Int32Array.of(u), 4);
      expect(Array.from(alone.items)).toEqual(Array.from(together.items.subarray(r * 4, (r + 1) * 4)));
    }
  });

  it('goes through evaluate()', async () => {
    const e = await evaluate(await make(train), train, test, { k: 10 });
    expect(e.users).toBe(new Set(split.test.users).size);
    expect(e.atK[0]!.hitRate).toBeGreaterThanOrEqual(0);
    expect(e.atK[0]!.hitRate).toBeLessThanOrEqual(1);
  });
});

import { describe, expect, it } from 'vitest';
import { aucWithMask, fullRankingAuc, idealDcg, rankingMetricsAtK } from '../../src/eval/rankingMetrics.js';
import { mulberry32 } from '../../src/als/initialFactors.js';

const log2 = Math.log2;

describe('rankingMetricsAtK', () => {
  it('one held-out item found at rank 2', () => {
    const m = rankingMetricsAtK(Int32Array.of(7, 3, 9), new Set([3]), 3);
    expect(m.hitRate).toBe(1);
    expect(m.precision).toBeCloseTo(1 / 3, 12);
    expect(m.recall).toBe(1);
    expect(m.map).toBeCloseTo(0.5, 12);
    expect(m.ndcg).toBeCloseTo(1 / log2(3), 12);
    expect(m.mrr).toBeCloseTo(0.5, 12);
  });

  it('several held-out items, two hits (ranks 1 and 3)', () => {
    const m = rankingMetricsAtK(Int32Array.of(1, 2, 3, 4), new Set([1, 3, 5]), 4);
    expect(m.hitRate).toBe(1);
    expect(m.precision).toBeCloseTo(2 / 4, 12);
    expect(m.recall).toBeCloseTo(2 / 3, 12);
    // AP = (1/1 + 2/3) / min(4, 3)
    expect(m.map).toBeCloseTo((1 + 2 / 3) / 3, 12);
    // DCG = 1/log2(2) + 1/log2(4); IDCG = 1 + 1/log2(3) + 1/log2(4)
    expect(m.ndcg).toBeCloseTo((1 + 0.5) / (1 + 1 / log2(3) + 0.5), 12);
    expect(m.mrr).toBe(1);
  });

  it('a user with no hits scores 0 everywhere', () => {
    const m = rankingMetricsAtK(Int32Array.of(1, 2, 3), new Set([9]), 3);
    expect(m).toEqual({ hitRate: 0, precision: 0, recall: 0, map: 0, ndcg: 0, mrr: 0 });
  });

  it('only the first K count', () => {
    const m = rankingMetricsAtK(Int32Array.of(1, 2, 3), new Set([3]), 2);
    expect(m.hitRate).toBe(0);
    expect(m.mrr).toBe(0);
  });

  it('K larger than the candidate count: empty slots (-1) never hit; precision still divides by K', () => {
    const m = rankingMetricsAtK(Int32Array.of(5, -1, -1, -1, -1), new Set([5]), 5);
    expect(m).toEqual({ hitRate: 1, precision: 1 / 5, recall: 1, map: 1, ndcg: 1, mrr: 1 });
  });

  it('MAP and NDCG normalise by min(K, |T|): all K slots hit out of 5 held out is perfect', () => {
    const m = rankingMetricsAtK(Int32Array.of(1, 2), new Set([1, 2, 3, 4, 5]), 2);
    expect(m.map).toBe(1);
    expect(m.ndcg).toBeCloseTo(1, 12);
    expect(m.recall).toBeCloseTo(2 / 5, 12);
    expect(m.precision).toBe(1);
  });

  it('idealDcg sums 1/log2(r + 1)', () => {
    expect(idealDcg(0)).toBe(0);
    expect(idealDcg(3)).toBeCloseTo(1 + 1 / log2(3) + 0.5, 12);
  });
});

describe('fullRankingAuc', () => {
  it('counts negatives below the held-out item, ties one half', () => {
    // negatives 0 (0.9, above), 2 (0.1, below), 3 (0.5, tied) → (1 + ½) / 3
    expect(fullRankingAuc(Float32Array.of(0.9, 0.5, 0.1, 0.5), [], new Set([1]))).toBeCloseTo(0.5, 12);
  });

  it('train items are not candidates', () => {
    expect(fullRankingAuc(Float32Array.of(0.9, 0.5, 0.1, 0.5), [0], new Set([1]))).toBeCloseTo(0.75, 12);
  });

  it('averages over held-out items; held-out items are not negatives of each other', () => {
    // held out 0 (score 3) and 3 (score 0); negatives 1 (2), 2 (1): item 0 beats both, item 3 neither.
    expect(fullRankingAuc(Float32Array.of(3, 2, 1, 0), [], new Set([0, 3]))).toBeCloseTo(0.5, 12);
  });

  it('a held-out item scored like everything else (e.g. never seen in train) gets ½', () => {
    expect(fullRankingAuc(new Float32Array(6), [1], new Set([4]))).toBeCloseTo(0.5, 12);
  });

  it('is NaN when there is no negative', () => {
    expect(fullRankingAuc(Float32Array.of(1, 2), [0], new Set([1]))).toBeNaN();
  });

  it('the sorting path (many held-out items) equals brute force, ties included', () => {
    const next = mulberry32(5);
    const items = 200;
    const scores = Float32Array.from({ length: items }, () => Math.floor(next() * 20) / 4); // many ties
    const train = [3, 7, 11, 50];
    const heldOut = new Set([0, 1, 2, 20, 21, 22, 40, 41, 42, 60, 61, 99]);
    let sum = 0;
    for (const t of heldOut) {
      let below = 0;
      let n = 0;
      for (let i = 0; i < items; i++) {
        if (train.includes(i) || heldOut.has(i)) continue;
        n++;
        below += scores[i]! < scores[t]! ? 1 : scores[i] === scores[t] ? 0.5 : 0;
      }
      sum += below / n;
    }
    expect(fullRankingAuc(scores, train, heldOut)).toBeCloseTo(sum / heldOut.size, 12);
    const mask = new Uint8Array(items);
    for (const i of [...train, ...heldOut]) mask[i] = 1;
    expect(aucWithMask(scores, mask, heldOut)).toBeCloseTo(sum / heldOut.size, 12);
  });
});

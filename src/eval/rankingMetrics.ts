/**
 * Ranking metrics of one user, on a full ranking (every item the user did not rate in train is a
 * candidate; no sampled negatives). `docs/metrics.md` states each formula and how it maps to
 * implicit's `ranking_metrics_at_k` and Spark's `RankingMetrics`.
 *
 * Glossary: K the cut-off; `ranked` the user's top-K item indices, best first (-1 pads a list
 * shorter than K, when there are fewer candidates than K); T the user's held-out (test) items;
 * hit = a ranked item in T; rank counted from 1.
 */

/** One user's metrics at one K. */
export interface UserMetricsAtK {
  /** 1 when at least one of the top K is held out, else 0. */
  readonly hitRate: number;
  /** hits / K (Spark's precisionAt; a list shorter than K still divides by K). */
  readonly precision: number;
  /** hits / |T| (Spark's recallAt). */
  readonly recall: number;
  /** Average precision: sum over hits at rank r of (hits within r) / r, divided by min(K, |T|). */
  readonly map: number;
  /** DCG / ideal DCG, binary gain, discount 1 / log2(r + 1). */
  readonly ndcg: number;
  /** 1 / rank of the first hit when it is within K, else 0 (MRR@K). */
  readonly mrr: number;
}

/**
 * The ranking metrics at `k` of one user's list against the user's held-out items.
 *
 * @param ranked item indices best first; only the first `k` count; -1 entries are empty slots.
 * @param heldOut the user's held-out item indices (non-empty).
 * @example
 * rankingMetricsAtK(Int32Array.of(7, 3, 9), new Set([3]), 3);
 * // { hitRate: 1, precision: 1/3, recall: 1, map: 0.5, ndcg: 1/log2(3), mrr: 0.5 }
 */
export function rankingMetricsAtK(ranked: ArrayLike<number>, heldOut: ReadonlySet<number>, k: number): UserMetricsAtK {
  const relevant = heldOut.size;
  let hits = 0;
  let precisionSum = 0;
  let dcg = 0;
  let firstHit = 0;
  const depth = Math.min(k, ranked.length);
  for (let j = 0; j < depth; j++) {
    const item = ranked[j]!;
    if (item < 0 || !heldOut.has(item)) continue;
    const rank = j + 1;
    hits++;
    precisionSum += hits / rank; // precision at this hit's rank
    dcg += 1 / Math.log2(rank + 1);
    if (firstHit === 0) firstHit = rank;
  }
  return {
    hitRate: hits > 0 ? 1 : 0,
    precision: hits / k,
    recall: hits / relevant,
    map: precisionSum / Math.min(k, relevant),
    ndcg: dcg / idealDcg(Math.min(k, relevant)),
    mrr: firstHit > 0 ? 1 / firstHit : 0,
  };
}

/** Ideal DCG of `n` hits at ranks 1..n: sum of 1 / log2(r + 1). */
export function idealDcg(n: number): number {
  let s = 0;
  for (let r = 1; r <= n; r++) s += 1 / Math.log2(r + 1);
  return s;
}

/**
 * Full-ranking AUC of one user: for each held-out item t, the share of negatives ranked below it,
 * ties counting one half; averaged over the held-out items. Negatives N are the items neither
 * rated in train nor held out (the candidates the model could wrongly put first):
 *
 *   AUC_u = (1/|T|) sum_{t in T} ( #{j in N : s_j < s_t} + ½ #{j in N : s_j = s_t} ) / |N|
 *
 * NaN when there are no negatives.
 *
 * @param scores the user's score for every item (index = item).
 * @param trainItems the user's train item indices (not candidates).
 * @param heldOut the user's held-out item indices.
 * @example fullRankingAuc(Float32Array.of(0.9, 0.5, 0.1, 0.5), [], new Set([1])) // (1 + ½) / 3
 */
export function fullRankingAuc(scores: ArrayLike<number>, trainItems: ArrayLike<number>, heldOut: ReadonlySet<number>): number {
  const notNegative = new Uint8Array(scores.length);
  for (let q = 0; q < trainItems.length; q++) notNegative[trainItems[q]!] = 1;
  for (const t of heldOut) notNegative[t] = 1;
  return aucWithMask(scores, notNegative, heldOut);
}

/**
 * {@link fullRankingAuc} with the non-negatives (train and held-out items) given as a mask
 * (1 = not a negative), so a caller scoring many users reuses one mask. Cost: O(|items| × |T|)
 * for small |T|, else one sort of the negatives' scores and two binary searches per held-out
 * item, O(|items| log |items|).
 */
export function aucWithMask(scores: ArrayLike<number>, notNegative: Uint8Array, heldOut: ReadonlySet<number>): number {
  let negatives = 0;
  for (let i = 0; i < scores.length; i++) negatives += 1 - notNegative[i]!;
  if (negatives === 0) return NaN;
  const below = heldOut.size <= DIRECT_COUNT_MAX ? belowByCounting(scores, notNegative, heldOut) : belowBySorting(scores, notNegative, heldOut, negatives);
  return below / (heldOut.size * negatives);
}

/** Above this many held-out items one sort beats a pass per held-out item. */
const DIRECT_COUNT_MAX = 8;

/** Sum over t of (#negatives below t + ½ #negatives tied with t), one pass per held-out item. */
function belowByCounting(scores: ArrayLike<number>, notNegative: Uint8Array, heldOut: ReadonlySet<number>): number {
  let sum = 0;
  for (const t of heldOut) {
    const st = scores[t]!;
    let below = 0;
    let tied = 0;
    for (let i = 0; i < scores.length; i++) {
      if (notNegative[i] === 1) continue;
      const s = scores[i]!;
      if (s < st) below++;
      else if (s === st) tied++;
    }
    sum += below + tied / 2;
  }
  return sum;
}

/** As {@link belowByCounting}, by sorting the negatives' scores once. */
function belowBySorting(scores: ArrayLike<number>, notNegative: Uint8Array, heldOut: ReadonlySet<number>, negatives: number): number {
  const neg = new Float64Array(negatives);
  let n = 0;
  for (let i = 0; i < scores.length; i++) if (notNegative[i] === 0) neg[n++] = scores[i]!;
  neg.sort();
  let sum = 0;
  for (const t of heldOut) {
    const st = scores[t]!;
    const below = firstIndexWhere(neg, (v) => v >= st);
    const notAbove = firstIndexWhere(neg, (v) => v > st);
    sum += below + (notAbove - below) / 2;
  }
  return sum;
}

/** Binary search: the first index of ascending `a` where `pred` holds (a.length when none). */
function firstIndexWhere(a: Float64Array, pred: (v: number) => boolean): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(a[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Offline evaluation of a recommender on a train/test split: full-ranking metrics at K for every
 * test user, per user and as the mean over test users. Formulas: `rankingMetrics.ts` and
 * `docs/metrics.md`.
 */
import { ALS } from '../als/model.js';
import type { Interactions } from '../matrix/interactions.js';
import { nnz } from '../matrix/csr.js';
import { integerIn } from '../als/options.js';
import { invalidOption } from '../errors.js';
import { aucWithMask, rankingMetricsAtK, type UserMetricsAtK } from './rankingMetrics.js';
import { alsRecommender, type Recommender } from './recommender.js';

export type RankingMetricName = keyof UserMetricsAtK;

/** The metrics at K, in table order. */
export const RANKING_METRICS: readonly RankingMetricName[] = ['hitRate', 'precision', 'recall', 'map', 'ndcg', 'mrr'];

/** Means over test users at one K, plus catalogue coverage. */
export interface MetricsAtK extends UserMetricsAtK {
  readonly k: number;
  /** Share of all items that appear in at least one test user's top K. */
  readonly coverage: number;
}

/** Per-user values at one K, aligned with {@link PerUserMetrics.userIds}. */
export type PerUserAtK = { readonly k: number } & { readonly [M in RankingMetricName]: Float64Array };

export interface PerUserMetrics {
  /** External ids of the test users, in index order (an Int32Array for integer ids, else strings). */
  readonly userIds: Int32Array | readonly string[];
  /** Full-ranking AUC per user (NaN for a user with no negatives). */
  readonly auc: Float64Array;
  readonly atK: readonly PerUserAtK[];
}

export interface Evaluation {
  /** The recommender's name. */
  readonly model: string;
  /** Test users evaluated (users with at least one test rating). */
  readonly users: number;
  /** Mean full-ranking AUC over the test users that have negatives (NaN when not computed). */
  readonly auc: number;
  /** One entry per K, ascending. */
  readonly atK: readonly MetricsAtK[];
  readonly perUser: PerUserMetrics;
  /** Wall time of scoring, top-K and metrics (not training). */
  readonly seconds: number;
}

export interface EvaluateOptions {
  /** Cut-off(s). Default 10. */
  k?: number | readonly number[];
  /** Name shown for the model (default: the recommender's name, `ALS` for an ALS). */
  name?: string;
  /**
   * Compute the full-ranking AUC (default true). It needs every candidate's score, a dense
   * users x items pass in TypeScript that costs more than the top-K itself; turn it off when only
   * metrics at K matter (e.g. a hyperparameter search). When off, `auc` is NaN.
   */
  auc?: boolean;
}

/** Users scored per batch: bounds the dense score block to about 4M floats. */
const SCORE_BLOCK_FLOATS = 1 << 22;

/**
 * Evaluates `model` (fitted on `train`) against `test`. `train` and `test` must share their id
 * maps (build test with `buildInteractions(split.test, all)` and train likewise). Each test user's
 * train items are excluded from the ranking; everything else is a candidate (no sampling).
 * Top-K comes from the model's batch path (`recommendMany` → backend `topN` for ALS).
 *
 * @example
 * const all = buildInteractions(dataset);
 * const split = temporalLeaveLastOut(dataset.ratings);
 * const train = buildInteractions(split.train, all);
 * const model = await new ALS().fit(train);
 * const result = await evaluate(model, train, buildInteractions(split.test, all), { k: [10] });
 * result.atK[0].ndcg; // mean NDCG@10 over test users
 */
export async function evaluate(model: Recommender | ALS, train: Interactions, test: Interactions, options: EvaluateOptions = {}): Promise<Evaluation> {
  const ks = resolveKs(options.k ?? 10);
  const withAuc = options.auc ?? true;
  const rec = model instanceof ALS ? alsRecommender(model, options.name) : model;
  checkShapes(model, rec, train, test);
  const started = performance.now();
  const items = train.items.size;
  const T = test.matrix;
  const R = train.matrix;

  const testRows: number[] = [];
  for (let u = 0; u < T.rows; u++) if (T.indptr[u + 1]! > T.indptr[u]!) testRows.push(u);
  const users = testRows.length;
  const kMax = ks[ks.length - 1]!;
  const perUserAuc = new Float64Array(users);
  const perUserAtK = ks.map((k) => perUserArrays(k, users));
  const seen = ks.map(() => new Uint8Array(items));
  const notNegative = new Uint8Array(items);
  const batch = Math.max(1, Math.min(users, Math.floor(SCORE_BLOCK_FLOATS / Math.max(1, items))));

  for (let start = 0; start < users; start += batch) {
    const rows = Int32Array.from(testRows.slice(start, start + batch));
    const top = await rec.topN(rows, kMax);
    const scores = withAuc ? await rec.scoreUsers(rows) : null;
    for (let r = 0; r < rows.length; r++) {
      const u = rows[r]!;
      const at = start + r;
      const heldOut = new Set<number>();
      for (let q = T.indptr[u]!; q < T.indptr[u + 1]!; q++) heldOut.add(T.indices[q]!);
      const ranked = top.items.subarray(r * kMax, (r + 1) * kMax);
      ks.forEach((k, j) => {
        const m = rankingMetricsAtK(ranked, heldOut, k);
        for (const name of RANKING_METRICS) perUserAtK[j]![name][at] = m[name];
        for (let p = 0; p < k; p++) if (ranked[p]! >= 0) seen[j]![ranked[p]!] = 1;
      });
      if (scores === null) {
        perUserAuc[at] = NaN;
        continue;
      }
      // Negatives: neither train nor held out. Set the mask, score, then clear just what was set.
      for (let q = R.indptr[u]!; q < R.indptr[u + 1]!; q++) notNegative[R.indices[q]!] = 1;
      for (const t of heldOut) notNegative[t] = 1;
      perUserAuc[at] = aucWithMask(scores.subarray(r * items, (r + 1) * items), notNegative, heldOut);
      for (let q = R.indptr[u]!; q < R.indptr[u + 1]!; q++) notNegative[R.indices[q]!] = 0;
      for (const t of heldOut) notNegative[t] = 0;
    }
  }

  const atK: MetricsAtK[] = ks.map((k, j) => {
    const per = perUserAtK[j]!;
    let covered = 0;
    for (const s of seen[j]!) covered += s;
    return {
      k,
      hitRate: mean(per.hitRate),
      precision: mean(per.precision),
      recall: mean(per.recall),
      map: mean(per.map),
      ndcg: mean(per.ndcg),
      mrr: mean(per.mrr),
      coverage: items > 0 ? covered / items : 0,
    };
  });
  const userIds = test.users.kind === 'int' ? Int32Array.from(testRows, (u) => test.users.id(u) as number) : Array.from(testRows, (u) => String(test.users.id(u)));
  return {
    model: options.name ?? rec.name,
    users,
    auc: mean(perUserAuc),
    atK,
    perUser: { userIds, auc: perUserAuc, atK: perUserAtK },
    seconds: (performance.now() - started) / 1000,
  };
}

/** Validates and sorts the cut-offs (distinct integers in [1, 10000]). */
export function resolveKs(k: number | readonly number[]): number[] {
  const list = typeof k === 'number' ? [k] : [...k];
  if (list.length === 0) throw invalidOption('k', 'at least one cut-off', list);
  for (const v of list) integerIn('k', v, 1, 10_000);
  return [...new Set(list)].sort((a, b) => a - b);
}

function checkShapes(model: Recommender | ALS, rec: Recommender, train: Interactions, test: Interactions): void {
  if (train.users !== test.users && train.users.size !== test.users.size) {
    throw invalidOption('test', `interactions sharing train's id maps (${train.users.size} users)`, `${test.users.size} users`);
  }
  if (train.items !== test.items && train.items.size !== test.items.size) {
    throw invalidOption('test', `interactions sharing train's id maps (${train.items.size} movies)`, `${test.items.size} movies`);
  }
  if (rec.itemCount !== train.items.size) {
    throw invalidOption('model', `a model over train's ${train.items.size} movies`, `one over ${rec.itemCount}`);
  }
  if (model instanceof ALS && (model.state.users.size !== train.users.size || nnz(model.state.liked) !== nnz(train.matrix))) {
    throw invalidOption('model', 'an ALS fitted on the train interactions given', 'one fitted on other data');
  }
}

function perUserArrays(k: number, users: number): PerUserAtK {
  return {
    k,
    hitRate: new Float64Array(users),
    precision: new Float64Array(users),
    recall: new Float64Array(users),
    map: new Float64Array(users),
    ndcg: new Float64Array(users),
    mrr: new Float64Array(users),
  };
}

/** Mean of the non-NaN values (NaN when there are none). */
function mean(values: Float64Array): number {
  let s = 0;
  let n = 0;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    s += v;
    n++;
  }
  return n > 0 ? s / n : NaN;
}

/**
 * What the evaluator needs from a model, so ALS and the baselines (most popular, random) go
 * through the same code path. Everything is in matrix index space (rows = users, columns = items
 * of the train {@link Interactions}), which the train and test splits share.
 */
import type { ALS } from '../als/model.js';
import type { TopNResult } from '../als/backend.js';
import type { Csr } from '../matrix/csr.js';
import { TopNHeap } from '../als/selectTopN.js';

export interface Recommender {
  /** Shown in tables, e.g. `ALS`, `most popular`. */
  readonly name: string;
  /** Items (columns) it scores. */
  readonly itemCount: number;
  /**
   * Scores of every item for each user row, row-major `rows.length x itemCount` (higher is
   * better). The evaluator uses them for the full-ranking AUC.
   */
  scoreUsers(rows: Int32Array): Float32Array | Promise<Float32Array>;
  /**
   * The top `n` items per user row, best first, the user's train items excluded, ties to the
   * smaller item index (= smaller movie id); consistent with {@link scoreUsers}.
   */
  topN(rows: Int32Array, n: number): Promise<TopNResult>;
}

/**
 * Top-n of each row of a dense score block, skipping `exclude`'s entries (the train items), ties
 * to the smaller index: the selection every backend's `topN` makes, for recommenders whose scores
 * are cheap to write out densely.
 */
export function topNFromScores(scores: Float32Array, itemCount: number, rows: Int32Array, n: number, exclude: Csr | null): TopNResult {
  const items = new Int32Array(rows.length * n);
  const out = new Float32Array(rows.length * n);
  const heap = new TopNHeap(n);
  for (let r = 0; r < rows.length; r++) {
    const u = rows[r]!;
    const base = r * itemCount;
    let q = exclude ? exclude.indptr[u]! : 0;
    const qEnd = exclude ? exclude.indptr[u + 1]! : 0;
    for (let i = 0; i < itemCount; i++) {
      // exclude's column indices ascend within a row, so one pointer walks them alongside i.
      if (q < qEnd && exclude!.indices[q] === i) {
        q++;
        continue;
      }
      heap.push(i, scores[base + i]!);
    }
    heap.drainInto(items, out, r * n);
  }
  return { items, scores: out };
}

/**
 * A fitted {@link ALS} as a {@link Recommender}: top-N through `model.recommendMany` (the
 * backend's batch `topN`, native when available), train items excluded; dense scores
 * x_u · y_i for the AUC.
 *
 * @example const rec = alsRecommender(await new ALS().fit(train));
 */
export function alsRecommender(model: ALS, name = 'ALS'): Recommender {
  const s = model.state;
  const itemCount = s.items.size;
  return {
    name,
    itemCount,
    scoreUsers: (rows) => model.scoreRows(rows),
    topN: (rows, n) => model.topNRows(rows, n),
  };
}

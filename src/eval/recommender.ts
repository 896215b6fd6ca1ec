/**
 * What the evaluator needs from a model, so ALS and the baselines (most popular, random) go
 * through the same code path. Everything is in matrix index space (rows = users, columns = items
 * of the train {@link Interactions}), which the train and test splits share.
 */
import type { ALS } from '../als/model.js';
import type { TopNResult } from '../als/backend.js';
import type { Csr } from '../matrix/csr.js';
import { TopNHeap } from '../als/selectTopN.js';
import { AlsrecError } from '../errors.js';

export interface Recommender {
  /** Shown in tables, e.g. `ALS`, `most popular`. */
  readonly name: string;
  /** Items (columns) it scores. */
  readonly itemCount: number;
  /**
   * Scores of every item for each user row, row-major `rows.length x itemCount` (higher is
   * better). The evaluator uses them for the full-ranking AUC.
   */
  scoreUsers(rows: Int32Array): Float32Array;
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
  const k = model.options.factors;
  return {
    name,
    itemCount: s.items.size,
    scoreUsers: (rows) => scoreBlock(s.userFactors, s.itemFactors, k, rows),
    async topN(rows, n) {
      const userIds = new Int32Array(rows.length);
      for (let r = 0; r < rows.length; r++) userIds[r] = s.users.id(rows[r]!);
      const lists = await model.recommendMany(userIds, { n, filterAlreadyLiked: true });
      const items = new Int32Array(rows.length * n).fill(-1);
      const scores = new Float32Array(rows.length * n).fill(-Infinity);
      lists.forEach((list, r) => {
        list.forEach((rec, j) => {
          const i = s.items.tryIndex(rec.itemId);
          if (i < 0) throw new AlsrecError(`recommendMany returned unknown movie ${rec.itemId}`);
          items[r * n + j] = i;
          scores[r * n + j] = rec.score;
        });
      });
      return { items, scores };
    },
  };
}

/**
 * S = X[rows] · Yᵀ (rows.length x items, row-major), rounded to float32 like the backends'
 * scores. Four users share each pass over an item's factors, so Y is read a quarter as often.
 */
export function scoreBlock(X: Float32Array, Y: Float32Array, k: number, rows: Int32Array): Float32Array {
  const items = Y.length / k;
  const S = new Float32Array(rows.length * items);
  let r = 0;
  for (; r + 4 <= rows.length; r += 4) {
    const x0 = rows[r]! * k;
    const x1 = rows[r + 1]! * k;
    const x2 = rows[r + 2]! * k;
    const x3 = rows[r + 3]! * k;
    for (let i = 0; i < items; i++) {
      const yo = i * k;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let a = 0; a < k; a++) {
        const y = Y[yo + a]!;
        s0 += X[x0 + a]! * y;
        s1 += X[x1 + a]! * y;
        s2 += X[x2 + a]! * y;
        s3 += X[x3 + a]! * y;
      }
      S[r * items + i] = s0;
      S[(r + 1) * items + i] = s1;
      S[(r + 2) * items + i] = s2;
      S[(r + 3) * items + i] = s3;
    }
  }
  for (; r < rows.length; r++) {
    const xo = rows[r]! * k;
    for (let i = 0; i < items; i++) {
      const yo = i * k;
      let s = 0;
      for (let a = 0; a < k; a++) s += X[xo + a]! * Y[yo + a]!;
      S[r * items + i] = s;
    }
  }
  return S;
}

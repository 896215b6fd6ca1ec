/**
 * The static demo's recommender: the model's scoring, similar items and fold-in, run in the
 * browser over demoData's typed arrays with the same TypeScript the library uses (the TS
 * backend's Cholesky row solve, the top-n heap, the confidence and objective formulas, explain.ts),
 * so its answers equal `ALS.recommend`, `similarItems`, `recommendForNewUser` and `explain` on
 * the TS path.
 * No Node imports: esbuild bundles it for the browser.
 */
import type { Csr } from '../matrix/csr.js';
import { gram, solveRowsCholesky } from '../als/tsBackend.js';
import { TopNHeap } from '../als/selectTopN.js';
import { confidenceValue } from '../als/confidenceMatrix.js';
import { halfSweepScaling } from '../als/objective.js';
import { explainItem, userWeights, type UserWeights } from '../als/explain.js';
import type { DemoModel } from './demoData.js';

/** One rated item's part of a score: `share` = contribution / score (ALS.explain's). */
export interface Reason {
  readonly item: number;
  readonly contribution: number;
  readonly share: number;
}

/** One ranked item, by index into the model's items. */
export interface RankedItem {
  readonly item: number;
  readonly score: number;
}

export class DemoRecommender {
  readonly k: number;
  readonly users: number;
  readonly items: number;
  private readonly userRows: Map<string, number>;
  private itemNorms: Float32Array | null = null;
  private itemGram: Float64Array | null = null;
  private lastUserWeights: { u: number; w: UserWeights } | null = null;

  constructor(readonly model: DemoModel) {
    this.k = model.meta.factors;
    this.users = model.meta.userIds.length;
    this.items = model.meta.itemIds.length;
    // Keyed by the id's text: a URL's ?user=196 finds user 196 whether ids are numbers or strings.
    this.userRows = new Map(model.meta.userIds.map((id, u) => [String(id), u]));
  }

  /** The row of a user id (as text), or -1. */
  userRow(id: string): number {
    return this.userRows.get(id.trim()) ?? -1;
  }

  /** The items user `u` rated in training, with the ratings, highest first. */
  history(u: number): Array<{ item: number; rating: number }> {
    const m = this.model;
    const out: Array<{ item: number; rating: number }> = [];
    for (let q = m.likedIndptr[u]!; q < m.likedIndptr[u + 1]!; q++) out.push({ item: m.likedIndices[q]!, rating: m.likedValues[q]! });
    return out.sort((a, b) => b.rating - a.rating || a.item - b.item);
  }

  /** User `u`'s top n, items rated in training skipped (as ALS.recommend). */
  recommend(u: number, n: number): RankedItem[] {
    const m = this.model;
    return this.rank(m.userFactors.subarray(u * this.k, (u + 1) * this.k), m.likedIndices.subarray(m.likedIndptr[u]!, m.likedIndptr[u + 1]!), n);
  }

  /** The n items most similar to item `i` by cosine of the factors, itself excluded (as ALS.similarItems). */
  similar(i: number, n: number): RankedItem[] {
    const Y = this.model.itemFactors;
    const k = this.k;
    const norms = (this.itemNorms ??= Float32Array.from({ length: this.items }, (_, j) => Math.sqrt(dot(Y, j * k, Y, j * k, k))));
    const heap = new TopNHeap(Math.min(n, this.items - 1));
    for (let j = 0; j < this.items; j++) {
      if (j === i) continue;
      const denom = norms[i]! * norms[j]!;
      heap.push(j, denom > 0 ? Math.fround(dot(Y, i * k, Y, j * k, k) / denom) : 0);
    }
    return drain(heap);
  }

  /**
   * A visitor's factors from their ratings (item index -> rating): the exact least-squares solve
   * of one row against the fixed item factors with the model's objective (implicit's
   * `recalculate_user`, as ALS.newUserFactors):
   *   x = (a0 YtY + Yt(Cu - a0 I)Y + lambda_u I)^-1 Yt Cu p_u
   */
  foldIn(ratings: ReadonlyMap<number, number>): Float32Array {
    const o = this.model.meta.options;
    const indices = Int32Array.from(ratings.keys()).sort();
    const data = Float32Array.from(indices, (i) => confidenceValue(ratings.get(i)!, o.alpha, o.convention));
    const C: Csr = { rows: 1, cols: this.items, indptr: Int32Array.of(0, indices.length), indices, data };
    const x = new Float32Array(this.k);
    const YtY = (this.itemGram ??= gram(this.model.itemFactors, this.items, this.k));
    solveRowsCholesky(C, x, this.model.itemFactors, this.k, o.regularization, halfSweepScaling(o, this.items), YtY);
    return x;
  }

  /** The top n for factors `x` (a visitor's), skipping the items they rated. */
  recommendFor(x: Float32Array, rated: Iterable<number>, n: number): RankedItem[] {
    return this.rank(x, Int32Array.from(rated), n);
  }

  /**
   * The weights that explain user `u`'s scores (one Cholesky factorization of their A_u,
   * src/als/explain.ts), kept for the last user asked about.
   */
  weightsOfUser(u: number): UserWeights {
    if (this.lastUserWeights?.u === u) return this.lastUserWeights.w;
    const m = this.model;
    const w = this.weights(m.likedIndices.subarray(m.likedIndptr[u]!, m.likedIndptr[u + 1]!), m.likedValues.subarray(m.likedIndptr[u]!, m.likedIndptr[u + 1]!));
    this.lastUserWeights = { u, w };
    return w;
  }

  /** The weights that explain a visitor's scores, from their ratings (item index -> rating). */
  weightsOfRatings(ratings: ReadonlyMap<number, number>): UserWeights {
    const items = Int32Array.from(ratings.keys()).sort();
    return this.weights(items, Float32Array.from(items, (i) => ratings.get(i)!));
  }

  /**
   * Why item `item` scores as it does for the user of `w` (Hu et al. 2008, section 5; as
   * ALS.explain): the `n` rated items that push it up most, with their shares of the score.
   */
  explain(w: UserWeights, item: number, n: number): { score: number; reasons: Reason[] } {
    const { score, contributions } = explainItem(w, this.model.itemFactors, item, n);
    return { score, reasons: contributions.map((c) => ({ item: c.index, contribution: c.contribution, share: score === 0 ? 0 : c.contribution / score })) };
  }

  private weights(items: Int32Array, ratings: Float32Array): UserWeights {
    const o = this.model.meta.options;
    const confidences = Float32Array.from(ratings, (r) => confidenceValue(r, o.alpha, o.convention));
    const YtY = (this.itemGram ??= gram(this.model.itemFactors, this.items, this.k));
    return userWeights(items, confidences, this.model.itemFactors, this.k, o.regularization, halfSweepScaling(o, this.items), YtY);
  }

  /** Items whose title contains `query` (case-insensitive), exact matches first, then in catalogue order. */
  search(query: string, limit: number): number[] {
    const q = query.trim().toLowerCase();
    if (q === '') return [];
    const titles = this.model.meta.titles;
    const found: number[] = [];
    for (let i = 0; i < titles.length; i++) if (titles[i]!.toLowerCase().includes(q)) found.push(i);
    found.sort((a, b) => Number(titles[b]!.toLowerCase() === q) - Number(titles[a]!.toLowerCase() === q) || a - b);
    return found.slice(0, limit);
  }

  private rank(x: Float32Array, rated: Int32Array, n: number): RankedItem[] {
    const Y = this.model.itemFactors;
    const k = this.k;
    const skip = new Uint8Array(this.items);
    for (const i of rated) skip[i] = 1;
    const heap = new TopNHeap(Math.max(1, Math.min(n, this.items)));
    for (let i = 0; i < this.items; i++) if (skip[i] === 0) heap.push(i, Math.fround(dot(x, 0, Y, i * k, k)));
    return drain(heap);
  }
}

function dot(A: Float32Array, ao: number, B: Float32Array, bo: number, k: number): number {
  let s = 0;
  for (let j = 0; j < k; j++) s += A[ao + j]! * B[bo + j]!;
  return s;
}

function drain(heap: TopNHeap): RankedItem[] {
  const items = new Int32Array(heap.capacity);
  const scores = new Float32Array(heap.capacity);
  const kept = heap.drainInto(items, scores, 0);
  return Array.from({ length: kept }, (_, j) => ({ item: items[j]!, score: scores[j]! }));
}

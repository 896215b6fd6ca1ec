/**
 * Item-based k-nearest-neighbours, as benfred/implicit's `CosineRecommender`, `TFIDFRecommender`
 * and `BM25Recommender` (implicit 0.7, `nearest_neighbours.py`), on the confidence matrix ALS trains
 * on (c_ui = α·r_ui, optionally recency-weighted: `confidenceMatrix.ts`). A baseline beside ALS.
 *
 * With C the users x items confidences, N the number of items, n_u the number of items of user u:
 *
 *   cosine  w_ui = c_ui / ‖c_·i‖₂                                   (unit item columns)
 *   tfidf   w_ui = √c_ui · idf_u / ‖√c_·i · idf‖₂,  idf_u = ln N − ln(1 + n_u)
 *   bm25    w_ui = c_ui (K1 + 1) / (K1 · len_i + c_ui) · idf_u,
 *           len_i = (1 − B) + B · s_i / mean(s),  s_i = Σ_u c_ui        (no normalisation)
 *
 * (implicit applies these to the items x users matrix: "documents" are items, "terms" users.)
 * Similarity sim_ij = Σ_u w_ui w_uj, keeping each item's K largest (the item itself included,
 * as implicit's `all_pairs_knn` does; ties to the smaller index). A user's score for item j is
 * Σ_{i ∈ I(u)} c_ui · sim_ij, over the unweighted confidences, as implicit's `recommend`.
 */
import type { Interactions } from '../matrix/interactions.js';
import type { Csr } from '../matrix/csr.js';
import { transposeCsr } from '../matrix/csr.js';
import { confidenceMatrix } from '../als/confidenceMatrix.js';
import { finiteAtLeast, integerIn, oneOf, positiveFinite } from '../als/options.js';
import { TopNHeap } from '../als/selectTopN.js';
import { invalidOption } from '../errors.js';
import { topNFromScores, type Recommender } from './recommender.js';

import { KNN_WEIGHTINGS, type KnnWeighting } from './baselineSettings.js';

export { KNN_WEIGHTINGS, type KnnWeighting };

export interface ItemKnnOptions {
  /** K, neighbours kept per item. Default 20 (implicit's). */
  neighbours?: number;
  /** Default 'cosine'. */
  weighting?: KnnWeighting;
  /** BM25's K1 (default 1.2) and B (default 0.75), implicit's BM25Recommender defaults. */
  bm25K1?: number;
  bm25B?: number;
  /** Confidence scale α (default 1). */
  alpha?: number;
  /** Days; 0 (default) is no recency weighting of the confidences. */
  recencyHalfLife?: number;
}

/** A fitted ItemKNN: a {@link Recommender} plus its pruned similarity (items x items CSR). */
export interface ItemKnnModel extends Recommender {
  readonly similarity: Csr;
}

/**
 * Fits item-based kNN on `train`.
 *
 * @example
 * const knn = fitItemKnn(train, { weighting: 'bm25', neighbours: 100 });
 * const top = await knn.topN(Int32Array.of(0), 10);
 */
export function fitItemKnn(train: Pick<Interactions, 'matrix' | 'timestamps'>, options: ItemKnnOptions = {}): ItemKnnModel {
  const K = integerIn('neighbours', options.neighbours ?? 20, 1, 1_000_000);
  const weighting = oneOf('weighting', options.weighting ?? 'cosine', KNN_WEIGHTINGS);
  const K1 = finiteAtLeast('bm25K1', options.bm25K1 ?? 1.2, 0);
  const B = finiteAtLeast('bm25B', options.bm25B ?? 0.75, 0);
  if (B > 1) throw invalidOption('bm25B', 'a number between 0 and 1', B);
  const alpha = positiveFinite('alpha', options.alpha ?? 1);
  const halfLife = finiteAtLeast('recencyHalfLife', options.recencyHalfLife ?? 0, 0);
  const C = confidenceMatrix(train, alpha, halfLife);
  const W = weigh(C, weighting, K1, B);
  const similarity = pruneToK(W, K);
  return knnRecommender(similarity, C, train.matrix, weighting, K);
}

/** The weighted users x items matrix of the chosen scheme (formulas in the file comment). */
function weigh(C: Csr, weighting: KnnWeighting, K1: number, B: number): Csr {
  const items = C.cols;
  const data = new Float32Array(C.data.length);
  const idf = new Float64Array(C.rows);
  for (let u = 0; u < C.rows; u++) idf[u] = Math.log(items) - Math.log1p(C.indptr[u + 1]! - C.indptr[u]!);
  if (weighting === 'bm25') {
    const sums = new Float64Array(items);
    for (let p = 0; p < C.data.length; p++) sums[C.indices[p]!]! += C.data[p]!;
    const meanSum = sums.reduce((s, x) => s + x, 0) / Math.max(1, items);
    for (let u = 0; u < C.rows; u++) {
      for (let p = C.indptr[u]!; p < C.indptr[u + 1]!; p++) {
        const c = C.data[p]!;
        const lengthNorm = 1 - B + (B * sums[C.indices[p]!]!) / meanSum;
        data[p] = ((c * (K1 + 1)) / (K1 * lengthNorm + c)) * idf[u]!;
      }
    }
    return { ...C, data };
  }
  for (let u = 0; u < C.rows; u++) {
    for (let p = C.indptr[u]!; p < C.indptr[u + 1]!; p++) data[p] = weighting === 'tfidf' ? Math.sqrt(C.data[p]!) * idf[u]! : C.data[p]!;
  }
  const norms = new Float64Array(items);
  for (let p = 0; p < data.length; p++) norms[C.indices[p]!]! += data[p]! ** 2;
  for (let p = 0; p < data.length; p++) data[p] = data[p]! / Math.sqrt(norms[C.indices[p]!]!);
  return { ...C, data };
}

/**
 * sim_i· = Σ_{u ∈ users(i)} w_ui w_u· for each item i, accumulated densely over the items touched,
 * then the K largest kept (as implicit's all_pairs_knn: only items sharing a user are candidates).
 */
function pruneToK(W: Csr, K: number): Csr {
  const items = W.cols;
  const byItem = transposeCsr(W);
  const acc = new Float64Array(items);
  const touched = new Uint8Array(items);
  const list = new Int32Array(items);
  const heap = new TopNHeap(Math.min(K, items));
  const keep = Math.min(K, items);
  const outItems = new Int32Array(keep);
  const outScores = new Float32Array(keep);
  const indptr = new Int32Array(items + 1);
  const indices: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < items; i++) {
    let count = 0;
    for (let p = byItem.indptr[i]!; p < byItem.indptr[i + 1]!; p++) {
      const u = byItem.indices[p]!;
      const wi = byItem.data[p]!;
      for (let q = W.indptr[u]!; q < W.indptr[u + 1]!; q++) {
        const j = W.indices[q]!;
        if (touched[j] === 0) (touched[j] = 1), (list[count++] = j);
        acc[j]! += wi * W.data[q]!;
      }
    }
    for (let t = 0; t < count; t++) heap.push(list[t]!, acc[list[t]!]!);
    heap.drainInto(outItems, outScores, 0);
    // The neighbours in ascending column order, as CSR wants.
    const chosen: Array<[number, number]> = [];
    for (let t = 0; t < keep; t++) if (outItems[t]! >= 0) chosen.push([outItems[t]!, outScores[t]!]);
    chosen.sort((a, b) => a[0] - b[0]);
    for (const [j, s] of chosen) (indices.push(j), values.push(s));
    indptr[i + 1] = indices.length;
    for (let t = 0; t < count; t++) (acc[list[t]!] = 0), (touched[list[t]!] = 0);
  }
  return { rows: items, cols: items, indptr, indices: Int32Array.from(indices), data: Float32Array.from(values) };
}

function knnRecommender(similarity: Csr, C: Csr, train: Csr, weighting: KnnWeighting, K: number): ItemKnnModel {
  const n = train.cols;
  // score(u, ·) = Σ_{i ∈ I(u)} c_ui · sim_i·: a sparse row times the sparse similarity.
  const scoreUsers = (rows: Int32Array): Float32Array => {
    const S = new Float32Array(rows.length * n);
    rows.forEach((u, r) => {
      const base = r * n;
      for (let p = C.indptr[u]!; p < C.indptr[u + 1]!; p++) {
        const i = C.indices[p]!;
        const c = C.data[p]!;
        for (let q = similarity.indptr[i]!; q < similarity.indptr[i + 1]!; q++) S[base + similarity.indices[q]!]! += c * similarity.data[q]!;
      }
    });
    return S;
  };
  return {
    name: `ItemKNN (${weighting}, K ${K})`,
    itemCount: n,
    similarity,
    scoreUsers,
    topN: async (rows, count) => topNFromScores(scoreUsers(rows), n, rows, count, train),
  };
}

/**
 * Scoring and ranking for one query on the main thread: a user's top-n items
 * (`ALS.recommend`, `ALS.recommendForNewUser`) and the most similar items or users by cosine
 * (`ALS.similarItems`, `ALS.similarUsers`). Each builds one row of scores and ranks it with
 * {@link selectTopN}, the ranking rule every top-N path shares.
 */
import type { ExternalId } from '../data/rawInteractions.js';
import type { IdMap } from '../matrix/idMap.js';
import { invalidOption } from '../errors.js';
import { integerIn } from './options.js';
import { selectTopN, type TopNRow } from './selectTopN.js';
import type { FittedState, Recommendation } from './fittedState.js';

export interface RecommendOptions {
  /** How many. Default 10. */
  n?: number;
  /** Skip items the user rated in the training data. Default true. */
  filterAlreadyLiked?: boolean;
  /** Item ids never to recommend. */
  filterItems?: Iterable<ExternalId>;
  /** Only rank these item ids. */
  items?: Iterable<ExternalId>;
}

/**
 * Ranks every item of `s` (or `options.items`) for row `u` of `X` (k factors per row) by
 * score x_u . y_i (summed in float64 in the order a = 0..k-1, compared as float32), skipping
 * `rated` (ascending item indices) unless `options.filterAlreadyLiked` is false, and
 * `options.filterItems`.
 * @throws InvalidOptionError for a bad option; UnknownIdError for an unknown id in `options.items`.
 * @example rankItemsFor(state, k, state.userFactors, 0, rowOf(state.liked, 0).indices, { n: 5 })
 */
export function rankItemsFor(s: FittedState, k: number, X: Float32Array, u: number, rated: Int32Array, options: RecommendOptions): Recommendation[] {
  if (options === null || typeof options !== 'object') throw invalidOption('options', 'an object', options);
  const m = s.items.size;
  const skip = new Uint8Array(m);
  if (options.filterAlreadyLiked ?? true) for (const i of rated) skip[i] = 1;
  for (const id of iterableOption('filterItems', options.filterItems ?? [])) {
    const i = s.items.tryIndex(id);
    if (i >= 0) skip[i] = 1;
  }
  // A movie listed twice in `items` is ranked once.
  const candidates = options.items === undefined ? null : uniqueIndices(s.items.indices([...iterableOption('items', options.items)], 'item'));
  // n is clamped to the candidates before anything is sized by it.
  const n = Math.min(integerIn('n', options.n ?? 10, 1, 1_000_000), candidates === null ? m : candidates.length);
  if (candidates !== null) {
    // Only the candidates compete: every other item is skipped too.
    const onlyCandidates = new Uint8Array(m).fill(1);
    for (const i of candidates) onlyCandidates[i] = skip[i]!;
    skip.set(onlyCandidates);
  }
  const scores = new Float64Array(m);
  const xo = u * k;
  const Y = s.itemFactors;
  for (let i = 0; i < m; i++) {
    if (skip[i] === 1) continue;
    let dot = 0;
    const yo = i * k;
    for (let a = 0; a < k; a++) dot += X[xo + a]! * Y[yo + a]!;
    scores[i] = dot;
  }
  return recommendationsOf(selectTopN(scores, n, skip), s.items);
}

/**
 * The n rows of `F` (k factors per row) most similar to row `row` by cosine, excluding itself:
 * cos = (f_row . f_j) / (|f_row| |f_j|), 0 when either norm is 0. `norms` are {@link rowNorms}.
 * @example cosineTopN(state.itemFactors, rowNorms(state.itemFactors, k), 3, 10, state.items, k)
 */
export function cosineTopN(F: Float32Array, norms: Float32Array, row: number, n: number, ids: IdMap, k: number): Recommendation[] {
  // Every row but the query one is a candidate: n is clamped to them before anything is sized.
  n = Math.min(integerIn('n', n, 1, 1_000_000), ids.size - 1);
  const m = ids.size;
  const scores = new Float64Array(m);
  const skip = new Uint8Array(m);
  skip[row] = 1;
  const qn = norms[row]!;
  for (let j = 0; j < m; j++) {
    if (j === row) continue;
    const denom = qn * norms[j]!;
    scores[j] = denom > 0 ? Math.fround(dotRows(F, row, F, j, k) / denom) : 0;
  }
  return recommendationsOf(selectTopN(scores, n, skip), ids);
}

/**
 * The Euclidean norm of every row of `F` (k factors per row), for {@link cosineTopN}.
 * @example rowNorms(state.itemFactors, 32)
 */
export function rowNorms(F: Float32Array, k: number): Float32Array {
  const rows = F.length / k;
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) out[r] = Math.sqrt(dotRows(F, r, F, r, k));
  return out;
}

/** The ranked entries of `top` as recommendations, ids by `ids`. */
function recommendationsOf(top: TopNRow, ids: IdMap): Recommendation[] {
  const out: Recommendation[] = [];
  for (let j = 0; j < top.kept; j++) out.push({ itemId: ids.id(top.items[j]!), score: top.scores[j]! });
  return out;
}

function dotRows(A: Float32Array, a: number, B: Float32Array, b: number, k: number): number {
  let s = 0;
  const ao = a * k;
  const bo = b * k;
  for (let j = 0; j < k; j++) s += A[ao + j]! * B[bo + j]!;
  return s;
}

/** `value` as an iterable of ids, or an InvalidOptionError naming the option. */
function iterableOption(name: string, value: unknown): Iterable<ExternalId> {
  if (value === null || typeof value !== 'object' || typeof (value as Iterable<ExternalId>)[Symbol.iterator] !== 'function') {
    throw invalidOption(name, 'an iterable of item ids', value);
  }
  return value as Iterable<ExternalId>;
}

/** `indices` without repeats, first occurrence kept. */
function uniqueIndices(indices: Int32Array): Int32Array {
  const seen = new Set<number>();
  return indices.filter((i) => !seen.has(i) && seen.add(i) !== undefined);
}

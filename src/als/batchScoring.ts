/**
 * Scoring many users at once through the backend's batch kernels (native when available): top-n
 * per user (`ALS.recommendMany`, `ALS.topNRows`) and dense score rows (`ALS.scoreRows`). The
 * native top-n follows the same ranking rule as {@link selectTopN} (score descending, then item
 * index ascending). The item factors are pinned once per factor array where the backend can
 * ({@link PinnedItemFactors}).
 */
import { invalidOption } from '../errors.js';
import type { AlsBackend, PinnedFactors, TopNResult } from './backend.js';
import type { FittedState, Recommendation } from './fittedState.js';

/**
 * The item factors as a backend scores them: pinned once per factor array where the backend can
 * (native calls otherwise copy all of Y each time, 4 MB per request for 80,000 items at k = 13).
 * Like the fold-in's YtY cache, this relies on published factor arrays never being written in
 * place: fits and partial fits publish new arrays.
 */
export class PinnedItemFactors {
  private pinned: { of: Float32Array; backend: AlsBackend; table: PinnedFactors } | null = null;

  /**
   * `itemFactors` as `backend` takes them: its pinned table, made on first use, or the array.
   * @example backend.topN(X, pinned.for(backend, state.itemFactors, k), k, rows, 10, null, 1)
   */
  for(backend: AlsBackend, itemFactors: Float32Array, k: number): Float32Array | PinnedFactors {
    if (backend.pinFactors === undefined) return itemFactors;
    if (this.pinned?.of !== itemFactors || this.pinned.backend !== backend) {
      this.pinned = { of: itemFactors, backend, table: backend.pinFactors(itemFactors, k) };
    }
    return this.pinned.table;
  }
}

/** Rejects anything but user indices of `s` in an Int32Array. */
export function checkUserRows(s: FittedState, rows: Int32Array): void {
  if (!(rows instanceof Int32Array)) throw invalidOption('rows', 'an Int32Array of user indices', rows);
  for (const u of rows) if (!(u >= 0 && u < s.users.size)) throw invalidOption('rows', `user indices in [0, ${s.users.size})`, u);
}

/**
 * Top-`n` items (indices) per user index of `rows`, n per row, -1 padded: the backend ranks at
 * most the catalogue, and the stride n is padded afterwards. `filterAlreadyLiked` skips the
 * training ratings. `rows` must have passed {@link checkUserRows}.
 * @example await topNForRows(backend, state, Y, k, Int32Array.of(0, 1), 10, true, 2)
 */
export async function topNForRows(
  backend: AlsBackend,
  s: FittedState,
  Y: Float32Array | PinnedFactors,
  k: number,
  rows: Int32Array,
  n: number,
  filterAlreadyLiked: boolean,
  threads: number,
): Promise<TopNResult> {
  const ranked = Math.min(n, Math.max(1, s.items.size));
  const top = await backend.topN(s.userFactors, Y, k, rows, ranked, filterAlreadyLiked ? s.liked : null, threads);
  return ranked === n ? top : padTopN(top, rows.length, ranked, n);
}

/**
 * A top-n result (n per row) as one list of recommendations per row, padding dropped.
 * @example recommendationLists(top, 2, 10, state.items)
 */
export function recommendationLists(top: TopNResult, rows: number, n: number, items: FittedState['items']): Recommendation[][] {
  const out: Recommendation[][] = [];
  for (let r = 0; r < rows; r++) {
    const list: Recommendation[] = [];
    for (let j = 0; j < n; j++) {
      const i = top.items[r * n + j]!;
      if (i < 0) break;
      list.push({ itemId: items.id(i), score: top.scores[r * n + j]! });
    }
    out.push(list);
  }
  return out;
}

/** Widens a top-`ranked` result to stride `n`, padding with item -1 and score -Infinity. */
function padTopN(top: TopNResult, rows: number, ranked: number, n: number): TopNResult {
  const items = new Int32Array(rows * n).fill(-1);
  const scores = new Float32Array(rows * n).fill(-Infinity);
  for (let r = 0; r < rows; r++) {
    items.set(top.items.subarray(r * ranked, (r + 1) * ranked), r * n);
    scores.set(top.scores.subarray(r * ranked, (r + 1) * ranked), r * n);
  }
  return { items, scores };
}

/**
 * Fold-in: factors for a user the model was not trained on, from their ratings alone, as the
 * exact least-squares solve of that one row against the fixed item factors (implicit's
 * `recalculate_user`; Cholesky, with the model's objective). The item Gram matrix YtY it needs is
 * cached per item-factor array ({@link ItemGramCache}), so a fold-in costs
 * O(ratings * k^2 + k^3) instead of O(items * k^2).
 */
import type { ExternalId } from '../data/rawInteractions.js';
import type { IdMap } from '../matrix/idMap.js';
import { buildCsr } from '../matrix/csr.js';
import { entriesFromPairs, type RowEntries } from '../matrix/mergeRows.js';
import { invalidOption, NumericalError } from '../errors.js';
import type { ResolvedAlsOptions } from './options.js';
import { RowSolveError } from './backend.js';
import { gram, solveRowsCholesky } from './tsBackend.js';
import { confidenceValue } from './confidenceMatrix.js';
import { halfSweepScaling } from './objective.js';
import type { FittedState } from './fittedState.js';

/**
 * A new user's ratings: `[{ itemId, rating }]` or a Map itemId -> rating. (`movieId` in place of
 * `itemId` is still read, deprecated.)
 */
export type NewUserRatings =
  | ReadonlyArray<{ readonly itemId: ExternalId; readonly rating: number } | { readonly movieId: ExternalId; readonly rating: number }>
  | ReadonlyMap<ExternalId, number>;

/** A folded-in user: factors, and the rated items' column indices (ascending) with their ratings. */
export interface FoldedInUser {
  readonly x: Float32Array;
  readonly rated: Int32Array;
  readonly ratedValues: Float32Array;
}

/**
 * YtY (float64, k x k) of the item factors, with the array it was computed from. Any mutation
 * that replaces the item factors makes a new array, so the identity check is the invalidation.
 */
export class ItemGramCache {
  private cached: { of: Float32Array; YtY: Float64Array } | null = null;

  /**
   * YtY of `itemFactors` (`items` rows of `k`), computed once per factor array.
   * @example const YtY = cache.of(state.itemFactors, state.items.size, k);
   */
  of(itemFactors: Float32Array, items: number, k: number): Float64Array {
    if (this.cached?.of !== itemFactors) this.cached = { of: itemFactors, YtY: gram(itemFactors, items, k) };
    return this.cached.YtY;
  }
}

/**
 * A new user's ratings as one row (ascending item indices), validated.
 * @throws InvalidOptionError for no ratings, a repeated item or a bad rating; UnknownIdError for an unknown item.
 * @example newUserRow([{ itemId: 50, rating: 5 }], state.items)
 */
export function newUserRow(ratings: NewUserRatings, items: IdMap): RowEntries {
  if (ratings === null || typeof ratings !== 'object') throw invalidOption('ratings', 'an array of { itemId, rating } or a Map', ratings);
  const pairs: Array<[ExternalId, number]> = ratings instanceof Map
    ? [...ratings.entries()]
    : (ratings as ReadonlyArray<{ itemId?: ExternalId; movieId?: ExternalId; rating: number }>).map((r) => [r?.itemId ?? r?.movieId!, r?.rating]);
  if (pairs.length === 0) throw invalidOption('ratings', 'at least one (itemId, rating) pair', ratings);
  return entriesFromPairs(pairs, items, 'item', 'ratings');
}

/**
 * Folds in a new user: x = (a0*YtY + Yt(Cu - a0*I)Y + lambda_u*I)^-1 Yt Cu p_u over their
 * ratings' confidences (c = alpha * r, or the Spark convention's), against the item factors of
 * `s`. `YtY` is the plain Gram of those factors (from {@link ItemGramCache}); it is only read.
 * @throws NumericalError when the Cholesky factorization fails.
 * @example const { x } = foldInUser(state, options, [{ itemId: 50, rating: 5 }], cache.of(state.itemFactors, state.items.size, k));
 */
export function foldInUser(s: FittedState, o: ResolvedAlsOptions, ratings: NewUserRatings, YtY: () => Float64Array): FoldedInUser {
  const row = newUserRow(ratings, s.items);
  // One-row CSR of confidences (c = alpha * r, or the Spark convention's), solved exactly:
  // x = (a0*YtY + Yt(Cu - a0*I)Y + lambda_u*I)^-1 Yt Cu p_u
  const values = Float32Array.from(row.data, (r) => confidenceValue(r, o.alpha, o.convention));
  const C = buildCsr(new Int32Array(row.indices.length), row.indices, values, 1, s.items.size);
  const x = new Float32Array(o.factors);
  try {
    // The cached YtY is the plain Gram; solveRowsCholesky scales it by a0 in its own copy.
    solveRowsCholesky(C, x, s.itemFactors, o.factors, o.regularization, halfSweepScaling(o, s.items.size), YtY());
  } catch (err) {
    if (err instanceof RowSolveError) throw new NumericalError(`Cholesky failed for the new user; increase regularization (now ${o.regularization})`);
    throw err;
  }
  return { x, rated: row.indices, ratedValues: row.data };
}

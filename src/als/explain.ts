/**
 * Why the model scores an item for a user: the score decomposed over the items the user rated,
 * as in Hu, Koren & Volinsky (2008), section 5, and implicit 0.7's `explain`.
 *
 * Glossary (as in tsBackend.ts and objective.ts): Y (items x k) the item factors, YtY = YᵀY,
 * c_uj the user's stored confidences (negative: preference 0 with confidence |c|), p_uj = [c_uj > 0],
 * a0 the weight of unobserved pairs, lambda_u the row's regularization. The user's exact solve is
 *
 *   x̂_u = W_u Yᵀ C_u p_u,   W_u = A_u⁻¹,   A_u = a0·YtY + Yᵀ(C_u − a0·I)Y + lambda_u·I
 *
 * so the score of item i splits over the rated items j with p_uj = 1 (section 5, eq. 7):
 *
 *   score_ui = y_iᵀ x̂_u = Σ_j c_uj · (y_iᵀ W_u y_j) = Σ_j contribution_j
 *
 * y_iᵀ W_u y_j is a similarity of i and j in the user's own metric W_u: it depends on everything
 * the user rated (through A_u), which is why the same rated item can weigh differently for two
 * users. Rated items with preference 0 contribute nothing to the sum but shape W_u.
 *
 * One Cholesky factorization A_u = L Lᵀ per user ({@link userWeights}) serves every item explained
 * for that user: each item then costs two triangular solves (k²) and one dot product per rated
 * item. Arithmetic is float64. Nothing here depends on Node, so the browser demo can bundle it.
 */
import { choleskyInPlace, choleskySolveInPlace, gram } from './tsBackend.js';
import { RowSolveError } from './backend.js';
import { rowRegularization, type ObjectiveScaling } from './objective.js';

/**
 * A user's weights for explaining their scores (implicit's `user_weights`): the Cholesky factor
 * of A_u = W_u⁻¹ and what it was built from. Valid only against the item factors it was built
 * with; {@link explainItem} refuses other ones.
 */
export interface UserWeights {
  /** k, the number of factors. */
  readonly factors: number;
  /** L, lower triangle of a row-major k x k float64 matrix, with L Lᵀ = A_u. */
  readonly cholesky: Float64Array;
  /** The rated items' indices (columns of Y). */
  readonly items: Int32Array;
  /** Their stored confidences c_uj, in the same order (negative: preference 0). */
  readonly confidences: Float32Array;
  /** lambda_u, the regularization of this user's row. */
  readonly regularization: number;
  /** The item factors A_u was built from (compared by identity). */
  readonly itemFactors: Float32Array;
  /**
   * For a user folded in from ratings, their factors as the model scores them (the fold-in's
   * float32 solve), so that explaining more items for them needs no new solve. Unset for users
   * the model holds.
   */
  readonly userFactors?: Float32Array;
}

/** One rated item's part of a score. */
export interface IndexedContribution {
  /** Index of the rated item (a column of Y). */
  readonly index: number;
  /** c_uj · (y_iᵀ W_u y_j). */
  readonly contribution: number;
}

/** A score and its largest parts. */
export interface ScoreDecomposition {
  /** Σ of every rated item's contribution = y_iᵀ x̂_u. */
  readonly score: number;
  /** The `n` largest contributions, largest first (ties: smaller index first). */
  readonly contributions: IndexedContribution[];
  /** How many rated items contribute (preference 1), shown or not. */
  readonly contributingItems: number;
}

/**
 * Builds A_u for the rated `items` with confidences `confidences` (as the training's user
 * half-sweep and fold-in build it: a0·YtY + Σ_j (|c_uj| − a0) y_j y_jᵀ + lambda_u·I, with n_u
 * counting the entries c > 0) and factorizes it.
 *
 * @param YtY `gram(Y, items, k)` when already computed (the model caches it); only read.
 * @throws RowSolveError (row 0) when A_u is not positive definite.
 * @example
 * const w = userWeights(Int32Array.of(3, 7), Float32Array.of(5, 2), Y, 8, 0.01, scaling);
 * explainItem(w, Y, 12, 5).score; // y_12 · x̂_u
 */
export function userWeights(
  items: Int32Array,
  confidences: Float32Array,
  Y: Float32Array,
  k: number,
  lambda: number,
  scaling: ObjectiveScaling,
  YtY: Float64Array = gram(Y, Y.length / k, k),
): UserWeights {
  const a0 = scaling.unobservedWeight;
  const A = YtY.map((g) => a0 * g);
  let positives = 0;
  for (let q = 0; q < items.length; q++) {
    const c = confidences[q]!;
    if (c > 0) positives++;
    const yo = items[q]! * k;
    const w = Math.abs(c) - a0; // A += (c_uj - a0) y_j y_jᵀ, lower triangle only
    for (let a = 0; a < k; a++) {
      const wya = w * Y[yo + a]!;
      for (let b = 0; b <= a; b++) A[a * k + b]! += wya * Y[yo + b]!;
    }
  }
  const lambdaU = rowRegularization(lambda, scaling, positives);
  for (let a = 0; a < k; a++) A[a * k + a]! += lambdaU;
  if (!choleskyInPlace(A, k)) throw new RowSolveError(0);
  return { factors: k, cholesky: A, items, confidences, regularization: lambdaU, itemFactors: Y };
}

/**
 * The score of item `item` for the user of `w`, decomposed over their rated items, with the `n`
 * largest contributions (section 5 of Hu et al.; implicit's `explain`).
 *
 * @example
 * const { score, contributions } = explainItem(w, Y, 12, 3);
 * // contributions[0].index is the rated item that pushes item 12 up most
 */
export function explainItem(w: UserWeights, Y: Float32Array, item: number, n: number): ScoreDecomposition {
  if (Y !== w.itemFactors) throw new RangeError('The user weights were computed against other item factors');
  const k = w.factors;
  // v = W_u y_i = inv(Lᵀ) inv(L) y_i, so that contribution_j = c_uj · (v · y_j)
  const v = Float64Array.from(Y.subarray(item * k, (item + 1) * k));
  choleskySolveInPlace(w.cholesky, k, v);
  const parts: IndexedContribution[] = [];
  let score = 0;
  for (let q = 0; q < w.items.length; q++) {
    const c = w.confidences[q]!;
    if (!(c > 0)) continue; // preference 0: no term in Yᵀ C_u p_u
    const yo = w.items[q]! * k;
    let s = 0;
    for (let a = 0; a < k; a++) s += v[a]! * Y[yo + a]!;
    const contribution = c * s;
    score += contribution;
    parts.push({ index: w.items[q]!, contribution });
  }
  parts.sort((a, b) => b.contribution - a.contribution || a.index - b.index);
  return { score, contributions: parts.slice(0, n), contributingItems: parts.length };
}

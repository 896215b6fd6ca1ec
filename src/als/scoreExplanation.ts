/**
 * The model-level "why this recommendation?": external ids, the model's confidences and
 * objective, and each contribution's share of the score, around the numerics of explain.ts.
 *
 * What the explained score is. explain.ts decomposes y_iᵀ x̂_u, where x̂_u = W_u Yᵀ C_u p_u is the
 * user's exact solve against the model's current item factors (implicit's `explain` recomputes
 * the user factor the same way, `recalculate_user`). It equals the score the model ranks by,
 * y_iᵀ x_u with the stored x_u, exactly when x_u came from that solve:
 *
 * - users folded in from ratings (`recommendForNewUser`) and users added or changed by
 *   `partialFitUsers` (`alsrec update`): x_u is that Cholesky solve (equal up to float32 rounding);
 * - users from training: x_u was solved in the last iteration's user half-sweep, against the item
 *   factors *before* the last item half-sweep, and with solver 'cg' only approximately (a few CG
 *   steps). The two scores then differ by y_iᵀ W_u (A_u x_u − Yᵀ C_u p_u): the stored factor's
 *   residual in the current normal equations, small once training has converged.
 *
 * So an explanation reports both: `score` (= the sum of every contribution) and `modelScore`
 * (what `recommend` returned). With `recencyHalfLife` the model keeps no timestamps, so the
 * ratings count as equally recent, as in fold-in.
 */
import type { ExternalId } from '../data/rawInteractions.js';
import type { FittedState } from './fittedState.js';
import type { ResolvedAlsOptions } from './options.js';
import { AlsrecError, invalidOption, NumericalError } from '../errors.js';
import { RowSolveError } from './backend.js';
import { confidenceValue } from './confidenceMatrix.js';
import { halfSweepScaling } from './objective.js';
import { explainItem, userWeights, type UserWeights } from './explain.js';

export type { UserWeights } from './explain.js';

export interface ExplainOptions {
  /** How many contributing items to return, largest first. Default 10. */
  n?: number;
  /**
   * The weights of the same user from an earlier explanation (`explanation.userWeights`) or
   * from `model.userWeights(userId)`: skips the factorization when explaining several items. For
   * `explainForNewUser`, the weights of an earlier `explainForNewUser` with the same ratings
   * (they carry the folded-in factors, so no solve is repeated).
   */
  userWeights?: UserWeights;
}

/** One rated item's part of an explained score. */
export interface Contribution {
  readonly itemId: ExternalId;
  /** c_uj · y_iᵀ W_u y_j; the contributions of all rated items sum to `score`. */
  readonly contribution: number;
  /** contribution / score (0 when the score is 0); negative when the item pulls the score down. */
  readonly share: number;
}

/** Why the model scores `itemId` for a user. */
export interface Explanation {
  readonly itemId: ExternalId;
  /** The sum of every rated item's contribution: y_iᵀ x̂_u with the user's exact solve x̂_u. */
  readonly score: number;
  /** The score the model ranks by, from its stored (or folded-in) user factors. */
  readonly modelScore: number;
  /** The `n` largest contributions, largest first. */
  readonly contributions: Contribution[];
  /** How many rated items contribute (those with preference 1), listed or not. */
  readonly contributingItems: number;
  /** The user's weights, to pass back as `options.userWeights` for this user's next item. */
  readonly userWeights: UserWeights;
}

/**
 * The weights of a user who rated the item indices `items` with `ratings` (the model's row, or
 * a new user's), built with the model's confidences and objective.
 * @param who names the user in errors, e.g. `user 196` or `the new user`.
 */
export function weightsFromRatings(
  s: FittedState,
  o: ResolvedAlsOptions,
  items: Int32Array,
  ratings: Float32Array,
  YtY: Float64Array,
  who: string,
): UserWeights {
  if (items.length === 0) {
    // Coded as an unknown id: there is nothing to explain for this user (a 404 over HTTP).
    throw new AlsrecError(`The model holds no ratings of ${who}, so no score can be explained`, 'ERR_ALSREC_UNKNOWN_ID');
  }
  const confidences = Float32Array.from(ratings, (r) => confidenceValue(r, o.alpha, o.convention));
  try {
    return userWeights(items, confidences, s.itemFactors, o.factors, o.regularization, halfSweepScaling(o, s.items.size), YtY);
  } catch (err) {
    if (err instanceof RowSolveError) throw new NumericalError(`Cholesky failed for ${who}; increase regularization (now ${o.regularization})`);
    throw err;
  }
}

/**
 * Checks that `w` are the weights of the user who rated `items` with `ratings`, against the
 * model's current item factors.
 */
export function assertWeightsOf(w: unknown, s: FittedState, o: ResolvedAlsOptions, items: Int32Array, ratings: Float32Array, who: string): UserWeights {
  const weights = w as UserWeights;
  const same = weights !== null && typeof weights === 'object'
    && weights.itemFactors === s.itemFactors && weights.factors === o.factors
    && weights.items instanceof Int32Array && weights.items.length === items.length
    && weights.confidences instanceof Float32Array && weights.confidences.length === items.length
    && items.every((i, q) => weights.items[q] === i && weights.confidences[q] === Math.fround(confidenceValue(ratings[q]!, o.alpha, o.convention)));
  if (!same) throw invalidOption('userWeights', `the weights of ${who} for the model's current item factors`, w);
  return weights;
}

/**
 * The explanation of item index `item` for the user of `w` whose factors (as the model ranks
 * with them) are `x`.
 */
export function explanationFor(s: FittedState, w: UserWeights, x: Float32Array, item: number, n: number): Explanation {
  const k = w.factors;
  const { score, contributions, contributingItems } = explainItem(w, s.itemFactors, item, n);
  let modelScore = 0;
  for (let a = 0; a < k; a++) modelScore += x[a]! * s.itemFactors[item * k + a]!;
  return {
    itemId: s.items.id(item),
    score,
    modelScore: Math.fround(modelScore),
    contributions: contributions.map((c) => ({
      itemId: s.items.id(c.index),
      contribution: c.contribution,
      share: score === 0 ? 0 : c.contribution / score,
    })),
    contributingItems,
    userWeights: w,
  };
}

/**
 * "Because you rated ...": the top rated items behind each recommended score (ALS.explain), for
 * the API's `explain` parameter. One Cholesky factorization per request serves every item.
 */
import type { ALS, NewUserRatings } from '../als/model.js';
import type { Explanation, UserWeights } from '../als/scoreExplanation.js';
import type { ScoredItemView } from './itemView.js';
import type { ExternalId } from '../data/rawInteractions.js';

export interface Reason {
  itemId: ExternalId;
  title: string;
  contribution: number;
  share: number;
}

/** The contributions of an explanation as the API shows them. */
export function reasonsOf(model: ALS, why: Explanation): Reason[] {
  return why.contributions.map((c) => ({ itemId: c.itemId, title: model.title(c.itemId), contribution: c.contribution, share: c.share }));
}

/**
 * `recs` with the `count` top reasons of each, for known user `userId` or, when `userId` is null,
 * the new user who gave `ratings`. `count` 0 returns `recs` as they are.
 * @example withReasons(model, recs, 3, { userId: 196 })
 */
export function withReasons(
  model: ALS,
  recs: ScoredItemView[],
  count: number,
  user: { userId: ExternalId } | { ratings: NewUserRatings },
): Array<ScoredItemView & { reasons?: Reason[] }> {
  if (count === 0 || recs.length === 0) return recs;
  let userWeights: UserWeights | undefined;
  return recs.map((r) => {
    const why = 'userId' in user
      ? model.explain(user.userId, r.itemId, { n: count, userWeights })
      : model.explainForNewUser(user.ratings, r.itemId, { n: count, userWeights });
    userWeights = why.userWeights;
    return { ...r, reasons: reasonsOf(model, why) };
  });
}

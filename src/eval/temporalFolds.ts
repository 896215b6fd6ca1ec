/**
 * Several temporal validation folds carved from train ratings: fold 1 holds out each user's last
 * rating, fold 2 their second-to-last with training truncated before it (the last is dropped),
 * fold 3 their third-to-last, and so on. Each fold asks the question the test split asks ("what
 * comes next?") at an earlier point of every user's history, so a configuration is judged on
 * `count` held-out ratings per user instead of one.
 */
import type { RatingColumns } from '../data/dataset.js';
import { integerIn } from '../als/options.js';
import { temporalLeaveLastOut } from './temporalLeaveLastOut.js';
import type { Split } from './partitionRatings.js';

/**
 * Fold f (1-based) is the temporal leave-last-out of fold f−1's train (fold 0's train being
 * `train`): its test holds each user's f-th latest rating, its train everything before it. A
 * user with fewer than f + 1 ratings has no test rating in fold f (leave-last-out keeps a
 * one-rating user wholly in train).
 *
 * @example
 * const folds = temporalFolds(split.train, 3); // folds[0] = temporalLeaveLastOut(split.train)
 */
export function temporalFolds(train: RatingColumns, count: number): Split[] {
  integerIn('folds', count, 1, 20);
  const folds: Split[] = [];
  let rest = train;
  for (let f = 0; f < count; f++) {
    const fold = temporalLeaveLastOut(rest);
    folds.push(fold);
    rest = fold.train;
  }
  return folds;
}

/**
 * Global time cutoff: everything from a moment on is the future to predict.
 */
import type { RatingColumns } from '../data/dataset.js';
import { invalidOption } from '../errors.js';
import { partitionRatings, type Split } from './partitionRatings.js';

export interface TimeCutoffSplit extends Split {
  /**
   * Ratings at or after the cutoff whose user or movie has no train rating: dropped from test,
   * since no model trained on the past can rank for a user it never saw, nor rank a movie nobody
   * rated. train + test + dropped hold every rating exactly once.
   */
  readonly dropped: RatingColumns;
  /** Distinct users whose later ratings were dropped (unseen in train). */
  readonly droppedUsers: number;
  /** Distinct movies dropped from test (unseen in train; their users were seen). */
  readonly droppedItems: number;
}

/**
 * Ratings with timestamp >= `at` go to test, earlier ones to train; then test ratings of users
 * or movies that have no train rating are moved to `dropped` (and counted).
 *
 * @example const split = timeCutoff(dataset.ratings, timestampQuantile(dataset.ratings, 0.8));
 */
export function timeCutoff(r: RatingColumns, at: number): TimeCutoffSplit {
  if (typeof at !== 'number' || Number.isNaN(at)) throw invalidOption('cutoff', 'a timestamp in seconds', at);
  const trainUsers = new Set<number>();
  const trainItems = new Set<number>();
  for (let j = 0; j < r.users.length; j++) {
    if (r.timestamps[j]! < at) {
      trainUsers.add(r.users[j]!);
      trainItems.add(r.items[j]!);
    }
  }
  // 0 train, 1 test, 2 dropped
  const side = new Uint8Array(r.users.length);
  const droppedUsers = new Set<number>();
  const droppedItems = new Set<number>();
  for (let j = 0; j < r.users.length; j++) {
    if (r.timestamps[j]! < at) continue;
    const user = r.users[j]!;
    const item = r.items[j]!;
    if (!trainUsers.has(user)) {
      side[j] = 2;
      droppedUsers.add(user);
    } else if (!trainItems.has(item)) {
      side[j] = 2;
      droppedItems.add(item);
    } else side[j] = 1;
  }
  const { train, test: rest } = partitionRatings(r, side.map((s) => (s === 0 ? 0 : 1)));
  const restSide = new Uint8Array(rest.users.length);
  let p = 0;
  for (const s of side) if (s !== 0) restSide[p++] = s === 2 ? 1 : 0;
  const { train: test, test: dropped } = partitionRatings(rest, restSide);
  return { train, test, dropped, droppedUsers: droppedUsers.size, droppedItems: droppedItems.size };
}

/**
 * The timestamp of the rating at position floor(q × n) in time order: about a share `q` of the
 * ratings are earlier, so a cutoff there sends about 1 − q of them (more when many share that
 * second) to test.
 *
 * @example timeCutoff(r, timestampQuantile(r, 0.8)) // about the latest 20% of ratings to test
 */
export function timestampQuantile(r: RatingColumns, q: number): number {
  if (typeof q !== 'number' || !(q > 0 && q < 1)) throw invalidOption('quantile', 'a number between 0 and 1 (exclusive)', q);
  if (r.timestamps.length === 0) throw invalidOption('ratings', 'at least one rating', 'none');
  const sorted = Float64Array.from(r.timestamps).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/**
 * "Next movie prediction": each user's latest rating is held out.
 */
import type { RatingColumns } from '../data/dataset.js';
import { IdMap } from '../matrix/idMap.js';
import { partitionRatings, type Split } from './partitionRatings.js';

/**
 * Per user, the rating with the greatest timestamp goes to test. Ties on the timestamp go to the
 * larger movie id (415 of ML-100K's 943 users rate several movies in their last second, so this
 * rule decides their test movie; it matches the reference). Users with fewer than 2 ratings stay
 * wholly in train. ML-100K: 99,057 train and 943 test ratings.
 *
 * @example const { train, test } = temporalLeaveLastOut(dataset.ratings);
 */
export function temporalLeaveLastOut(r: RatingColumns): Split {
  const users = IdMap.fromIds(r.users);
  const latest = new Int32Array(users.size).fill(-1);
  const count = new Int32Array(users.size);
  for (let j = 0; j < r.users.length; j++) {
    const u = users.tryIndex(r.users[j]!);
    count[u]!++;
    const best = latest[u]!;
    if (best < 0 || isLater(r, j, best)) latest[u] = j;
  }
  const isTest = new Uint8Array(r.users.length);
  for (let u = 0; u < users.size; u++) if (count[u]! >= 2) isTest[latest[u]!] = 1;
  return partitionRatings(r, isTest);
}

/** Rating j is later than rating best: greater timestamp, or equal timestamp and larger movie id. */
function isLater(r: RatingColumns, j: number, best: number): boolean {
  const tj = r.timestamps[j]!;
  const tb = r.timestamps[best]!;
  return tj > tb || (tj === tb && r.items[j]! > r.items[best]!);
}

/**
 * "Next movie prediction": each user's latest rating is held out.
 */
import type { RatingColumns } from '../data/dataset.js';
import { denseIds } from '../matrix/denseIds.js';
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
  // Dense user indices by table or radix sort (denseIds.ts): no Map look-up per rating.
  const users = denseIds({ kind: 'int', values: r.users });
  const size = users.ids.length;
  const latest = new Int32Array(size).fill(-1);
  const count = new Int32Array(size);
  for (let j = 0; j < r.users.length; j++) {
    const u = users.codes[j]!;
    count[u]!++;
    const best = latest[u]!;
    if (best < 0 || isLater(r, j, best)) latest[u] = j;
  }
  const isTest = new Uint8Array(r.users.length);
  for (let u = 0; u < size; u++) if (count[u]! >= 2) isTest[latest[u]!] = 1;
  return partitionRatings(r, isTest);
}

/** Rating j is later than rating best: greater timestamp, or equal timestamp and larger movie id. */
function isLater(r: RatingColumns, j: number, best: number): boolean {
  const tj = r.timestamps[j]!;
  const tb = r.timestamps[best]!;
  return tj > tb || (tj === tb && r.items[j]! > r.items[best]!);
}

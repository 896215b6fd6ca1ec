/**
 * Leave-k-out: k ratings per user held out, the k latest or k chosen at random.
 */
import type { RatingColumns } from '../data/dataset.js';
import { mulberry32 } from '../als/initialFactors.js';
import { integerIn, oneOf } from '../als/options.js';
import { groupByUser } from './groupByUser.js';
import { partitionRatings, type Split } from './partitionRatings.js';

export interface LeaveKOutOptions {
  /** Ratings held out per user. Default 1. */
  k?: number;
  /** 'latest' (greatest timestamps; ties to the larger movie id) or 'random' (seeded). Default 'latest'. */
  pick?: 'latest' | 'random';
  /** Seed of the 'random' pick. Default 0. */
  seed?: number;
}

/**
 * Per user, `k` ratings go to test: the latest ones (by timestamp, ties to the larger movie id,
 * as {@link temporalLeaveLastOut}, which is `leaveKOut(r, { k: 1 })`), or `k` chosen uniformly
 * at random (a seeded partial Fisher-Yates shuffle of each user's ratings, users in ascending id
 * order, so a seed always gives the same split). Users with k or fewer ratings stay wholly in
 * train, so every test user keeps at least one train rating.
 *
 * @example const { train, test } = leaveKOut(dataset.ratings, { k: 5, pick: 'random', seed: 1 });
 */
export function leaveKOut(r: RatingColumns, options: LeaveKOutOptions = {}): Split {
  const k = integerIn('k', options.k ?? 1, 1, 1_000_000);
  const pick = oneOf('pick', options.pick ?? 'latest', ['latest', 'random'] as const);
  const next = mulberry32(integerIn('seed', options.seed ?? 0, 0, 2 ** 32 - 1));
  const { users, order, start } = groupByUser(r);
  const isTest = new Uint8Array(r.users.length);
  for (let u = 0; u < users.size; u++) {
    const mine = order.subarray(start[u]!, start[u + 1]!);
    if (mine.length <= k) continue;
    if (pick === 'latest') {
      const latestFirst = Array.from(mine).sort((a, b) => r.timestamps[b]! - r.timestamps[a]! || r.items[b]! - r.items[a]!);
      for (let j = 0; j < k; j++) isTest[latestFirst[j]!] = 1;
    } else {
      const pool = Int32Array.from(mine);
      for (let j = 0; j < k; j++) {
        const swap = j + Math.floor(next() * (pool.length - j));
        [pool[j], pool[swap]] = [pool[swap]!, pool[j]!];
        isTest[pool[j]!] = 1;
      }
    }
  }
  return partitionRatings(r, isTest);
}

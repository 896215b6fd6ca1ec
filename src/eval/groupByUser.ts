/**
 * Rating positions grouped by user, for the per-user splits.
 */
import type { RatingColumns } from '../data/dataset.js';
import { IdMap } from '../matrix/idMap.js';
import { denseIds } from '../matrix/denseIds.js';

export interface RatingsByUser {
  /** The users, ascending by id. */
  readonly users: IdMap;
  /** Positions of user u's ratings are `order[start[u] .. start[u + 1])`, in file order. */
  readonly order: Int32Array;
  readonly start: Int32Array;
}

/** Groups rating positions by user in O(n) (a stable counting sort). */
export function groupByUser(r: RatingColumns): RatingsByUser {
  const dense = denseIds({ kind: 'int', values: r.users });
  const users = IdMap.fromOrderedIds(dense.ids as Int32Array);
  const row = dense.codes;
  const start = new Int32Array(users.size + 1);
  for (let j = 0; j < r.users.length; j++) start[row[j]! + 1]!++;
  for (let u = 0; u < users.size; u++) start[u + 1]! += start[u]!;
  const next = start.slice(0, users.size);
  const order = new Int32Array(r.users.length);
  for (let j = 0; j < r.users.length; j++) order[next[row[j]!]!++] = j;
  return { users, order, start };
}

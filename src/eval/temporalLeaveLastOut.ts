/**
 * "Next movie prediction": each user's latest rating is held out.
 */
import type { RatingColumns } from '../data/dataset.js';
import { denseIds } from '../matrix/denseIds.js';
import { heldOutPositions } from '../matrix/indexInteractions.js';
import type { Interactions } from '../matrix/interactions.js';
import { invalidOption } from '../errors.js';
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

/** Train and test as matrices over the same id maps. */
export interface InteractionsSplit {
  readonly train: Interactions;
  readonly test: Interactions;
}

/**
 * {@link temporalLeaveLastOut} on a matrix: the same split (per user, the entry with the greatest
 * timestamp, ties to the larger movie id; users with fewer than 2 entries wholly in train), read
 * straight off the CSR rows in one sequential pass, with no id mapping and no sort. Train and test
 * share `all`'s id maps. Needs `all.timestamps`.
 *
 * @example
 * const { train, test } = temporalLeaveLastOutOf(buildInteractions(dataset)); // ML-100K: nnz 99,057 and 943
 */
export function temporalLeaveLastOutOf(all: Interactions): InteractionsSplit {
  const m = all.matrix;
  const t = all.timestamps;
  if (t === undefined || t.length !== m.indices.length) {
    throw invalidOption('interactions', 'interactions with a timestamp per rating (for the temporal split)', all);
  }
  const heldOut = heldOutPositions(m.indptr, t);
  let testCount = 0;
  for (let u = 0; u < m.rows; u++) if (heldOut[u]! >= 0) testCount++;
  const trainCount = m.indices.length - testCount;
  const train = { indptr: new Int32Array(m.rows + 1), indices: new Int32Array(trainCount), data: new Float32Array(trainCount), times: new Float64Array(trainCount) };
  const test = { indptr: new Int32Array(m.rows + 1), indices: new Int32Array(testCount), data: new Float32Array(testCount), times: new Float64Array(testCount) };
  let a = 0;
  let b = 0;
  for (let u = 0; u < m.rows; u++) {
    const held = heldOut[u]!;
    for (let p = m.indptr[u]!; p < m.indptr[u + 1]!; p++) {
      if (p === held) {
        test.indices[b] = m.indices[p]!;
        test.data[b] = m.data[p]!;
        test.times[b++] = t[p]!;
      } else {
        train.indices[a] = m.indices[p]!;
        train.data[a] = m.data[p]!;
        train.times[a++] = t[p]!;
      }
    }
    train.indptr[u + 1] = a;
    test.indptr[u + 1] = b;
  }
  const side = (s: typeof train): Interactions => ({
    users: all.users, items: all.items, movies: all.movies, timestamps: s.times,
    matrix: { rows: m.rows, cols: m.cols, indptr: s.indptr, indices: s.indices, data: s.data },
  });
  return { train: side(train), test: side(test) };
}

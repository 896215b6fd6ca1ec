/**
 * "Next movie prediction": each user's latest rating is held out.
 */
import type { RatingColumns } from '../data/dataset.js';
import { denseIds } from '../matrix/denseIds.js';
import { heldOutPositions } from '../matrix/indexInteractions.js';
import type { Interactions } from '../matrix/interactions.js';
import { invalidOption } from '../errors.js';
import { partitionRatings, type Split } from './partitionRatings.js';
import { largeFloat32Array, largeFloat64Array, largeInt32Array } from '../matrix/largeArrays.js';

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
 * share `all`'s id maps. Needs `all.timestamps`. `heldOut` (from indexInteractions, which finds
 * it while building the matrix) saves the pass that finds each user's latest entry.
 *
 * Each row is copied as at most two runs (before and after its held-out entry). The train side's
 * timestamps (8 bytes per entry) are made on first read: fitting does not read them.
 *
 * @example
 * const { train, test } = temporalLeaveLastOutOf(buildInteractions(dataset)); // ML-100K: nnz 99,057 and 943
 */
/** Rows at least this long are copied as runs (typed-array set), shorter ones entry by entry. */
const LONG_ROW = 128;

export function temporalLeaveLastOutOf(all: Interactions, heldOut?: Int32Array | null): InteractionsSplit {
  const m = all.matrix;
  const t = all.timestamps;
  if (t === undefined || t.length !== m.indices.length) {
    throw invalidOption('interactions', 'interactions with a timestamp per rating (for the temporal split)', all);
  }
  const { rows, indptr, indices, data } = m;
  const held = heldOut ?? heldOutPositions(indptr, t);
  if (held.length !== rows) throw invalidOption('heldOut', `a position per user (${rows})`, held.length);
  let testCount = 0;
  for (let u = 0; u < rows; u++) if (held[u]! >= 0) testCount++;
  const trainCount = indices.length - testCount;
  const trainPtr = new Int32Array(rows + 1);
  const trainIndices = largeInt32Array(trainCount);
  const trainData = largeFloat32Array(trainCount);
  const testPtr = new Int32Array(rows + 1);
  const testIndices = new Int32Array(testCount);
  const testData = new Float32Array(testCount);
  const testTimes = new Float64Array(testCount);
  let a = 0;
  let b = 0;
  for (let u = 0; u < rows; u++) {
    const begin = indptr[u]!;
    const end = indptr[u + 1]!;
    const h = held[u]!;
    if (end - begin < LONG_ROW) {
      // Short rows: a plain loop beats making subarray views.
      for (let p = begin; p < end; p++) {
        if (p === h) continue;
        trainIndices[a] = indices[p]!;
        trainData[a++] = data[p]!;
      }
    } else if (h < 0) {
      trainIndices.set(indices.subarray(begin, end), a);
      trainData.set(data.subarray(begin, end), a);
      a += end - begin;
    } else {
      trainIndices.set(indices.subarray(begin, h), a);
      trainData.set(data.subarray(begin, h), a);
      a += h - begin;
      trainIndices.set(indices.subarray(h + 1, end), a);
      trainData.set(data.subarray(h + 1, end), a);
      a += end - h - 1;
    }
    if (h >= 0) {
      testIndices[b] = indices[h]!;
      testData[b] = data[h]!;
      testTimes[b++] = t[h]!;
    }
    trainPtr[u + 1] = a;
    testPtr[u + 1] = b;
  }
  let trainTimes: Float64Array | null = null;
  const train: Interactions = {
    users: all.users, items: all.items, movies: all.movies,
    matrix: { rows, cols: m.cols, indptr: trainPtr, indices: trainIndices, data: trainData },
  };
  Object.defineProperty(train, 'timestamps', {
    enumerable: true,
    get: () => (trainTimes ??= trainTimestamps(indptr, t, held, trainCount)),
  });
  const test: Interactions = {
    users: all.users, items: all.items, movies: all.movies, timestamps: testTimes,
    matrix: { rows, cols: m.cols, indptr: testPtr, indices: testIndices, data: testData },
  };
  return { train, test };
}

/** The train side's timestamps: `times` in CSR order without each row's held-out entry. */
function trainTimestamps(indptr: Int32Array, times: Float64Array, held: Int32Array, count: number): Float64Array {
  const out = largeFloat64Array(count);
  let a = 0;
  for (let u = 0; u + 1 < indptr.length; u++) {
    const begin = indptr[u]!;
    const end = indptr[u + 1]!;
    const h = held[u]!;
    if (h < 0) {
      out.set(times.subarray(begin, end), a);
      a += end - begin;
    } else {
      out.set(times.subarray(begin, h), a);
      a += h - begin;
      out.set(times.subarray(h + 1, end), a);
      a += end - h - 1;
    }
  }
  return out;
}

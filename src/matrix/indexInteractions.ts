/**
 * Parsed events ({@link RawInteractions}) -> the users x items matrix, in one ordering pass:
 *
 *   1. map ids: each side's ids to dense indices (denseIds.ts: a dense table, a radix sort, or a
 *      sorted string table; no Map look-up per event);
 *   2. order: two stable counting sorts (by item, then by user) put the events in CSR order, the
 *      events of one (user, item) pair side by side in file order (skipped when the events are
 *      already in that order, as sorted files are);
 *   3. merge + CSR: one walk over that order aggregates each pair's events into one entry
 *      (sum, max, last or count; the entry keeps the latest time) and writes indptr, indices, data
 *      and the timestamps;
 *   4. split order: per user, the CSR position of the entry temporal leave-last-out holds out
 *      (greatest time, ties to the larger item), read off the rows just built.
 *
 * Nothing sorts twice: duplicate merging, the CSR and the split order share steps 1-2.
 */
import type { RawInteractions } from '../data/rawInteractions.js';
import { AlsrecError, invalidOption } from '../errors.js';
import { oneOf } from '../als/options.js';
import { rowOfPosition, type Csr } from './csr.js';
import { denseIds } from './denseIds.js';
import { IdMap } from './idMap.js';
import type { Interactions } from './interactions.js';
import { largeFloat32Array, largeFloat64Array, largeInt32Array } from './largeArrays.js';

/** How the events of one (user, item) pair become one entry. */
export const AGGREGATES = ['sum', 'max', 'last', 'count'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

/** The data-path phases {@link indexInteractions} reports, in order. */
export type IndexPhase = 'map ids' | 'order' | 'merge + CSR' | 'split order';

export interface IndexOptions {
  /**
   * `sum` (default) adds the weights, `max` keeps the largest, `last` keeps the latest event's
   * (greatest time; on equal times, or without times, the later event), `count` counts the events.
   * Every entry keeps the latest time of its events.
   */
  readonly aggregate?: Aggregate;
  /**
   * The caller hands its columns over (a loader's freshly parsed columns): integer id columns are
   * overwritten with dense indices, and the matrix may be built in the weights', times' and item
   * ids' own memory. The input must not be used afterwards. Saves up to 28 bytes per event of
   * fresh memory, which is most of the cost of indexing on a machine where first-touched pages
   * are slow. Default false (the input is left as it is).
   */
  readonly reuseInput?: boolean;
  /** Called after each phase with its wall time and the bytes of the typed arrays it allocated. */
  readonly onPhase?: (phase: IndexPhase, seconds: number, bytes: number) => void;
}

export interface IndexedInteractions {
  /** The matrix (values are the aggregated weights), its id maps, and the entries' times. */
  readonly interactions: Interactions;
  /** Events folded into another event's entry: events - nnz. */
  readonly duplicatesMerged: number;
  /**
   * `source[p]` is the event (position in the raw columns) whose time the entry at CSR position p
   * carries: the pair's latest event. With `last` it is also the event whose weight was kept, so
   * the events NOT named here are exactly the ones a "latest wins" de-duplication drops.
   * (Computed on first read when the events were already in order with no duplicate: then it is
   * the identity.)
   */
  readonly source: Int32Array;
  /** True when `source` is the identity: the events were in (user, item) order, none merged. */
  readonly sourceIsIdentity: boolean;
  /**
   * Per user (row), the CSR position of the entry temporal leave-last-out holds out (greatest
   * time, ties to the larger item index), or -1 for a user with fewer than 2 entries. Null when
   * the events have no times.
   */
  readonly heldOut: Int32Array | null;
}

const AGGREGATE_CODE: Readonly<Record<Aggregate, number>> = { sum: 0, max: 1, last: 2, count: 3 };

/**
 * Builds the users x items matrix from parsed events, merging duplicate (user, item) events.
 * Dense indices follow ascending id (strings: code-unit order), so the same data always gives the
 * same matrix. Fresh memory: about 28 bytes per event of scratch and output, or, with
 * `reuseInput`, 8 bytes per event for shuffled events and none beyond the row pointers for events
 * already in (user, item) order.
 *
 * @example
 * const raw = { length: 3, users: { kind: 'int', values: Int32Array.of(7, 7, 3) },
 *   items: { kind: 'int', values: Int32Array.of(1, 1, 2) }, weights: Float32Array.of(1, 2, 5), times: null };
 * const { interactions, duplicatesMerged } = indexInteractions(raw, { aggregate: 'sum' });
 * // users [3, 7], items [1, 2]; row 1 (user 7) holds item 1 with 3; duplicatesMerged 1
 */
export function indexInteractions(raw: RawInteractions, options: IndexOptions = {}): IndexedInteractions {
  if (options === null || typeof options !== 'object') throw invalidOption('options', 'an object', options);
  const aggregate = oneOf('aggregate', options.aggregate ?? 'sum', AGGREGATES);
  const reuse = options.reuseInput === true;
  const report = options.onPhase;
  const n = raw.length;
  checkColumns(raw);
  const times = raw.times;
  const weights = raw.weights;

  // 1. map ids
  let t0 = performance.now();
  const userIds = denseIds(raw.users, reuse);
  const itemIds = denseIds(raw.items, reuse);
  const rows = userIds.codes;
  const cols = itemIds.codes;
  const nRows = userIds.ids.length;
  const nCols = itemIds.ids.length;
  const inputOf = (column: RawInteractions['users']) => (column.kind === 'int' ? column.values : column.codes);
  const freshCodes = (userIds.codes === inputOf(raw.users) ? 0 : 4) + (itemIds.codes === inputOf(raw.items) ? 0 : 4);
  t0 = phaseDone(report, 'map ids', t0, freshCodes * n + 4 * (nRows + nCols));

  // 2. order: stable counting sort by item, then by user (LSD), so each row's events come by
  //    ascending item and, within a pair, in file order. Files already in (user, item) order
  //    (MovieLens ratings.csv, alsrec synth's output) are detected in one read-only pass and not
  //    sorted at all.
  const rowStart = new Int32Array(nRows + 1);
  const sorted = countRowsAndCheckOrder(rows, cols, rowStart);
  for (let r = 0; r < nRows; r++) rowStart[r + 1]! += rowStart[r]!;
  const ordered = sorted ? null : orderByUserThenItem(rows, cols, rowStart, nCols);
  t0 = phaseDone(report, 'order', t0, (sorted ? 0 : 8 * n + 4 * nCols) + 4 * nRows);

  // 3. merge + CSR: one walk; equal (user, item) events are adjacent.
  const code = AGGREGATE_CODE[aggregate];
  const built = ordered === null
    ? mergeInOrder(cols, weights, times, rowStart, nRows, code, reuse)
    : mergeThroughOrder(cols, weights, times, rowStart, nRows, code, ordered.order, ordered.scratch, reuse);
  const { indptr, indices, data, timestamps, source } = built;
  const out = indptr[nRows]!;
  for (let p = 0; p < out; p++) {
    if (!Number.isFinite(data[p]!)) {
      throw new AlsrecError(`The ${aggregate} of the weights of user ${userIds.ids[rowOfPosition(indptr, p)]}, item ${itemIds.ids[indices[p]!]} is not a finite float32 (${data[p]})`, 'ERR_ALSREC_DATA');
    }
  }
  t0 = phaseDone(report, 'merge + CSR', t0, 4 * (nRows + 1) + built.freshBytes);

  // 4. split order: each row's latest entry (ties to the larger item: items ascend in a row).
  const heldOut = timestamps === null ? null : heldOutPositions(indptr, timestamps);
  phaseDone(report, 'split order', t0, timestamps === null ? 0 : 4 * nRows);

  const matrix: Csr = { rows: nRows, cols: nCols, indptr, indices, data };
  const interactions: Interactions = {
    users: idMapOf(userIds.ids),
    items: idMapOf(itemIds.ids),
    matrix,
    ...(timestamps === null ? {} : { timestamps }),
    movies: new Map(),
  };
  let sourceArray = source;
  return {
    interactions,
    duplicatesMerged: n - out,
    heldOut,
    sourceIsIdentity: source === null,
    get source(): Int32Array {
      if (sourceArray === null) {
        sourceArray = new Int32Array(out);
        for (let p = 0; p < out; p++) sourceArray[p] = p;
      }
      return sourceArray;
    },
  };
}

/**
 * Counts each row's events into `rowStart[r + 1]` and reports whether the events are already in
 * (row, column) order, in one read-only pass.
 */
function countRowsAndCheckOrder(rows: Int32Array, cols: Int32Array, rowStart: Int32Array): boolean {
  const n = rows.length;
  let sorted = true;
  let j = 0;
  if (n > 0) rowStart[rows[0]! + 1]!++;
  for (j = 1; j < n && sorted; j++) {
    const r = rows[j]!;
    rowStart[r + 1]!++;
    const dr = r - rows[j - 1]!;
    sorted = dr > 0 || (dr === 0 && cols[j]! >= cols[j - 1]!);
  }
  for (; j < n; j++) rowStart[rows[j]! + 1]!++;
  return sorted;
}

/**
 * The permutation putting events in (row, column) order, stable: two counting sorts (LSD); and
 * the first sort's array, free once the second has run (the merge writes the columns into it).
 */
function orderByUserThenItem(rows: Int32Array, cols: Int32Array, rowStart: Int32Array, nCols: number): { order: Int32Array; scratch: Int32Array } {
  const n = rows.length;
  const colStart = new Int32Array(nCols + 1);
  for (let j = 0; j < n; j++) colStart[cols[j]! + 1]!++;
  for (let c = 0; c < nCols; c++) colStart[c + 1]! += colStart[c]!;
  const byItem = largeInt32Array(n);
  for (let j = 0; j < n; j++) byItem[colStart[cols[j]!]!++] = j;
  const order = largeInt32Array(n);
  const next = rowStart.slice(0, rowStart.length - 1);
  for (let p = 0; p < n; p++) {
    const j = byItem[p]!;
    order[next[rows[j]!]!++] = j;
  }
  return { order, scratch: byItem };
}

interface MergedCsr {
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly data: Float32Array;
  readonly timestamps: Float64Array | null;
  /** Null means the identity (events in order, none merged). */
  readonly source: Int32Array | null;
  readonly freshBytes: number;
}

/** The aggregate (see AGGREGATE_CODE) of one pair's events. */
function aggregated(code: number, sum: number, max: number, last: number, count: number): number {
  return code === 0 ? sum : code === 1 ? max : code === 2 ? last : count;
}

/**
 * Merge + CSR for events already in (row, column) order: position q is event q. Entries are
 * written at out <= q, so with `reuse` the item, weight and time columns become the matrix's own
 * arrays; `source` is made only when a first duplicate shows it is not the identity.
 */
function mergeInOrder(
  cols: Int32Array, weights: Float32Array, times: Float64Array | null, rowStart: Int32Array,
  nRows: number, code: number, reuse: boolean,
): MergedCsr {
  const n = cols.length;
  const indptr = new Int32Array(nRows + 1);
  const indices = reuse ? cols : largeInt32Array(n);
  const data = reuse ? weights : largeFloat32Array(n);
  const timestamps = times === null ? null : reuse ? times : largeFloat64Array(n);
  let source: Int32Array | null = null;
  let out = 0;
  for (let r = 0; r < nRows; r++) {
    const end = rowStart[r + 1]!;
    let q = rowStart[r]!;
    while (q < end) {
      const c = cols[q]!;
      if (q + 1 === end || cols[q + 1] !== c) {
        // The common case: a pair with one event.
        indices[out] = c;
        data[out] = code === 3 ? 1 : weights[q]!;
        if (timestamps !== null) timestamps[out] = times![q]!;
        if (source !== null) source[out] = q;
        out++;
        q++;
        continue;
      }
      if (source === null) {
        source = largeInt32Array(n);
        for (let p = 0; p < out; p++) source[p] = p;
      }
      let latest = q;
      let latestTime = times === null ? 0 : times[q]!;
      let sum = weights[q]!;
      let max = sum;
      let count = 1;
      q++;
      while (q < end && cols[q] === c) {
        const w = weights[q]!;
        sum += w;
        if (w > max) max = w;
        count++;
        // Later in file order, so an equal time also moves the latest here.
        if (times === null || times[q]! >= latestTime) {
          latest = q;
          if (times !== null) latestTime = times[q]!;
        }
        q++;
      }
      indices[out] = c;
      data[out] = aggregated(code, sum, max, weights[latest]!, count);
      source[out] = latest;
      if (timestamps !== null) timestamps[out] = latestTime;
      out++;
    }
    indptr[r + 1] = out;
  }
  const fresh = (reuse ? 0 : 8 + (times === null ? 0 : 8)) * n + (source === null ? 0 : 4 * n);
  return { indptr, ...trimmed(indices, data, timestamps, source, out, reuse), freshBytes: fresh };
}

/** Merge + CSR through a permutation: position q is event order[q]. */
function mergeThroughOrder(
  cols: Int32Array, weights: Float32Array, times: Float64Array | null, rowStart: Int32Array,
  nRows: number, code: number, order: Int32Array, scratch: Int32Array, reuse: boolean,
): MergedCsr {
  const n = cols.length;
  const indptr = new Int32Array(nRows + 1);
  const indices = scratch; // fresh memory is the cost here: the sort's spent array is reused
  const data = largeFloat32Array(n);
  const timestamps = times === null ? null : largeFloat64Array(n);
  // `order` is written behind the read position q (out <= q), so reusing it in place is safe.
  const source = order;
  let out = 0;
  for (let r = 0; r < nRows; r++) {
    const end = rowStart[r + 1]!;
    let q = rowStart[r]!;
    while (q < end) {
      const first = order[q]!;
      const c = cols[first]!;
      let latest = first;
      let latestTime = times === null ? 0 : times[first]!;
      let sum = weights[first]!;
      let max = sum;
      let count = 1;
      q++;
      while (q < end && cols[order[q]!] === c) {
        const j = order[q]!;
        const w = weights[j]!;
        sum += w;
        if (w > max) max = w;
        count++;
        if (times === null || times[j]! >= latestTime) {
          latest = j;
          if (times !== null) latestTime = times[j]!;
        }
        q++;
      }
      indices[out] = c;
      data[out] = aggregated(code, sum, max, weights[latest]!, count);
      source[out] = latest;
      if (timestamps !== null) timestamps[out] = latestTime;
      out++;
    }
    indptr[r + 1] = out;
  }
  return { indptr, ...trimmed(indices, data, timestamps, source, out, reuse), freshBytes: (times === null ? 4 : 12) * n };
}

/**
 * The columns cut to `out` entries: views when the memory is reused anyway (a loader's columns,
 * handed over), else copies, taken one at a time so the peak stays one column over the data.
 */
function trimmed(indices: Int32Array, data: Float32Array, timestamps: Float64Array | null, source: Int32Array | null, out: number, reuse: boolean) {
  if (out === indices.length) return { indices, data, timestamps, source };
  const cut = <T extends Int32Array | Float32Array | Float64Array>(a: T): T => (reuse ? (a.subarray(0, out) as T) : (a.slice(0, out) as T));
  return {
    indices: cut(indices),
    data: cut(data),
    timestamps: timestamps === null ? null : cut(timestamps),
    source: source === null ? null : cut(source),
  };
}

/**
 * Per row of a CSR (its `indptr`, and a time per stored entry), the position temporal
 * leave-last-out holds out: the greatest time, ties to the later position (the larger column, as
 * columns ascend within a row); -1 for a row with fewer than 2 entries. One sequential pass.
 *
 * @example heldOutPositions(Int32Array.of(0, 2, 3), Float64Array.of(5, 5, 1)) // [1, -1]
 */
export function heldOutPositions(indptr: Int32Array, times: Float64Array): Int32Array {
  const rows = indptr.length - 1;
  const heldOut = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    const begin = indptr[r]!;
    const end = indptr[r + 1]!;
    if (end - begin < 2) {
      heldOut[r] = -1;
      continue;
    }
    let best = begin;
    for (let p = begin + 1; p < end; p++) if (times[p]! >= times[best]!) best = p;
    heldOut[r] = best;
  }
  return heldOut;
}

function phaseDone(report: IndexOptions['onPhase'], phase: IndexPhase, t0: number, bytes: number): number {
  const t1 = performance.now();
  report?.(phase, (t1 - t0) / 1000, bytes);
  return t1;
}


/** O(1) shape checks: every column has `length` entries. */
function checkColumns(raw: RawInteractions): void {
  if (raw === null || typeof raw !== 'object') throw invalidOption('raw', 'RawInteractions { length, users, items, weights, times }', raw);
  const n = raw.length;
  if (!Number.isInteger(n) || n < 0) throw invalidOption('raw.length', 'an integer >= 0', n);
  const lengthOf = (side: RawInteractions['users']) => (side.kind === 'int' ? side.values.length : side.codes.length);
  if (lengthOf(raw.users) !== n) throw invalidOption('raw.users', `a column of ${n} ids`, lengthOf(raw.users));
  if (lengthOf(raw.items) !== n) throw invalidOption('raw.items', `a column of ${n} ids`, lengthOf(raw.items));
  if (!(raw.weights instanceof Float32Array) || raw.weights.length !== n) throw invalidOption('raw.weights', `a Float32Array of length ${n}`, raw.weights);
  if (raw.times !== null && (!(raw.times instanceof Float64Array) || raw.times.length !== n)) {
    throw invalidOption('raw.times', `null or a Float64Array of length ${n}`, raw.times);
  }
}

/** The IdMap of one side's dense ids (ascending integers, or strings in code-unit order). */
function idMapOf(ids: Int32Array | readonly string[]): IdMap {
  return ids instanceof Int32Array ? IdMap.fromOrderedIds(ids) : IdMap.fromOrderedStringIds(ids);
}

/**
 * One side's ids (as a loader gives them, {@link IdColumn}) -> dense indices 0..size-1, with no
 * Map look-up per event. Three paths, picked from the data:
 *
 * - integer ids spanning a small range (at most {@link DENSE_TABLE_SLACK} slots per event, or
 *   2^22 slots): a presence table over [min, max], prefix-numbered — two passes over the events;
 * - other integer ids: an LSD radix sort of (id, position) over the 11-bit digits that vary
 *   (at most three passes), then one walk numbering the distinct ids;
 * - string ids (codes into an interned table): the table is sorted once (its size is the number of
 *   distinct ids, not of events) and the codes remapped through a rank array — one pass over the
 *   events, so string ids cost about what integer ids do.
 *
 * Order of the dense indices: ascending numeric id for integers (as before, so the same data gives
 * the same matrix); for strings, ascending UTF-16 code-unit order (JavaScript's default string
 * comparison: locale-independent, so every machine gives the same order; note "10" < "9").
 */
import type { IdColumn } from '../data/rawInteractions.js';
import { invalidOption, UnknownIdError } from '../errors.js';

/** The distinct ids in dense-index order, and each event's dense index. */
export interface DenseIds {
  /** Dense index -> external id: ascending integers, or strings in code-unit order. */
  readonly ids: Int32Array | readonly string[];
  /** `codes[j]` is the dense index of event j's id. */
  readonly codes: Int32Array;
}

/** A dense table may use this many slots per event before the radix sort is cheaper. */
export const DENSE_TABLE_SLACK = 4;
/** A dense table this small is always used (16 MiB of Int32), whatever the event count. */
const DENSE_TABLE_MIN_SLOTS = 1 << 22;

/**
 * Maps a side's ids to dense indices (ascending id order; see the file comment for strings).
 * With `inPlace` the column's own array (values or codes) is overwritten with the dense indices
 * and returned as `codes`: for a caller that hands its parsed column over.
 *
 * @example
 * const { ids, codes } = denseIds({ kind: 'int', values: Int32Array.of(196, 22, 196) });
 * // ids = [22, 196], codes = [1, 0, 1]
 */
export function denseIds(column: IdColumn, inPlace = false): DenseIds {
  if (column.kind === 'string') return denseStringIds(column.codes, column.table, inPlace);
  const values = column.values;
  const n = values.length;
  if (n === 0) return { ids: new Int32Array(0), codes: new Int32Array(0) };
  let min = values[0]!;
  let max = min;
  for (let j = 1; j < n; j++) {
    const v = values[j]!;
    if (v < min) min = v;
    else if (v > max) max = v;
  }
  const range = max - min + 1; // <= 2^32: exact in a double
  if (range <= Math.max(DENSE_TABLE_SLACK * n, DENSE_TABLE_MIN_SLOTS)) return denseTableIds(values, min, range, inPlace);
  return radixSortedIds(values, inPlace);
}

/** Presence table over [min, min + range): mark, number the marked slots in order, look up. */
function denseTableIds(values: Int32Array, min: number, range: number, inPlace: boolean): DenseIds {
  const n = values.length;
  const slot = new Int32Array(range);
  for (let j = 0; j < n; j++) slot[values[j]! - min] = 1;
  let size = 0;
  for (let k = 0; k < range; k++) size += slot[k]!;
  const ids = new Int32Array(size);
  let next = 0;
  for (let k = 0; k < range; k++) {
    if (slot[k] === 1) {
      ids[next] = k + min;
      slot[k] = next++;
    }
  }
  const codes = inPlace ? values : new Int32Array(n);
  for (let j = 0; j < n; j++) codes[j] = slot[values[j]! - min]!;
  return { ids, codes };
}

const DIGIT_BITS = 11;
const DIGIT_MASK = (1 << DIGIT_BITS) - 1;

/**
 * LSD radix sort of the event positions by id (as unsigned keys, sign bit flipped so negative ids
 * sort first), skipping the digits on which all ids agree; then consecutive equal keys share an
 * index. O(n) per digit, 12 bytes of scratch per event.
 */
function radixSortedIds(values: Int32Array, inPlace: boolean): DenseIds {
  const n = values.length;
  let keys = new Uint32Array(n);
  let order = new Int32Array(n);
  let varying = 0;
  const first = (values[0]! ^ 0x80000000) >>> 0;
  for (let j = 0; j < n; j++) {
    const key = (values[j]! ^ 0x80000000) >>> 0;
    keys[j] = key;
    order[j] = j;
    varying |= key ^ first;
  }
  let keysOut = new Uint32Array(n);
  let orderOut = new Int32Array(n);
  const count = new Int32Array(1 << DIGIT_BITS);
  for (let shift = 0; shift < 32; shift += DIGIT_BITS) {
    if (((varying >>> shift) & DIGIT_MASK) === 0) continue;
    count.fill(0);
    for (let j = 0; j < n; j++) count[(keys[j]! >>> shift) & DIGIT_MASK]!++;
    let sum = 0;
    for (let d = 0; d <= DIGIT_MASK; d++) {
      const c = count[d]!;
      count[d] = sum;
      sum += c;
    }
    for (let j = 0; j < n; j++) {
      const key = keys[j]!;
      const at = count[(key >>> shift) & DIGIT_MASK]!++;
      keysOut[at] = key;
      orderOut[at] = order[j]!;
    }
    [keys, keysOut] = [keysOut, keys];
    [order, orderOut] = [orderOut, order];
  }
  // `values` is not read after the keys were taken from it.
  const codes = inPlace ? values : new Int32Array(n);
  // Reuse a scratch array for the distinct ids: at most n of them.
  const distinct = new Int32Array(keysOut.buffer, 0, n);
  let size = 0;
  for (let p = 0; p < n; p++) {
    const key = keys[p]!;
    if (p === 0 || key !== keys[p - 1]) distinct[size++] = (key ^ 0x80000000) | 0;
    codes[order[p]!] = size - 1;
  }
  return { ids: distinct.slice(0, size), codes };
}

/**
 * Sorts the used table entries (code-unit order) and remaps the codes. Entries no event uses are
 * left out, so `ids` holds exactly the distinct ids of the events.
 */
function denseStringIds(eventCodes: Int32Array, table: readonly string[], inPlace: boolean): DenseIds {
  const n = eventCodes.length;
  const rank = new Int32Array(table.length).fill(-1);
  for (let j = 0; j < n; j++) {
    const code = eventCodes[j]!;
    if (!(code >= 0 && code < table.length)) {
      throw invalidOption(`id code of event ${j}`, `an index into the id table [0, ${table.length})`, code);
    }
    rank[code] = 0;
  }
  const used: number[] = [];
  for (let c = 0; c < table.length; c++) if (rank[c] === 0) used.push(c);
  used.sort((a, b) => {
    const x = table[a]!;
    const y = table[b]!;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const ids = new Array<string>(used.length);
  for (let i = 0; i < used.length; i++) {
    ids[i] = table[used[i]!]!;
    rank[used[i]!] = i;
  }
  const codes = inPlace ? eventCodes : new Int32Array(n);
  for (let j = 0; j < n; j++) codes[j] = rank[eventCodes[j]!]!;
  return { ids, codes };
}

/**
 * The index, in `ids` (distinct ids, e.g. an IdMap's), of every value of `values`; throws
 * {@link UnknownIdError} naming the first value `ids` lacks. A position table over [min, max] of
 * `ids` when that range is small (see {@link DENSE_TABLE_SLACK}); otherwise a hash of the ids.
 *
 * @example indicesIn(Int32Array.of(5, 22, 196), Int32Array.of(196, 5), 'user') // [2, 0]
 */
export function indicesIn(ids: Int32Array, values: Int32Array, kind: 'user' | 'item'): Int32Array {
  const n = values.length;
  const out = new Int32Array(n);
  if (ids.length === 0) {
    if (n > 0) throw new UnknownIdError(kind, values[0]!);
    return out;
  }
  let min = ids[0]!;
  let max = min;
  for (let i = 1; i < ids.length; i++) {
    const v = ids[i]!;
    if (v < min) min = v;
    else if (v > max) max = v;
  }
  const range = max - min + 1;
  if (range <= Math.max(DENSE_TABLE_SLACK * (ids.length + n), DENSE_TABLE_MIN_SLOTS)) {
    const slot = new Int32Array(range).fill(-1);
    for (let i = 0; i < ids.length; i++) slot[ids[i]! - min] = i;
    for (let j = 0; j < n; j++) {
      const offset = values[j]! - min;
      const i = offset >= 0 && offset < range ? slot[offset]! : -1;
      if (i < 0) throw new UnknownIdError(kind, values[j]!);
      out[j] = i;
    }
    return out;
  }
  const position = new Map<number, number>();
  for (let i = 0; i < ids.length; i++) position.set(ids[i]!, i);
  for (let j = 0; j < n; j++) {
    const i = position.get(values[j]!);
    if (i === undefined) throw new UnknownIdError(kind, values[j]!);
    out[j] = i;
  }
  return out;
}

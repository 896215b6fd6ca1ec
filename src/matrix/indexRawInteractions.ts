/**
 * RawInteractions (ids as given, one entry per event) -> the Interactions the model trains on:
 * id maps, repeated (user, item) events aggregated, the CSR and its timestamps.
 *
 * The aggregation rule (issue 12): the weights of a repeated pair are summed and the latest time
 * is kept; a pair whose summed weight is not positive (e.g. a purchase and its cancellation) is
 * left out, and a user or item left with no pair is not in the id maps.
 */
import type { ExternalId, IdColumn, RawInteractions } from '../data/rawInteractions.js';
import type { ItemInfo } from '../data/dataset.js';
import type { Interactions } from './interactions.js';
import { IdMap } from './idMap.js';
import type { Csr } from './csr.js';
import { invalidOption } from '../errors.js';

export interface IndexOptions {
  /**
   * Item titles by item id, for display and title lookups: a title, or `{ title, year?, genres? }`.
   * Ids the data does not have are ignored.
   */
  readonly titles?: ReadonlyMap<ExternalId, string | { readonly title: string; readonly year?: number | null; readonly genres?: readonly string[] }>;
}

/**
 * Builds the Interactions of `raw` (see the file comment for the aggregation rule).
 * @throws InvalidOptionError when no pair has a positive summed weight.
 * @example const data = indexRawInteractions(eventsToRawInteractions(events)); await new ALS().fit(data);
 */
export function indexRawInteractions(raw: RawInteractions, options: IndexOptions = {}): Interactions {
  const users = sideIndex(raw.users, raw.length);
  const items = sideIndex(raw.items, raw.length);
  const n = raw.length;
  const cols = items.map.size;
  // Sort the events by (row, column); the key is exact while rows x cols < 2^53.
  const exactKey = users.map.size * cols < Number.MAX_SAFE_INTEGER;
  const order = Int32Array.from({ length: n }, (_, j) => j);
  const rowOf = users.index;
  const colOf = items.index;
  if (exactKey) {
    const key = new Float64Array(n);
    for (let j = 0; j < n; j++) key[j] = rowOf[j]! * cols + colOf[j]!;
    order.sort((a, b) => key[a]! - key[b]! || a - b);
  } else {
    order.sort((a, b) => rowOf[a]! - rowOf[b]! || colOf[a]! - colOf[b]! || a - b);
  }
  // One pass over the sorted events: sum each run of one pair, keep its latest time.
  const pairRows: number[] = [];
  const pairCols: number[] = [];
  const pairWeights: number[] = [];
  const pairTimes: number[] = [];
  for (let p = 0; p < n;) {
    const j = order[p]!;
    const r = rowOf[j]!;
    const c = colOf[j]!;
    let weight = 0;
    let time = -Infinity;
    for (; p < n && rowOf[order[p]!] === r && colOf[order[p]!] === c; p++) {
      weight += raw.weights[order[p]!]!;
      if (raw.times !== null) time = Math.max(time, raw.times[order[p]!]!);
    }
    if (!(weight > 0)) continue;
    pairRows.push(r);
    pairCols.push(c);
    pairWeights.push(weight);
    pairTimes.push(time);
  }
  if (pairRows.length === 0) throw invalidOption('events', 'at least one (user, item) pair with a positive total weight', `${n} events`);

  // Keep only the users and items that still have a pair (indices stay in the maps' order).
  const keptUsers = compact(users.map, pairRows);
  const keptItems = compact(items.map, pairCols);
  const nnz = pairRows.length;
  const indptr = new Int32Array(keptUsers.map.size + 1);
  const indices = new Int32Array(nnz);
  const data = new Float32Array(nnz);
  for (let q = 0; q < nnz; q++) {
    indptr[keptUsers.newIndex[pairRows[q]!]! + 1]!++;
    indices[q] = keptItems.newIndex[pairCols[q]!]!;
    data[q] = pairWeights[q]!;
  }
  for (let r = 0; r < keptUsers.map.size; r++) indptr[r + 1]! += indptr[r]!;
  const matrix: Csr = { rows: keptUsers.map.size, cols: keptItems.map.size, indptr, indices, data };
  const result: Interactions = {
    users: keptUsers.map,
    items: keptItems.map,
    matrix,
    movies: titlesFor(keptItems.map, options.titles),
  };
  return raw.times === null ? result : { ...result, timestamps: Float64Array.from(pairTimes) };
}

/** The id map of one side (ascending ids) and each event's index in it. */
function sideIndex(column: IdColumn, n: number): { map: IdMap; index: Int32Array } {
  if (column.kind === 'int') {
    const map = IdMap.fromIds(column.values);
    const index = new Int32Array(n);
    for (let j = 0; j < n; j++) index[j] = map.tryIndex(column.values[j]!);
    return { map, index };
  }
  const map = IdMap.fromStringIds(column.table);
  const indexOfCode = Int32Array.from(column.table, (id) => map.tryIndex(id));
  const index = new Int32Array(n);
  for (let j = 0; j < n; j++) index[j] = indexOfCode[column.codes[j]!]!;
  return { map, index };
}

/** `map` without the indices absent from `used`, and old index -> new index. */
function compact(map: IdMap, used: readonly number[]): { map: IdMap; newIndex: Int32Array } {
  const seen = new Uint8Array(map.size);
  for (const i of used) seen[i] = 1;
  const newIndex = new Int32Array(map.size).fill(-1);
  let kept = 0;
  for (let i = 0; i < map.size; i++) if (seen[i] === 1) newIndex[i] = kept++;
  if (kept === map.size) return { map, newIndex };
  if (map.kind === 'int') {
    const ids = (map.ids as Int32Array).filter((_, i) => seen[i] === 1);
    return { map: IdMap.fromOrderedIds(ids), newIndex };
  }
  return { map: IdMap.fromOrderedStringIds((map.ids as readonly string[]).filter((_, i) => seen[i] === 1)), newIndex };
}

/** The entries of `titles` for ids the map holds, keyed as the map holds them. */
function titlesFor(map: IdMap, titles: IndexOptions['titles']): ReadonlyMap<ExternalId, ItemInfo> {
  const out = new Map<ExternalId, ItemInfo>();
  if (titles === undefined) return out;
  if (!(titles instanceof Map)) throw invalidOption('titles', 'a Map from item id to a title', titles);
  for (const [id, info] of titles) {
    const key = map.canonical(id);
    if (key === undefined || !map.has(key)) continue;
    if (typeof info === 'string') {
      out.set(key, { id: key, title: info, year: null, genres: [] });
    } else if (info !== null && typeof info === 'object' && typeof info.title === 'string') {
      out.set(key, { id: key, title: info.title, year: info.year ?? null, genres: info.genres ?? [] });
    } else {
      throw invalidOption(`titles.get(${JSON.stringify(id)})`, 'a title or { title, year?, genres? }', info);
    }
  }
  return out;
}

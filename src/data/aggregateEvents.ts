/**
 * Repeated (user, item) events merged into one interaction each, keeping the latest time.
 *
 * A stand-in until the data path's single ordering pass (duplicate merging, CSR, transpose and
 * split order together) takes `--aggregate` over; it works on {@link RawInteractions} and keeps
 * ids as given. O(n) with no Map look-up per event: events are grouped by user with a counting
 * sort, and within a user an item's first event is found through a per-item stamp.
 */
import type { IdColumn, RawInteractions } from './rawInteractions.js';
import type { AggregateRule } from './events/loadOptions.js';

/** The merged events and how many events were folded into an earlier one. */
export interface AggregatedEvents {
  readonly events: RawInteractions;
  readonly merged: number;
}

/**
 * Merges events of the same (user, item): `sum` adds the weights, `max` keeps the largest,
 * `last` the weight of the latest event (the later row on a tie), `count` counts the events.
 * The merged event takes the latest time and the position of the pair's first event, so the
 * result keeps file order.
 * @example
 * ```ts
 * const { events, merged } = aggregateEvents(loaded.events, 'sum');
 * ```
 */
export function aggregateEvents(raw: RawInteractions, rule: AggregateRule = 'sum'): AggregatedEvents {
  const n = raw.length;
  const users = denseKeys(raw.users);
  const items = denseKeys(raw.items);
  // Counting sort of event indices by user (stable: file order within a user).
  const start = new Int32Array(users.size + 1);
  for (let j = 0; j < n; j++) start[users.keys[j]! + 1]!++;
  for (let u = 0; u < users.size; u++) start[u + 1]! += start[u]!;
  const byUser = new Int32Array(n);
  const fill = start.slice(0, users.size);
  for (let j = 0; j < n; j++) byUser[fill[users.keys[j]!]!++] = j;

  // first[j] = the row of the pair's first event; the weight/time fold into that row.
  const first = new Int32Array(n);
  const stampUser = new Int32Array(items.size).fill(-1);
  const stampRow = new Int32Array(items.size);
  // slice, not Float32Array.from: `from` walks the source through the iterator protocol.
  const weights = raw.weights.slice();
  const times = raw.times === null ? null : raw.times.slice();
  const source = raw.weights;
  const sourceTimes = raw.times;
  if (rule === 'count') weights.fill(1);
  let merged = 0;
  for (let u = 0; u < users.size; u++) {
    for (let p = start[u]!; p < start[u + 1]!; p++) {
      const j = byUser[p]!;
      const i = items.keys[j]!;
      if (stampUser[i] !== u) {
        stampUser[i] = u;
        stampRow[i] = j;
        first[j] = j;
        continue;
      }
      const f = stampRow[i]!;
      first[j] = f;
      merged++;
      const later = sourceTimes === null || sourceTimes[j]! >= times![f]!;
      if (rule === 'sum') weights[f]! += source[j]!;
      else if (rule === 'max') weights[f] = Math.max(weights[f]!, source[j]!);
      else if (rule === 'count') weights[f]! += 1;
      else if (later) weights[f] = source[j]!;
      if (times !== null && sourceTimes![j]! > times[f]!) times[f] = sourceTimes![j]!;
    }
  }
  if (merged === 0 && rule !== 'count') return { events: raw, merged };
  const kept = n - merged;
  const keep = (column: IdColumn): IdColumn => {
    const values = column.kind === 'int' ? column.values : column.codes;
    const out = new Int32Array(kept);
    let k = 0;
    for (let j = 0; j < n; j++) if (first[j] === j) out[k++] = values[j]!;
    return column.kind === 'int' ? { kind: 'int', values: out } : { kind: 'string', codes: out, table: column.table };
  };
  const outWeights = new Float32Array(kept);
  const outTimes = times === null ? null : new Float64Array(kept);
  let k = 0;
  for (let j = 0; j < n; j++) {
    if (first[j] !== j) continue;
    outWeights[k] = weights[j]!;
    if (outTimes !== null) outTimes[k] = times![j]!;
    k++;
  }
  return { events: { length: kept, users: keep(raw.users), items: keep(raw.items), weights: outWeights, times: outTimes }, merged };
}

/** Each event's id as a dense key in [0, size): string codes as they are; integers through a dense table or a Map. */
function denseKeys(column: IdColumn): { keys: Int32Array; size: number } {
  if (column.kind === 'string') return { keys: column.codes, size: column.table.length };
  const values = column.values;
  let max = 0;
  for (let j = 0; j < values.length; j++) if (values[j]! > max) max = values[j]!;
  const keys = new Int32Array(values.length);
  if (max < Math.max(1 << 20, values.length * 4)) {
    const table = new Int32Array(max + 1).fill(-1);
    let size = 0;
    for (let j = 0; j < values.length; j++) {
      const v = values[j]!;
      if (table[v] === -1) table[v] = size++;
      keys[j] = table[v]!;
    }
    return { keys, size };
  }
  const map = new Map<number, number>();
  for (let j = 0; j < values.length; j++) {
    let key = map.get(values[j]!);
    if (key === undefined) {
      key = map.size;
      map.set(values[j]!, key);
    }
    keys[j] = key;
  }
  return { keys, size: map.size };
}

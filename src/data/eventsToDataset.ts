/**
 * Loaded events as today's integer-id {@link Dataset}, so every command that trains or evaluates
 * runs on an event file through the same code as on MovieLens.
 *
 * A side with string ids enters the rating columns by its string-table code (0, 1, ... in
 * first-seen order), so splits and evaluation run on integer columns; the tables travel in
 * `idTables`, and every model built for output is relabelled with the ids as given
 * (`withExternalIds`: `"00123"` stays `"00123"`). Item titles, or the string ids themselves when
 * there is no title, label the items.
 */
import type { Dataset, Movie } from './dataset.js';
import type { LoadedInteractions } from './events/loadInteractions.js';
import type { IdColumn } from './rawInteractions.js';
import type { AggregatedEvents } from './aggregateEvents.js';

/**
 * @example
 * ```ts
 * const loaded = await loadInteractions(file, options);
 * const dataset = eventsToDataset(file, loaded, aggregateEvents(loaded.events, 'sum'));
 * ```
 */
export function eventsToDataset(path: string, loaded: LoadedInteractions, aggregated: AggregatedEvents): Dataset {
  const { events } = aggregated;
  const n = events.length;
  const ids = (column: IdColumn) => (column.kind === 'int' ? column.values : column.codes);
  const movies = new Map<number, Movie>();
  const items = events.items;
  const label = (key: number): string => {
    const external = items.kind === 'int' ? key : items.table[key]!;
    return loaded.titles.get(external) ?? (items.kind === 'int' ? `item ${key}` : items.table[key]!);
  };
  const itemIds = ids(items);
  // Each item labelled once, in first-seen order; a byte per possible id finds the first
  // occurrences (a Map look-up per event cost half a second at 10M events).
  let maxId = 0;
  for (let j = 0; j < n; j++) if (itemIds[j]! > maxId) maxId = itemIds[j]!;
  if (maxId <= Math.max(1 << 24, n * 8)) {
    const seen = new Uint8Array(maxId + 1);
    for (let j = 0; j < n; j++) {
      const id = itemIds[j]!;
      if (seen[id] === 1) continue;
      seen[id] = 1;
      movies.set(id, { id, title: label(id), year: null, genres: [] });
    }
  } else {
    for (let j = 0; j < n; j++) {
      const id = itemIds[j]!;
      if (!movies.has(id)) movies.set(id, { id, title: label(id), year: null, genres: [] });
    }
  }
  // Without a time column, file order stands in for time (leave-last-out holds out the last row).
  let timestamps = events.times;
  if (timestamps === null) {
    timestamps = new Float64Array(n);
    for (let j = 0; j < n; j++) timestamps[j] = j;
  }
  // Merged events are counted in `duplicatesMerged` (and the load summary), not warned about.
  const warnings = [...loaded.summary.warnings];
  const idTables = {
    ...(events.users.kind === 'string' ? { users: events.users.table } : {}),
    ...(items.kind === 'string' ? { items: items.table } : {}),
  };
  return {
    dir: path,
    format: 'events',
    ratings: { users: ids(events.users), items: itemIds, ratings: events.weights, timestamps },
    movies,
    duplicatesMerged: aggregated.merged,
    warnings,
    idTables,
  };
}

/**
 * Loaded events as today's integer-id {@link Dataset}, so every command that trains or evaluates
 * runs on an event file through the same code as on MovieLens.
 *
 * A side with string ids enters the rating columns by its string-table code (0, 1, ... in
 * first-seen order), so splits and evaluation run on integer columns; the tables travel in
 * `idTables`, and every model built for output is relabelled with the ids as given
 * (`withExternalIds`: `"00123"` stays `"00123"`). Item titles, or the string ids themselves when
 * there is no title, label the items.
 *
 * Repeated (user, item) events are merged by the same ordering pass that builds the matrix
 * (indexInteractions, handed the loaded columns), so an event file is sorted once; the dataset's
 * rating columns are made from the matrix only if a command reads them (datasetFromIndexed).
 */
import type { Dataset, Movie } from './dataset.js';
import type { LoadedInteractions } from './events/loadInteractions.js';
import type { AggregateRule } from './events/loadOptions.js';
import type { IdColumn } from './rawInteractions.js';
import { indexInteractions, type IndexPhase } from '../matrix/indexInteractions.js';
import { datasetFromIndexed } from './datasetFromIndexed.js';

/**
 * The dataset of loaded events, repeated (user, item) events merged by `rule`. The loaded columns
 * are handed over: `loaded.events` must not be used afterwards.
 *
 * @example
 * const loaded = await loadInteractions('events.csv', { userColumn: 'user', itemColumn: 'item' });
 * const dataset = eventsToDataset('events.csv', loaded, 'sum');
 * buildInteractions(dataset); // the matrix, already built
 */
export function eventsToDataset(
  path: string,
  loaded: LoadedInteractions,
  rule: AggregateRule = 'sum',
  onPhase?: (phase: IndexPhase, seconds: number, bytes: number) => void,
): Dataset {
  const { events } = loaded;
  const n = events.length;
  const codesOf = (column: IdColumn) => (column.kind === 'int' ? column.values : column.codes);
  // Without a time column, file order stands in for time (leave-last-out holds out the last row).
  let times = events.times;
  if (times === null) {
    times = new Float64Array(n);
    for (let j = 0; j < n; j++) times[j] = j;
  }
  const indexed = indexInteractions({
    length: n,
    users: { kind: 'int', values: codesOf(events.users) },
    items: { kind: 'int', values: codesOf(events.items) },
    weights: events.weights,
    times,
  }, { aggregate: rule, reuseInput: true, ...(onPhase === undefined ? {} : { onPhase }) });

  const items = events.items;
  const label = (key: number): string => {
    const external = items.kind === 'int' ? key : items.table[key]!;
    return loaded.titles.get(external) ?? (items.kind === 'int' ? `item ${key}` : items.table[key]!);
  };
  const movies = new Map<number, Movie>();
  for (const id of indexed.interactions.items.ids as Int32Array) movies.set(id, { id, title: label(id), year: null, genres: [] });
  // Merged events are counted in `duplicatesMerged` (and the load summary), not warned about.
  const idTables = {
    ...(events.users.kind === 'string' ? { users: events.users.table } : {}),
    ...(items.kind === 'string' ? { items: items.table } : {}),
  };
  return datasetFromIndexed({ dir: path, format: 'events', movies, warnings: [...loaded.summary.warnings], idTables }, indexed, n);
}

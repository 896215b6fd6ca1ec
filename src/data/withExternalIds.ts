/**
 * The ids of an event file back in a model's id maps: string ids exactly as given.
 *
 * An event file whose users or items are strings enters the Dataset by string-table code (0, 1,
 * ... in first-seen order) so splits, evaluation and baselines run on integer columns as for
 * MovieLens (metrics never read an id). Where a model is built for output (train, `evaluate
 * --save`, recommend/similar/explain without `--model`) its interactions are relabelled here:
 * the same dense indices, each code replaced by its table entry, so `"00123"` stays `"00123"`
 * in the model file, `--json` and the REST API.
 */
import type { Dataset, ItemInfo } from './dataset.js';
import type { ExternalId } from './rawInteractions.js';
import { IdMap } from '../matrix/idMap.js';
import type { Interactions } from '../matrix/interactions.js';

/**
 * `interactions` (built from `dataset`) with each string side's codes replaced by the ids as given;
 * unchanged when the dataset has no string side (MovieLens, integer-id event files).
 *
 * @example
 * const all = withExternalIds(buildInteractions(dataset), dataset);
 * all.items.id(0); // '85123A', not 0
 */
export function withExternalIds(interactions: Interactions, dataset: Dataset): Interactions {
  const tables = dataset.idTables;
  if (tables === undefined || (tables.users === undefined && tables.items === undefined)) return interactions;
  const relabel = (map: IdMap, table: readonly string[] | undefined): IdMap =>
    table === undefined || map.kind !== 'int' ? map : IdMap.fromOrderedStringIds(Array.from(map.ids as Int32Array, (code) => table[code]!));
  const users = relabel(interactions.users, tables.users);
  const items = relabel(interactions.items, tables.items);
  let movies: ReadonlyMap<ExternalId, ItemInfo> = interactions.movies;
  const itemTable = tables.items;
  if (itemTable !== undefined) {
    const relabelled = new Map<ExternalId, ItemInfo>();
    for (const [code, info] of interactions.movies) {
      const id = itemTable[code as number]!;
      relabelled.set(id, { ...info, id });
    }
    movies = relabelled;
  }
  return { ...interactions, users, items, movies };
}

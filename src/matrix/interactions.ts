/**
 * Ratings -> the users x movies matrix the model trains on, with the id maps that translate
 * between external ids and matrix indices.
 */
import type { Dataset, ItemInfo, RatingColumns } from '../data/dataset.js';
import type { ExternalId } from '../data/rawInteractions.js';
import type { IdMap } from './idMap.js';
import { buildCsrWithOrder, type Csr } from './csr.js';
import { indicesIn } from './denseIds.js';
import { indexInteractions } from './indexInteractions.js';

export interface Interactions {
  /** User id <-> row index. */
  readonly users: IdMap;
  /** Item id <-> column index. */
  readonly items: IdMap;
  /** users x movies, values are the ratings. */
  readonly matrix: Csr;
  /**
   * Seconds since the epoch of each stored rating, aligned with `matrix.indices` (CSR order);
   * absent when the interactions were made without timestamps. ALS's `recencyHalfLife` reads it.
   */
  readonly timestamps?: Float64Array;
  /**
   * Item metadata by id (titles for display; MovieLens movies); empty when unknown. Keyed by the
   * item ids exactly as `items` holds them.
   */
  readonly movies: ReadonlyMap<ExternalId, ItemInfo>;
}

/**
 * Builds the users x movies matrix. With `like`, the id maps and movies of another Interactions
 * are reused (so a train split shares its indices with the full data); ids it does not know are
 * an error. Without `like`, a pair rated more than once keeps its latest rating (greatest
 * timestamp; on a tie, the later one), as the MovieLens loader does; a dataset the loader built
 * already carries its matrix (made in the same pass as its de-duplication), which is returned.
 *
 * @example
 * const all = buildInteractions(dataset);
 * const train = buildInteractions(split.train, all);
 */
export function buildInteractions(
  source: Dataset | RatingColumns,
  like?: Pick<Interactions, 'users' | 'items' | 'movies'>,
): Interactions {
  const movies = like?.movies ?? (isDataset(source) ? source.movies : new Map<ExternalId, ItemInfo>());
  if (like === undefined && isDataset(source) && source.interactions !== undefined) return { ...source.interactions, movies };
  // Read only now: a dataset may make its rating columns on first read (datasetFromIndexed.ts).
  const ratings = isDataset(source) ? source.ratings : source;
  if (like === undefined) {
    const { interactions } = indexInteractions(rawOf(ratings), { aggregate: 'last' });
    return { ...interactions, movies };
  }
  const { users, items } = like;
  // A dense table over an integer side; a string side (an id map from elsewhere) by look-up.
  const rows = users.kind === 'int' ? indicesIn(users.ids as Int32Array, ratings.users, 'user') : users.indices(ratings.users, 'user');
  const cols = items.kind === 'int' ? indicesIn(items.ids as Int32Array, ratings.items, 'item') : items.indices(ratings.items, 'item');
  const { matrix, order } = buildCsrWithOrder(rows, cols, ratings.ratings, users.size, items.size);
  const n = order.length;
  const timestamps = new Float64Array(n);
  for (let p = 0; p < n; p++) timestamps[p] = ratings.timestamps[order[p]!]!;
  return { users, items, matrix, timestamps, movies };
}

/** Rating columns as the indexer's input (views, no copies). */
function rawOf(r: RatingColumns) {
  return {
    length: r.users.length,
    users: { kind: 'int', values: r.users },
    items: { kind: 'int', values: r.items },
    weights: r.ratings,
    times: r.timestamps,
  } as const;
}

function isDataset(source: Dataset | RatingColumns): source is Dataset {
  return 'movies' in source;
}

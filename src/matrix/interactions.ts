/**
 * Ratings -> the users x movies matrix the model trains on, with the id maps that translate
 * between external ids and matrix indices.
 */
import type { Dataset, ItemInfo, RatingColumns } from '../data/dataset.js';
import type { ExternalId } from '../data/rawInteractions.js';
import { IdMap } from './idMap.js';
import { buildCsrWithOrder, type Csr } from './csr.js';
import { UnknownIdError } from '../errors.js';

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
 * an error.
 *
 * @example
 * const all = buildInteractions(dataset);
 * const train = buildInteractions(split.train, all);
 */
export function buildInteractions(
  source: Dataset | RatingColumns,
  like?: Pick<Interactions, 'users' | 'items' | 'movies'>,
): Interactions {
  const ratings = isDataset(source) ? source.ratings : source;
  const movies = like?.movies ?? (isDataset(source) ? source.movies : new Map<ExternalId, ItemInfo>());
  const users = like?.users ?? IdMap.fromIds(ratings.users);
  const items = like?.items ?? IdMap.fromIds(ratings.items);
  const n = ratings.users.length;
  const rows = new Int32Array(n);
  const cols = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    const r = users.tryIndex(ratings.users[j]!);
    if (r < 0) throw new UnknownIdError('user', ratings.users[j]!);
    const c = items.tryIndex(ratings.items[j]!);
    if (c < 0) throw new UnknownIdError('item', ratings.items[j]!);
    rows[j] = r;
    cols[j] = c;
  }
  const { matrix, order } = buildCsrWithOrder(rows, cols, ratings.ratings, users.size, items.size);
  const timestamps = new Float64Array(n);
  for (let p = 0; p < n; p++) timestamps[p] = ratings.timestamps[order[p]!]!;
  return { users, items, matrix, timestamps, movies };
}

function isDataset(source: Dataset | RatingColumns): source is Dataset {
  return 'movies' in source;
}

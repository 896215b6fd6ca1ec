/**
 * A {@link Dataset} around indexed interactions (the matrix built in one ordering pass, see
 * indexInteractions.ts), whose `ratings` columns are made from the matrix only when read.
 *
 * Training needs the matrix alone; evaluation splits, exports and the like read `ratings`. Keeping
 * both from the start doubled the memory a large file costs (20 bytes per event for the columns
 * on top of the matrix's 16), and every byte of it has to be faulted in once. Made on demand they
 * cost that only for the commands that read them, and are exactly the columns the loaders kept
 * before: the kept events (one per (user, item) pair, the event `source` names) in file order.
 */
import type { IndexedInteractions } from '../matrix/indexInteractions.js';
import type { Interactions } from '../matrix/interactions.js';
import { rowOfPosition } from '../matrix/csr.js';
import { AlsrecError } from '../errors.js';
import type { Dataset, RatingColumns } from './dataset.js';

/** What the dataset says besides its interactions. */
export type DatasetFields = Omit<Dataset, 'ratings' | 'interactions' | 'duplicatesMerged'>;

/**
 * The dataset; `ratings` is computed on first read (O(events)) and kept.
 *
 * @param events how many events were indexed (positions `indexed.source` refers to).
 * @example
 * const indexed = indexInteractions(raw, { aggregate: 'last', reuseInput: true });
 * const dataset = datasetFromIndexed({ dir, format: 'ml-csv', movies, warnings }, indexed, raw.length);
 * dataset.interactions.matrix; // ready; dataset.ratings is made if and when it is read
 */
export function datasetFromIndexed(fields: DatasetFields, indexed: IndexedInteractions, events: number): Dataset & { readonly interactions: Interactions } {
  const interactions = { ...indexed.interactions, movies: fields.movies };
  let ratings: RatingColumns | null = null;
  return {
    ...fields,
    interactions,
    duplicatesMerged: indexed.duplicatesMerged,
    get ratings(): RatingColumns {
      ratings ??= ratingColumnsInFileOrder(interactions, sourceOrNull(indexed), events);
      return ratings;
    },
    headRatings: (limit: number) => ratings === null ? firstRatingColumns(interactions, sourceOrNull(indexed), limit) : ratings,
  };
}

/** `indexed.source`, or null when it is the identity (so it is not made for nothing). */
function sourceOrNull(indexed: IndexedInteractions): Int32Array | null {
  return indexed.sourceIsIdentity ? null : indexed.source;
}

/** The first `limit` entries in file order, found in one pass over `source` (limit is small). */
function firstRatingColumns(interactions: Interactions, source: Int32Array | null, limit: number): RatingColumns {
  const { matrix } = interactions;
  const nnz = matrix.indptr[matrix.rows]!;
  const take = Math.max(0, Math.min(Math.floor(limit), nnz));
  const positions: number[] = [];
  if (source === null) {
    for (let p = 0; p < take; p++) positions.push(p);
  } else {
    // Keep the `take` smallest sources, sorted (insertion: take is a handful of rows).
    const best: number[] = [];
    for (let p = 0; p < nnz; p++) {
      const s = source[p]!;
      if (best.length === take && s >= source[best[take - 1]!]!) continue;
      let at = best.length === take ? take - 1 : best.length;
      while (at > 0 && source[best[at - 1]!]! > s) at--;
      best.splice(at, 0, p);
      if (best.length > take) best.pop();
    }
    positions.push(...best);
  }
  return subsetColumns(interactions, Int32Array.from(positions));
}

/** Rating columns of the CSR positions `positions`, in that order. */
function subsetColumns(interactions: Interactions, positions: Int32Array): RatingColumns {
  const { users, items, matrix, timestamps } = interactions;
  const userIds = users.ids as Int32Array;
  const itemIds = items.ids as Int32Array;
  const out: RatingColumns = {
    users: new Int32Array(positions.length),
    items: new Int32Array(positions.length),
    ratings: new Float32Array(positions.length),
    timestamps: new Float64Array(positions.length),
  };
  positions.forEach((p, k) => {
    out.users[k] = userIds[rowOfPosition(matrix.indptr, p)]!;
    out.items[k] = itemIds[matrix.indices[p]!]!;
    out.ratings[k] = matrix.data[p]!;
    out.timestamps[k] = timestamps?.[p] ?? 0;
  });
  return out;
}


/**
 * The matrix's entries as rating columns, in the order of the events they came from (`source`,
 * or CSR order when null: events that were already in order with none merged). Needs integer id
 * maps (a dataset's columns hold integers: ids, or codes into its id tables) and timestamps.
 */
export function ratingColumnsInFileOrder(interactions: Interactions, source: Int32Array | null, events: number): RatingColumns {
  const { users, items, matrix, timestamps } = interactions;
  if (users.kind !== 'int' || items.kind !== 'int' || timestamps === undefined) {
    throw new AlsrecError('Rating columns need integer ids and timestamps', 'ERR_ALSREC_DATA');
  }
  const userIds = users.ids as Int32Array;
  const itemIds = items.ids as Int32Array;
  const { rows, indptr, indices, data } = matrix;
  const nnz = indptr[rows]!;
  const out: RatingColumns = {
    users: new Int32Array(nnz),
    items: new Int32Array(nnz),
    ratings: new Float32Array(nnz),
    timestamps: new Float64Array(nnz),
  };
  // position -> k, its place in file order (the identity without `source`).
  let placeOf: Int32Array | null = null;
  if (source !== null) {
    const at = new Int32Array(events).fill(-1);
    for (let p = 0; p < nnz; p++) at[source[p]!] = p;
    placeOf = new Int32Array(nnz);
    for (let j = 0, k = 0; j < events; j++) if (at[j]! >= 0) placeOf[at[j]!] = k++;
  }
  for (let r = 0; r < rows; r++) {
    const id = userIds[r]!;
    for (let p = indptr[r]!; p < indptr[r + 1]!; p++) {
      const k = placeOf === null ? p : placeOf[p]!;
      out.users[k] = id;
      out.items[k] = itemIds[indices[p]!]!;
      out.ratings[k] = data[p]!;
      out.timestamps[k] = timestamps[p]!;
    }
  }
  return out;
}

/**
 * The columnar shape every MovieLens reader produces: one typed array per column, never an
 * object per rating.
 */
import type { Interactions } from '../matrix/interactions.js';

import type { ExternalId } from './rawInteractions.js';

/** What is known of one item for display: its title, and a year and genres when the data has them. */
export interface ItemInfo {
  /** The item's external id, exactly as given. */
  readonly id: ExternalId;
  /** Title or description, e.g. `Star Wars (1977)` or `WHITE HANGING HEART T-LIGHT HOLDER`. */
  readonly title: string;
  /** Release year (MovieLens), or null when absent. */
  readonly year: number | null;
  /** Genre or category names, e.g. `['Action', 'Sci-Fi']`; empty when unknown. */
  readonly genres: readonly string[];
}

/** One movie of a MovieLens movies file: an item with an integer id. */
export interface Movie extends ItemInfo {
  /** The dataset's movie id. */
  readonly id: number;
}

/** Ratings as parallel columns; entry j is one (user, movie, rating, timestamp) event. */
export interface RatingColumns {
  readonly users: Int32Array;
  readonly items: Int32Array;
  readonly ratings: Float32Array;
  /** Seconds since the epoch. */
  readonly timestamps: Float64Array;
}

export type MovieLensFormat = 'ml-100k' | 'ml-dat' | 'ml-csv';

/** Where a dataset came from: a MovieLens release, or an event file read by `loadInteractions`. */
export type DatasetFormat = MovieLensFormat | 'events';

/** A loaded dataset. */
export interface Dataset {
  /** Folder the files were read from (the event file, for format `events`). */
  readonly dir: string;
  readonly format: DatasetFormat;
  /** Ratings after duplicate (user, movie) pairs were merged (latest kept). */
  readonly ratings: RatingColumns;
  /** Movies by id. Rated movies missing from the movies file appear as `unknown movie N`. */
  readonly movies: ReadonlyMap<number, Movie>;
  /** Number of duplicate (user, movie) ratings dropped in favour of the latest one. */
  readonly duplicatesMerged: number;
  /** Human-readable warnings (merged duplicates, unknown movies), one line each. */
  readonly warnings: readonly string[];
  /**
   * The users x movies matrix of `ratings`, when the loader built it in the same pass as its
   * de-duplication; `buildInteractions(dataset)` returns it rather than indexing again.
   */
  readonly interactions?: Interactions;
  /**
   * The first `limit` of `ratings` without making all of them (a dataset whose columns are made
   * from its matrix on demand has it; see datasetFromIndexed.ts).
   */
  readonly headRatings?: (limit: number) => RatingColumns;
  /**
   * An event file's string ids: `ratings` holds codes into these tables (entry `code` is the id as
   * given); absent for a side with integer ids. `withExternalIds` puts them back in a model's maps.
   */
  readonly idTables?: { readonly users?: readonly string[]; readonly items?: readonly string[] };
}

/**
 * The columnar shape every MovieLens reader produces: one typed array per column, never an
 * object per rating.
 */
import type { Interactions } from '../matrix/interactions.js';

/** One movie of the movies file. */
export interface Movie {
  /** The dataset's movie id. */
  readonly id: number;
  /** Title as printed by the dataset, e.g. `Star Wars (1977)`. */
  readonly title: string;
  /** Release year parsed from the title or release date, or null when absent. */
  readonly year: number | null;
  /** Genre names, e.g. `['Action', 'Sci-Fi']`. */
  readonly genres: readonly string[];
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
}

/** What a format reader hands to {@link loadMovieLens} before duplicates and unknown movies are settled. */
import type { Movie, MovieLensFormat } from './dataset.js';
import type { ReadProgress } from './lineReader.js';
import type { RatingColumnsBuilder } from './ratingColumnsBuilder.js';

export interface RawMovieLens {
  readonly format: MovieLensFormat;
  /** Paths of the files read, for messages. */
  readonly ratingsFile: string;
  readonly moviesFile: string;
  /** Ratings in file order, duplicates included. */
  readonly ratings: RatingColumnsBuilder;
  readonly movies: Map<number, Movie>;
}

export interface ReadMovieLensOptions {
  /** Called after each chunk of each file read. */
  readonly onProgress?: (progress: ReadProgress) => void;
}

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
  /**
   * The movies by id: read already, or (`moviesBeside`) still being read by a worker thread, to
   * be awaited after the ratings are indexed. Rejects with the movies file's DataFormatError.
   */
  readonly movies: Promise<Map<number, Movie>>;
  readonly moviesBeside: boolean;
}

export interface ReadMovieLensOptions {
  /** Called after each chunk of each file read. */
  readonly onProgress?: (progress: ReadProgress) => void;
}

/**
 * A release's ratings and movies read at once. The ratings go first: a large ratings file is
 * parsed by worker threads, and this thread reads the movies once they are started (call
 * `started`; on synth-10m the movies take 40-90 ms, about a worker's start-up). Should `started`
 * never be called, the movies are read after the ratings. When both fail, the movies' error is
 * the one thrown (they were read first before, and are the smaller file to fix).
 * @example const [ratings, movies] = await ratingsAndMovies((started) => readRatingsFile(path, layout, { onStarted: started }), () => readItems(...));
 */
export async function ratingsAndMovies<R, M>(ratings: (started: () => void) => Promise<R>, movies: () => Promise<M>): Promise<[R, M]> {
  // Settled results, so a movies error while the ratings are still read is never unhandled.
  let moviesRead: Promise<PromiseSettledResult<M>> | null = null;
  const readMovies = (): Promise<PromiseSettledResult<M>> => (moviesRead ??= settle(movies()));
  const r = await settle(ratings(() => void readMovies()));
  const m = await readMovies();
  if (m.status === 'rejected') throw m.reason;
  if (r.status === 'rejected') throw r.reason;
  return [r.value, m.value];
}

async function settle<T>(promise: Promise<T>): Promise<PromiseSettledResult<T>> {
  return (await Promise.allSettled([promise]))[0]!;
}

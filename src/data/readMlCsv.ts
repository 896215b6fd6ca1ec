/**
 * ml-latest, ml-latest-small, ml-20m, ml-25m: UTF-8 `ratings.csv` (`userId,movieId,rating,timestamp`,
 * half-star ratings) and `movies.csv` (`movieId,title,genres`, titles quoted when they hold a
 * comma), each with a header row; LF or CRLF line ends.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { defaultParseThreads, PARALLEL_MIN_BYTES } from './events/parallel/readDelimitedInParallel.js';
import { ratingsAndMovies, type RawMovieLens, type ReadMovieLensOptions } from './rawMovieLens.js';
import { readMoviesCsv } from './readMoviesCsv.js';
import { readMoviesInWorker } from './readMoviesInWorker.js';
import { readRatingsFile } from './readRatingsFile.js';

const RATINGS_HEADER = 'userId,movieId,rating,timestamp';

/**
 * Reads a folder in the CSV layout. A ratings file large enough to be parsed by worker threads is
 * read first and its movies file then by a worker thread (readMoviesInWorker.ts), to be awaited
 * after the ratings are indexed (`moviesBeside`); a smaller release reads its movies on this
 * thread while its ratings are read.
 *
 * @example
 * ```ts
 * const raw = await readMlCsv('data/ml-latest-small');
 * ```
 */
export async function readMlCsv(dir: string, options: ReadMovieLensOptions = {}): Promise<RawMovieLens> {
  const moviesFile = join(dir, 'movies.csv');
  const ratingsFile = join(dir, 'ratings.csv');
  const layout = { separator: ',', separatorName: 'comma-separated', header: RATINGS_HEADER, encoding: 'utf8' } as const;
  if (!parsedInParallel(ratingsFile)) {
    const [ratings, movies] = await ratingsAndMovies(
      (started) => readRatingsFile(ratingsFile, layout, { ...options, onStarted: started }),
      () => readMoviesCsv(moviesFile, options),
    );
    return { format: 'ml-csv', ratingsFile, moviesFile, ratings, movies: Promise.resolve(movies), moviesBeside: false };
  }
  const ratings = await readRatingsFile(ratingsFile, layout, options);
  const movies = readMoviesInWorker(moviesFile, options.onProgress);
  // Awaited by the caller after indexing; a failure until then is not an unhandled rejection.
  movies.catch(() => {});
  return { format: 'ml-csv', ratingsFile, moviesFile, ratings, movies, moviesBeside: true };
}

/** Whether the ratings file is large enough for the parallel parse on this machine (see readRatingsFile). */
function parsedInParallel(ratingsFile: string): boolean {
  let size: number;
  try {
    size = statSync(ratingsFile).size;
  } catch {
    return false;
  }
  return size >= PARALLEL_MIN_BYTES && defaultParseThreads() > 1;
}

/**
 * ml-latest, ml-latest-small, ml-20m, ml-25m: UTF-8 `ratings.csv` (`userId,movieId,rating,timestamp`,
 * half-star ratings) and `movies.csv` (`movieId,title,genres`, titles quoted when they hold a
 * comma), each with a header row; LF or CRLF line ends.
 */
import { join } from 'node:path';
import { DataFormatError } from '../errors.js';
import type { Movie } from './dataset.js';
import { readLines } from './lineReader.js';
import { addMovie, badMovieId, parseMovieId, releaseYear, splitGenres } from './movieFields.js';
import { ratingsAndMovies, type RawMovieLens, type ReadMovieLensOptions } from './rawMovieLens.js';
import { readRatingsFile } from './readRatingsFile.js';
import { splitCsvLine } from './splitCsvLine.js';

const RATINGS_HEADER = 'userId,movieId,rating,timestamp';
const MOVIES_HEADER = 'movieId,title,genres';

/**
 * Reads a folder in the CSV layout.
 *
 * @example
 * ```ts
 * const raw = await readMlCsv('data/ml-latest-small');
 * ```
 */
export async function readMlCsv(dir: string, options: ReadMovieLensOptions = {}): Promise<RawMovieLens> {
  const moviesFile = join(dir, 'movies.csv');
  const ratingsFile = join(dir, 'ratings.csv');
  const [ratings, movies] = await ratingsAndMovies(
    (started) => readRatingsFile(ratingsFile, { separator: ',', separatorName: 'comma-separated', header: RATINGS_HEADER, encoding: 'utf8' }, { ...options, onStarted: started }),
    () => readMoviesCsv(moviesFile, options),
  );
  return { format: 'ml-csv', ratingsFile, moviesFile, ratings, movies };
}

async function readMoviesCsv(path: string, options: ReadMovieLensOptions): Promise<Map<number, Movie>> {
  const movies = new Map<number, Movie>();
  const firstLines = new Map<number, number>();
  let sawHeader = false;
  await readLines(
    path,
    (bytes, start, end, lineNumber) => {
      if (start === end) return;
      const text = bytes.toString('utf8', start, end);
      if (!sawHeader) {
        sawHeader = true;
        if (text !== MOVIES_HEADER) throw new DataFormatError(path, lineNumber, `expected the header "${MOVIES_HEADER}"`, text);
        return;
      }
      const split = splitCsvLine(text);
      if (!split.ok) throw new DataFormatError(path, lineNumber, split.problem, text);
      const { fields } = split;
      if (fields.length !== 3) {
        throw new DataFormatError(path, lineNumber, `expected 3 comma-separated fields (movieId, title, genres) but found ${fields.length}`, text);
      }
      const id = parseMovieId(fields[0]!);
      if (id === undefined) badMovieId(path, lineNumber, fields[0]!, text);
      const title = fields[1]!;
      addMovie(movies, firstLines, { id, title, year: releaseYear(title), genres: splitGenres(fields[2]!) }, path, lineNumber, text);
    },
    options,
  );
  if (movies.size === 0) throw new DataFormatError(path, undefined, sawHeader ? 'has a header but no movies' : 'file is empty');
  return movies;
}

/**
 * `movies.csv` of the CSV releases (`movieId,title,genres`, titles quoted when they hold a comma,
 * a header row, LF or CRLF line ends), read into the movies map; on this thread, or in a worker
 * thread beside the indexing of a large release (see readMoviesInWorker.ts).
 */
import { DataFormatError } from '../errors.js';
import type { Movie } from './dataset.js';
import { readLines, type ReadProgress } from './lineReader.js';
import { addMovie, badMovieId, parseMovieId, releaseYear, splitGenres } from './movieFields.js';
import { splitCsvLine } from './splitCsvLine.js';

const MOVIES_HEADER = 'movieId,title,genres';

/**
 * The movies of `path` by id.
 * @throws DataFormatError naming `file:line` for a wrong header, a malformed line, a bad or repeated id, or no movies.
 * @example const movies = await readMoviesCsv('ml-latest-small/movies.csv'); movies.get(1)?.title // 'Toy Story (1995)'
 */
export async function readMoviesCsv(path: string, options: { readonly onProgress?: (progress: ReadProgress) => void } = {}): Promise<Map<number, Movie>> {
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

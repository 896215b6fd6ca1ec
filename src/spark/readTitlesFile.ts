/**
 * Item titles for an imported model: a CSV file with a header whose first column is the item id
 * and second the title, such as MovieLens `movies.csv` (`movieId,title,genres`). A third column
 * is read as `|`-separated genres; the release year is parsed from a title ending in `(1995)`.
 */
import type { Movie } from '../data/dataset.js';
import { readLines } from '../data/lineReader.js';
import { addMovie, badMovieId, parseMovieId, releaseYear, splitGenres } from '../data/movieFields.js';
import { splitCsvLine } from '../data/splitCsvLine.js';
import { DataFormatError } from '../errors.js';

/**
 * @throws DataFormatError naming `file:line` for a line that is not CSV, has fewer than two
 *   fields, an id that is not a whole number, or a repeated id; or for a file without titles.
 * @example const titles = await readTitlesFile('ml-25m/movies.csv'); titles.get(1)?.title // 'Toy Story (1995)'
 */
export async function readTitlesFile(file: string): Promise<Map<number, Movie>> {
  const movies = new Map<number, Movie>();
  const firstLines = new Map<number, number>();
  let sawHeader = false;
  await readLines(file, (bytes, start, end, lineNumber) => {
    if (start === end) return;
    const text = bytes.toString('utf8', start, end);
    if (!sawHeader) {
      sawHeader = true;
      return;
    }
    const split = splitCsvLine(text);
    // `'problem' in split` narrows under any compiler settings (the tests also compile src/ loosely).
    if ('problem' in split) throw new DataFormatError(file, lineNumber, split.problem, text);
    const { fields } = split;
    if (fields.length < 2) throw new DataFormatError(file, lineNumber, `expected at least 2 comma-separated fields (id, title) but found ${fields.length}`, text);
    const id = parseMovieId(fields[0]!);
    if (id === undefined) badMovieId(file, lineNumber, fields[0]!, text);
    const title = fields[1]!;
    addMovie(movies, firstLines, { id, title, year: releaseYear(title), genres: fields.length > 2 ? splitGenres(fields[2]!) : [] }, file, lineNumber, text);
  });
  if (movies.size === 0) throw new DataFormatError(file, undefined, sawHeader ? 'has a header but no titles' : 'file is empty');
  return movies;
}

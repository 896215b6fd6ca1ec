/**
 * Pieces shared by the three movies-file readers: ids, years, genres, and the movies map that
 * refuses a repeated id.
 */
import { DataFormatError } from '../errors.js';
import type { Movie } from './dataset.js';

const MAX_ID = 2147483647;
// `Star Wars (1977)`; series in ml-latest read `(2006-2007)` or `(2006–2007)`: the first year counts.
const TITLE_YEAR = /\((\d{4})(?:[-\u2013]\d{4})?\)\s*$/;
const DATE_YEAR = /(?:^|\D)(\d{4})\s*$/;
const NO_GENRES = '(no genres listed)';

/** A movie id field as a whole number in 0..2^31-1, or `undefined` when it is not one. */
export function parseMovieId(text: string): number | undefined {
  if (!/^\d{1,10}$/.test(text)) return undefined;
  const id = Number(text);
  return id <= MAX_ID ? id : undefined;
}

/**
 * Release year from the title's trailing `(YYYY)`, else from the end of a release date such as
 * `01-Jan-1995`, else null.
 *
 * @example
 * ```ts
 * releaseYear('Star Wars (1977)');       // 1977
 * releaseYear('unknown', '01-Jan-1995'); // 1995
 * ```
 */
export function releaseYear(title: string, releaseDate = ''): number | null {
  const fromTitle = TITLE_YEAR.exec(title);
  if (fromTitle) return Number(fromTitle[1]);
  const fromDate = DATE_YEAR.exec(releaseDate);
  return fromDate ? Number(fromDate[1]) : null;
}

/** `Action|Sci-Fi` as `['Action', 'Sci-Fi']`; `(no genres listed)` and `` as `[]`. */
export function splitGenres(field: string): string[] {
  if (field === '' || field === NO_GENRES) return [];
  return field.split('|');
}

/**
 * Adds `movie` to `movies`, or throws when its id was already seen. `firstLines` remembers the line
 * of each id for the message.
 */
export function addMovie(
  movies: Map<number, Movie>,
  firstLines: Map<number, number>,
  movie: Movie,
  file: string,
  line: number,
  text: string,
): void {
  const first = firstLines.get(movie.id);
  if (first !== undefined) throw new DataFormatError(file, line, `duplicate movie id ${movie.id} (first on line ${first})`, text);
  firstLines.set(movie.id, line);
  movies.set(movie.id, movie);
}

/** Throws the DataFormatError for a movie id field that is not a whole number. */
export function badMovieId(file: string, line: number, field: string, text: string): never {
  throw new DataFormatError(file, line, `movie id "${field}" is not a whole number from 0 to ${MAX_ID}`, text);
}

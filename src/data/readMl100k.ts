/**
 * MovieLens 100K: `u.data` (tab-separated user, movie, rating, timestamp), `u.item` (pipe-separated,
 * latin-1: id|title|release date|video release date|IMDb URL|one 0/1 flag per genre) and, when
 * present, `u.genre` (`name|index` lines naming the flags). `u.user` is not read: user ids come
 * from the ratings, and nothing downstream needs demographics.
 */
import { join } from 'node:path';
import { DataFormatError } from '../errors.js';
import type { Movie } from './dataset.js';
import { readLines } from './lineReader.js';
import { hasEntry } from './openRegularFile.js';
import { addMovie, badMovieId, parseMovieId, releaseYear } from './movieFields.js';
import { ratingsAndMovies, type RawMovieLens, type ReadMovieLensOptions } from './rawMovieLens.js';
import { readRatingsFile } from './readRatingsFile.js';

/** The genre flags of u.item in order, as the ML-100K README lists them; used without u.genre. */
export const ML100K_GENRES: readonly string[] = [
  'unknown', 'Action', 'Adventure', 'Animation', "Children's", 'Comedy', 'Crime', 'Documentary',
  'Drama', 'Fantasy', 'Film-Noir', 'Horror', 'Musical', 'Mystery', 'Romance', 'Sci-Fi', 'Thriller',
  'War', 'Western',
];

/**
 * Reads an ML-100K folder.
 *
 * @example
 * ```ts
 * const raw = await readMl100k('data/ml-100k');
 * raw.movies.get(50)?.title; // 'Star Wars (1977)'
 * ```
 */
export async function readMl100k(dir: string, options: ReadMovieLensOptions = {}): Promise<RawMovieLens> {
  const genreFile = join(dir, 'u.genre');
  const genres = hasEntry(genreFile) ? await readGenreNames(genreFile) : ML100K_GENRES;
  const moviesFile = join(dir, 'u.item');
  const ratingsFile = join(dir, 'u.data');
  const [ratings, movies] = await ratingsAndMovies(
    (started) => readRatingsFile(ratingsFile, { separator: '\t', separatorName: 'tab-separated', encoding: 'latin1' }, { ...options, onStarted: started }),
    () => readItems(moviesFile, genres, options),
  );
  return { format: 'ml-100k', ratingsFile, moviesFile, ratings, movies: Promise.resolve(movies), moviesBeside: false };
}

/** `u.genre`: `name|index` lines, indices 0, 1, 2... in order; blank lines skipped. */
async function readGenreNames(path: string): Promise<string[]> {
  const names: string[] = [];
  await readLines(path, (bytes, start, end, lineNumber) => {
    if (start === end) return;
    const text = bytes.toString('latin1', start, end);
    const fields = text.split('|');
    if (fields.length !== 2) {
      throw new DataFormatError(path, lineNumber, `expected 2 pipe-separated fields (name, index) but found ${fields.length}`, text);
    }
    if (fields[1] !== String(names.length)) {
      throw new DataFormatError(path, lineNumber, `expected genre index ${names.length} but found "${fields[1]}"`, text);
    }
    names.push(fields[0]!);
  });
  if (names.length === 0) throw new DataFormatError(path, undefined, 'file is empty');
  return names;
}

/** `u.item`, latin-1. */
async function readItems(path: string, genres: readonly string[], options: ReadMovieLensOptions): Promise<Map<number, Movie>> {
  const movies = new Map<number, Movie>();
  const firstLines = new Map<number, number>();
  const fieldCount = 5 + genres.length;
  await readLines(
    path,
    (bytes, start, end, lineNumber) => {
      if (start === end) return;
      const text = bytes.toString('latin1', start, end);
      const fields = text.split('|');
      if (fields.length !== fieldCount) {
        throw new DataFormatError(path, lineNumber,
          `expected ${fieldCount} pipe-separated fields (id, title, release date, video release date, IMDb URL, ${genres.length} genre flags) but found ${fields.length}`,
          text);
      }
      const id = parseMovieId(fields[0]!);
      if (id === undefined) badMovieId(path, lineNumber, fields[0]!, text);
      const movieGenres: string[] = [];
      for (let g = 0; g < genres.length; g++) {
        const flag = fields[5 + g];
        if (flag === '1') movieGenres.push(genres[g]!);
        else if (flag !== '0') {
          throw new DataFormatError(path, lineNumber, `genre flag ${g} (${genres[g]}) "${flag}" is not 0 or 1`, text);
        }
      }
      const title = fields[1]!;
      addMovie(movies, firstLines, { id, title, year: releaseYear(title, fields[2]), genres: movieGenres }, path, lineNumber, text);
    },
    options,
  );
  if (movies.size === 0) throw new DataFormatError(path, undefined, 'file is empty');
  return movies;
}

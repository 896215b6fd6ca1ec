/**
 * MovieLens 1M and 10M: `ratings.dat` (`UserID::MovieID::Rating::Timestamp`) and `movies.dat`
 * (`MovieID::Title::Genres`, genres `A|B`). ML-1M's movies.dat is latin-1 while ML-10M's is mostly
 * UTF-8, so each movies line is decoded as UTF-8 when it is valid UTF-8 and as latin-1 otherwise
 * (a latin-1 accent followed by a plain letter is never valid UTF-8).
 */
import { join } from 'node:path';
import { DataFormatError } from '../errors.js';
import type { Movie } from './dataset.js';
import { readLines } from './lineReader.js';
import { addMovie, badMovieId, parseMovieId, releaseYear, splitGenres } from './movieFields.js';
import { ratingsAndMovies, type RawMovieLens, type ReadMovieLensOptions } from './rawMovieLens.js';
import { readRatingsFile } from './readRatingsFile.js';

/**
 * Reads an ML-1M or ML-10M folder.
 *
 * @example
 * ```ts
 * const raw = await readMlDat('data/ml-1m');
 * ```
 */
export async function readMlDat(dir: string, options: ReadMovieLensOptions = {}): Promise<RawMovieLens> {
  const moviesFile = join(dir, 'movies.dat');
  const ratingsFile = join(dir, 'ratings.dat');
  const [ratings, movies] = await ratingsAndMovies(
    (started) => readRatingsFile(ratingsFile, { separator: '::', separatorName: '"::"-separated', encoding: 'latin1' }, { ...options, onStarted: started }),
    () => readMoviesDat(moviesFile, options),
  );
  return { format: 'ml-dat', ratingsFile, moviesFile, ratings, movies: Promise.resolve(movies), moviesBeside: false };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** One line as UTF-8 when valid, else latin-1. */
export function decodeUtf8OrLatin1(bytes: Buffer, start: number, end: number): string {
  for (let p = start; p < end; p++) {
    if (bytes[p] >= 0x80) {
      try {
        return utf8.decode(bytes.subarray(start, end));
      } catch {
        return bytes.toString('latin1', start, end);
      }
    }
  }
  return bytes.toString('latin1', start, end);
}

async function readMoviesDat(path: string, options: ReadMovieLensOptions): Promise<Map<number, Movie>> {
  const movies = new Map<number, Movie>();
  const firstLines = new Map<number, number>();
  await readLines(
    path,
    (bytes, start, end, lineNumber) => {
      if (start === end) return;
      const text = decodeUtf8OrLatin1(bytes, start, end);
      const fields = text.split('::');
      if (fields.length !== 3) {
        throw new DataFormatError(path, lineNumber, `expected 3 "::"-separated fields (id, title, genres) but found ${fields.length}`, text);
      }
      const id = parseMovieId(fields[0]!);
      if (id === undefined) badMovieId(path, lineNumber, fields[0]!, text);
      const title = fields[1]!;
      addMovie(movies, firstLines, { id, title, year: releaseYear(title), genres: splitGenres(fields[2]!) }, path, lineNumber, text);
    },
    options,
  );
  if (movies.size === 0) throw new DataFormatError(path, undefined, 'file is empty');
  return movies;
}

/**
 * The ratings a person types or hands over for queries on a saved model: `--ratings
 * "50:5,172:4"`, a `movieId,rating` file for a new user, and the `userId,movieId,rating[,timestamp]`
 * CSV of `alsrec update`. Every error names the bad token or `file:line`.
 */
import { DataFormatError, invalidOption } from '../errors.js';
import { readLines } from '../data/lineReader.js';
import { parseMovieId } from '../data/movieFields.js';
import { isFloat32Finite } from '../matrix/float32.js';

/** One rating of a new user, with where it came from (a token or `file:line`) for messages. */
export interface SourcedRating {
  readonly movieId: number;
  readonly rating: number;
  readonly source: string;
}

/** A rating as the data files write it: `4`, `3.5`, `-1` (no exponent, no sign but minus). */
const DECIMAL = /^-?\d+(\.\d+)?$/;
const MAX_ID = 2147483647;
const ID_RULE = `a whole number from 0 to ${MAX_ID}`;
const RATING_RULE = 'a finite, non-zero decimal number within the float32 range';

/**
 * Parses `movieId:rating` pairs separated by commas.
 * @throws InvalidOptionError quoting the bad token (not a pair, not numbers, rating 0, repeated movie).
 * @example parseRatingPairs('--ratings', '50:5,172:4') // [{ movieId: 50, rating: 5, ... }, ...]
 */
export function parseRatingPairs(option: string, text: string): SourcedRating[] {
  const expected = 'movieId:rating pairs separated by commas, such as "50:5,172:4"';
  if (text.trim() === '') throw invalidOption(option, expected, text);
  const out: SourcedRating[] = [];
  const seen = new Set<number>();
  for (const raw of text.split(',')) {
    const token = raw.trim();
    const parts = token.split(':');
    const bad = (why: string) => invalidOption(option, `${why} (${expected})`, token);
    if (parts.length !== 2) throw bad('movieId:rating pairs');
    const movieId = parseId(parts[0]!);
    const rating = parseRating(parts[1]!);
    if (movieId === null) throw bad(`a whole-number movie id from 0 to ${MAX_ID} in each pair`);
    if (rating === null) throw bad('a finite, non-zero decimal rating within the float32 range in each pair');
    if (seen.has(movieId)) throw bad('each movie at most once');
    seen.add(movieId);
    out.push({ movieId, rating, source: `${option} token "${token}"` });
  }
  return out;
}

/**
 * Reads a new user's ratings: one `movieId,rating` line each; blank lines are skipped and a
 * first line `movieId,rating` is taken as a header.
 * @throws DataFormatError naming `path:line` and quoting it.
 */
export async function readRatingPairsFile(path: string): Promise<SourcedRating[]> {
  const out: SourcedRating[] = [];
  const seen = new Set<number>();
  await readLines(path, (bytes, start, end, lineNumber) => {
    const line = bytes.toString('utf8', start, end);
    const text = line.trim();
    if (text === '' || (lineNumber === 1 && text.toLowerCase() === 'movieid,rating')) return;
    const fields = text.split(',');
    const fail = (problem: string): never => {
      throw new DataFormatError(path, lineNumber, problem, line);
    };
    if (fields.length !== 2) fail('expected 2 comma-separated fields: movieId,rating');
    const movieId = parseId(fields[0]!);
    const rating = parseRating(fields[1]!);
    if (movieId === null) fail(`the movie id "${fields[0]!.trim()}" is not ${ID_RULE}`);
    if (rating === null) fail(`the rating "${fields[1]!.trim()}" is not ${RATING_RULE}`);
    if (seen.has(movieId!)) fail(`movie ${movieId} is rated twice`);
    seen.add(movieId!);
    out.push({ movieId: movieId!, rating: rating!, source: `${path}:${lineNumber}` });
  });
  if (out.length === 0) throw new DataFormatError(path, undefined, 'holds no ratings (expected movieId,rating lines)');
  return out;
}

/** New ratings for `alsrec update`, columnar, duplicates of a (user, movie) pair merged (latest kept). */
export interface NewRatings {
  readonly users: Int32Array;
  readonly items: Int32Array;
  readonly ratings: Float32Array;
  /** Lines merged away because a later rating of the same (user, movie) pair replaced them. */
  readonly duplicatesMerged: number;
}

/**
 * Reads `userId,movieId,rating[,timestamp]` lines after a header naming those columns. Of
 * several ratings of one (user, movie) pair, the one with the greatest timestamp wins (on a tie,
 * the later line).
 * @throws DataFormatError naming `path:line` and quoting it.
 */
export async function readNewRatingsCsv(path: string): Promise<NewRatings> {
  let width = 0;
  const latest = new Map<string, { user: number; movie: number; rating: number; time: number }>();
  let count = 0;
  await readLines(path, (bytes, start, end, lineNumber) => {
    const line = bytes.toString('utf8', start, end);
    if (lineNumber === 1) {
      const header = line.trim().toLowerCase().replace(/\s+/g, '');
      if (header !== 'userid,movieid,rating' && header !== 'userid,movieid,rating,timestamp') {
        throw new DataFormatError(path, 1, 'expected the header "userId,movieId,rating" or "userId,movieId,rating,timestamp"', line);
      }
      width = header.split(',').length;
      return;
    }
    if (line.trim() === '') return;
    const fail = (problem: string): never => {
      throw new DataFormatError(path, lineNumber, problem, line);
    };
    const fields = line.split(',');
    if (fields.length !== width) fail(`expected ${width} comma-separated fields`);
    const user = parseId(fields[0]!);
    const movie = parseId(fields[1]!);
    const rating = parseRating(fields[2]!);
    const timeText = width === 4 ? fields[3]!.trim() : '0';
    const time = DECIMAL.test(timeText) ? Number(timeText) : NaN;
    if (user === null) fail(`the user id "${fields[0]!.trim()}" is not ${ID_RULE}`);
    if (movie === null) fail(`the movie id "${fields[1]!.trim()}" is not ${ID_RULE}`);
    if (rating === null) fail(`the rating "${fields[2]!.trim()}" is not ${RATING_RULE}`);
    if (!Number.isFinite(time)) fail(`the timestamp "${timeText}" is not a finite decimal number`);
    count++;
    const key = `${user},${movie}`;
    const previous = latest.get(key);
    if (previous === undefined || time >= previous.time) latest.set(key, { user: user!, movie: movie!, rating: rating!, time });
  });
  if (width === 0) throw new DataFormatError(path, undefined, 'file is empty (expected the header "userId,movieId,rating")');
  if (latest.size === 0) throw new DataFormatError(path, undefined, 'holds no ratings after its header');
  const kept = [...latest.values()];
  return {
    users: Int32Array.from(kept, (r) => r.user),
    items: Int32Array.from(kept, (r) => r.movie),
    ratings: Float32Array.from(kept, (r) => r.rating),
    duplicatesMerged: count - kept.length,
  };
}

/** An id field by the loaders' rule (digits only, 0..2^31-1), spaces around it allowed; else null. */
function parseId(text: string): number | null {
  return parseMovieId(text.trim()) ?? null;
}

/** A rating field by the loaders' rule (plain decimal, within float32), non-zero; else null. */
function parseRating(text: string): number | null {
  const t = text.trim();
  const v = DECIMAL.test(t) ? Number(t) : NaN;
  return isFloat32Finite(v) && v !== 0 ? v : null;
}

/**
 * The ratings a person types or hands over for queries on a saved model: `--ratings
 * "50:5,172:4"`, a `movieId,rating` file for a new user, and the `userId,movieId,rating[,timestamp]`
 * CSV of `alsrec update`. Every error names the bad token or `file:line`.
 */
import { readFile } from 'node:fs/promises';
import { DataFormatError, invalidOption } from '../errors.js';

/** One rating of a new user, with where it came from (a token or `file:line`) for messages. */
export interface SourcedRating {
  readonly movieId: number;
  readonly rating: number;
  readonly source: string;
}

const ID = /^[+-]?\d+$/;

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
    if (movieId === null) throw bad('an integer movie id in each pair');
    if (rating === null) throw bad('a finite, non-zero rating in each pair');
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
  const lines = (await readFile(path, 'utf8')).split(/\r?\n/);
  const out: SourcedRating[] = [];
  const seen = new Set<number>();
  lines.forEach((line, j) => {
    const text = line.trim();
    if (text === '' || (j === 0 && text.toLowerCase() === 'movieid,rating')) return;
    const fields = text.split(',');
    const fail = (problem: string): never => {
      throw new DataFormatError(path, j + 1, problem, line);
    };
    if (fields.length !== 2) fail('expected 2 comma-separated fields: movieId,rating');
    const movieId = parseId(fields[0]!);
    const rating = parseRating(fields[1]!);
    if (movieId === null) fail('the movie id is not an integer');
    if (rating === null) fail('the rating is not a finite, non-zero number');
    if (seen.has(movieId!)) fail(`movie ${movieId} is rated twice`);
    seen.add(movieId!);
    out.push({ movieId: movieId!, rating: rating!, source: `${path}:${j + 1}` });
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
  const lines = (await readFile(path, 'utf8')).split(/\r?\n/);
  const header = (lines[0] ?? '').trim().toLowerCase().replace(/\s+/g, '');
  if (header !== 'userid,movieid,rating' && header !== 'userid,movieid,rating,timestamp') {
    throw new DataFormatError(path, 1, 'expected the header "userId,movieId,rating" or "userId,movieId,rating,timestamp"', lines[0] ?? '');
  }
  const width = header.split(',').length;
  const latest = new Map<string, { user: number; movie: number; rating: number; time: number }>();
  let count = 0;
  for (let j = 1; j < lines.length; j++) {
    const line = lines[j]!;
    if (line.trim() === '') continue;
    const fail = (problem: string): never => {
      throw new DataFormatError(path, j + 1, problem, line);
    };
    const fields = line.split(',');
    if (fields.length !== width) fail(`expected ${width} comma-separated fields`);
    const user = parseId(fields[0]!);
    const movie = parseId(fields[1]!);
    const rating = parseRating(fields[2]!);
    const time = width === 4 ? Number(fields[3]!.trim()) : 0;
    if (user === null) fail('the user id is not a 32-bit integer');
    if (movie === null) fail('the movie id is not a 32-bit integer');
    if (rating === null) fail('the rating is not a finite, non-zero number');
    if (width === 4 && (fields[3]!.trim() === '' || !Number.isFinite(time))) fail('the timestamp is not a number');
    count++;
    const key = `${user},${movie}`;
    const previous = latest.get(key);
    if (previous === undefined || time >= previous.time) latest.set(key, { user: user!, movie: movie!, rating: rating!, time });
  }
  if (latest.size === 0) throw new DataFormatError(path, undefined, 'holds no ratings after its header');
  const kept = [...latest.values()];
  return {
    users: Int32Array.from(kept, (r) => r.user),
    items: Int32Array.from(kept, (r) => r.movie),
    ratings: Float32Array.from(kept, (r) => r.rating),
    duplicatesMerged: count - kept.length,
  };
}

function parseId(text: string): number | null {
  const t = text.trim();
  if (!ID.test(t)) return null;
  const v = Number(t);
  return v >= -(2 ** 31) && v < 2 ** 31 ? v : null;
}

function parseRating(text: string): number | null {
  const t = text.trim();
  const v = t === '' ? NaN : Number(t);
  return Number.isFinite(v) && v !== 0 ? v : null;
}

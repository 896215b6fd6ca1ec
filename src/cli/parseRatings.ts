/**
 * The ratings a person types or hands over for queries on a saved model: `--ratings
 * "50:5,sku-9:4"`, an `itemId,rating` file for a new user, and the `userId,itemId,rating[,timestamp]`
 * CSV of `alsrec update`. Ids are kept as the text given (trimmed); the model's id map then finds
 * them (`"50"` is item 50 of an integer-id model). Every error names the bad token or `file:line`.
 */
import { DataFormatError, invalidOption } from '../errors.js';
import { readLines } from '../data/lineReader.js';
import { isFloat32Finite } from '../matrix/float32.js';
import { MAX_ID_LENGTH } from '../matrix/idMap.js';

/** One rating of a new user, with where it came from (a token or `file:line`) for messages. */
export interface SourcedRating {
  /** The item id as given (text; the model's id map resolves it). */
  readonly itemId: string;
  readonly rating: number;
  readonly source: string;
}

/** A rating as the data files write it: `4`, `3.5`, `-1` (no exponent, no sign but minus). */
const DECIMAL = /^-?\d+(\.\d+)?$/;
const ID_RULE = `an id of 1 to ${MAX_ID_LENGTH} characters`;
const RATING_RULE = 'a finite, non-zero decimal number within the float32 range';

/**
 * Parses `itemId:rating` pairs separated by commas (the rating follows the last colon, so an id
 * may hold colons).
 * @throws InvalidOptionError quoting the bad token (not a pair, empty id, bad rating, repeated item).
 * @example parseRatingPairs('--ratings', '50:5,sku-9:4') // [{ itemId: '50', rating: 5, ... }, ...]
 */
export function parseRatingPairs(option: string, text: string): SourcedRating[] {
  const expected = 'itemId:rating pairs separated by commas, such as "50:5,172:4"';
  if (text.trim() === '') throw invalidOption(option, expected, text);
  const out: SourcedRating[] = [];
  const seen = new Set<string>();
  for (const raw of text.split(',')) {
    const token = raw.trim();
    const colon = token.lastIndexOf(':');
    const bad = (why: string) => invalidOption(option, `${why} (${expected})`, token);
    if (colon < 0) throw bad('itemId:rating pairs');
    const itemId = parseId(token.slice(0, colon));
    const rating = parseRating(token.slice(colon + 1));
    if (itemId === null) throw bad(`${ID_RULE} in each pair`);
    if (rating === null) throw bad('a finite, non-zero decimal rating within the float32 range in each pair');
    if (seen.has(itemId)) throw bad('each item at most once');
    seen.add(itemId);
    out.push({ itemId, rating, source: `${option} token "${token}"` });
  }
  return out;
}

/**
 * Reads a new user's ratings: one `itemId,rating` line each; blank lines are skipped and a
 * first line `itemId,rating` (or `movieId,rating`) is taken as a header.
 * @throws DataFormatError naming `path:line` and quoting it.
 */
export async function readRatingPairsFile(path: string): Promise<SourcedRating[]> {
  const out: SourcedRating[] = [];
  const seen = new Set<string>();
  await readLines(path, (bytes, start, end, lineNumber) => {
    const line = bytes.toString('utf8', start, end);
    const text = line.trim();
    if (text === '' || (lineNumber === 1 && ['itemid,rating', 'movieid,rating'].includes(text.toLowerCase()))) return;
    const fields = text.split(',');
    const fail = (problem: string): never => {
      throw new DataFormatError(path, lineNumber, problem, line);
    };
    if (fields.length !== 2) fail('expected 2 comma-separated fields: itemId,rating');
    const itemId = parseId(fields[0]!);
    const rating = parseRating(fields[1]!);
    if (itemId === null) fail(`the item id "${fields[0]!.trim()}" is not ${ID_RULE}`);
    if (rating === null) fail(`the rating "${fields[1]!.trim()}" is not ${RATING_RULE}`);
    if (seen.has(itemId!)) fail(`item ${itemId} is rated twice`);
    seen.add(itemId!);
    out.push({ itemId: itemId!, rating: rating!, source: `${path}:${lineNumber}` });
  });
  if (out.length === 0) throw new DataFormatError(path, undefined, 'holds no ratings (expected itemId,rating lines)');
  return out;
}

/** New ratings for `alsrec update`, columnar, duplicates of a (user, item) pair merged (latest kept). */
export interface NewRatings {
  /** User ids as given (text; the model's id map resolves them). */
  readonly users: readonly string[];
  /** Item ids as given. */
  readonly items: readonly string[];
  readonly ratings: Float32Array;
  /** Lines merged away because a later rating of the same (user, movie) pair replaced them. */
  readonly duplicatesMerged: number;
}

/**
 * Reads `userId,itemId,rating[,timestamp]` lines after a header naming those columns (`movieId`
 * in place of `itemId` is read too). Of several ratings of one (user, item) pair, the one with the greatest timestamp wins (on a tie,
 * the later line).
 * @throws DataFormatError naming `path:line` and quoting it.
 */
export async function readNewRatingsCsv(path: string): Promise<NewRatings> {
  let width = 0;
  const latest = new Map<string, { user: string; movie: string; rating: number; time: number }>();
  let count = 0;
  await readLines(path, (bytes, start, end, lineNumber) => {
    const line = bytes.toString('utf8', start, end);
    if (lineNumber === 1) {
      const header = line.trim().toLowerCase().replace(/\s+/g, '').replace('movieid', 'itemid');
      if (header !== 'userid,itemid,rating' && header !== 'userid,itemid,rating,timestamp') {
        throw new DataFormatError(path, 1, 'expected the header "userId,itemId,rating" or "userId,itemId,rating,timestamp"', line);
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
    if (movie === null) fail(`the item id "${fields[1]!.trim()}" is not ${ID_RULE}`);
    if (rating === null) fail(`the rating "${fields[2]!.trim()}" is not ${RATING_RULE}`);
    if (!Number.isFinite(time)) fail(`the timestamp "${timeText}" is not a finite decimal number`);
    count++;
    const key = JSON.stringify([user, movie]);
    const previous = latest.get(key);
    if (previous === undefined || time >= previous.time) latest.set(key, { user: user!, movie: movie!, rating: rating!, time });
  });
  if (width === 0) throw new DataFormatError(path, undefined, 'file is empty (expected the header "userId,itemId,rating")');
  if (latest.size === 0) throw new DataFormatError(path, undefined, 'holds no ratings after its header');
  const kept = [...latest.values()];
  return {
    users: kept.map((r) => r.user),
    items: kept.map((r) => r.movie),
    ratings: Float32Array.from(kept, (r) => r.rating),
    duplicatesMerged: count - kept.length,
  };
}

/** An id field: its text without surrounding spaces, 1 to MAX_ID_LENGTH characters; else null. */
function parseId(text: string): string | null {
  const id = text.trim();
  return id.length > 0 && id.length <= MAX_ID_LENGTH ? id : null;
}

/** A rating field by the loaders' rule (plain decimal, within float32), non-zero; else null. */
function parseRating(text: string): number | null {
  const t = text.trim();
  const v = DECIMAL.test(t) ? Number(t) : NaN;
  return isFloat32Finite(v) && v !== 0 ? v : null;
}

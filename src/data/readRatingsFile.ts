/**
 * The MovieLens ratings files (`u.data`, `ratings.dat`, `ratings.csv`) as presets of the generic
 * byte scanner: the same fast loop as any event file (fields parsed from the bytes straight into
 * typed columns preallocated from the file's size), with MovieLens's layout (field order,
 * separator, header) and rules: ids must be whole numbers, ratings plain decimals of any sign,
 * timestamps plain decimal seconds, a bad line is an error in MovieLens's words. Files of 32 MiB
 * or more can be parsed by worker threads (`threads` > 1; see readRatingsInParallel).
 */
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { DataFormatError } from '../errors.js';
import { FLOAT32_MAX, isFloat32Finite } from '../matrix/float32.js';
import { CarryOver } from './events/carryOver.js';
import { EventColumnsBuilder, type EventFieldPlan } from './events/eventColumnsBuilder.js';
import { fastPlan, scanRecordsFast, type FastScanPlan, type SlowRecordReader } from './events/fastRecordScanner.js';
import { estimateRows } from './events/readDelimitedEvents.js';
import { defaultParseThreads, PARALLEL_MIN_BYTES, parseInParallel, readHead } from './events/parallel/readDelimitedInParallel.js';
import { openTextSource } from './events/textChunks.js';
import { MAX_LINE_BYTES, type ReadProgress } from './lineReader.js';
import { RatingColumnsBuilder } from './ratingColumnsBuilder.js';

/** How one MovieLens ratings file is laid out. */
export interface RatingsLayout {
  /** Field separator: `\t` (u.data), `::` (ratings.dat) or `,` (ratings.csv). */
  readonly separator: string;
  /** The separator in words for messages, e.g. `tab-separated`. */
  readonly separatorName: string;
  /** The exact header line the file must start with, when it has one. */
  readonly header?: string;
  /** Encoding used to quote a bad line in an error. */
  readonly encoding: 'latin1' | 'utf8';
}

const FIELD_NAMES = ['user id', 'movie id', 'rating', 'timestamp'] as const;
const MAX_ID = 2147483647;
const LF = 0x0a;
const CR = 0x0d;

/** The event plan of a ratings file: user, movie, rating, timestamp in that order. */
export const RATINGS_PLAN: EventFieldPlan = {
  fieldCount: 4, user: 0, item: 1, weight: 2, time: 3, title: -1, event: -1, eventWeights: null, onBadRow: 'error',
};

/** The fast scanner's plan for a layout: quotes are data, any rating kept, times in seconds. */
export function ratingsFastPlan(layout: RatingsLayout): FastScanPlan {
  const delimiter2 = layout.separator.length > 1 ? layout.separator.charCodeAt(1) : -1;
  return fastPlan(4, RATINGS_PLAN, layout.separator.charCodeAt(0), delimiter2, false, false, 'seconds');
}

/**
 * Reads every rating of `path` in file order. Blank lines are skipped. Ids must be whole numbers
 * in 0..2^31-1; rating and timestamp are decimal numbers (`4`, `3.5`, `-1`), the rating within
 * the float32 range.
 *
 * @throws DataFormatError naming `file:line` and quoting the line, for a wrong field count, a
 *   field that is not a number (or not finite, or an id that is not a whole number), a wrong
 *   header, or a file with no ratings.
 * `options.threads` (default one per core, at most 4): parsing threads for a file of 32 MiB or
 * more, this one included. `options.onStarted` is called once the parse is under way (its worker
 * threads started), for a caller with other work to do meanwhile.
 * @example
 * ```ts
 * const columns = await readRatingsFile('ml-100k/u.data',
 *   { separator: '\t', separatorName: 'tab-separated', encoding: 'latin1' });
 * ```
 */
export async function readRatingsFile(
  path: string,
  layout: RatingsLayout,
  options: ReadRatingsOptions = {},
): Promise<RatingColumnsBuilder> {
  const { onProgress } = options;
  let onStarted = options.onStarted;
  const started = () => {
    onStarted?.();
    onStarted = undefined;
  };
  const source = await openTextSource(path, Number.MAX_SAFE_INTEGER, onProgress);
  const threads = Math.min(options.threads ?? defaultParseThreads(), MAX_PARSING_THREADS, availableParallelism());
  if (!source.compressed && source.textBytes >= PARALLEL_MIN_BYTES && threads > 1) {
    const columns = await readRatingsInParallel(path, layout, source.textBytes, threads, started);
    if (columns !== null) {
      onProgress?.({ file: basename(path), bytesRead: source.textBytes, totalBytes: source.textBytes });
      return columns;
    }
    // A malformed line: the serial parse names it exactly.
  }
  started();
  const carry = new CarryOver();
  const plan = ratingsFastPlan(layout);
  let builder: EventColumnsBuilder | null = null;
  let slow: SlowRecordReader | null = null;
  let sawHeader = false;
  let line = 1;
  let atFileStart = true;

  const scan = (data: Buffer, from: number, final: boolean): number => {
    let start = from;
    if (builder === null) {
      const found = findRatingsStart(path, layout, data, atFileStart, final);
      atFileStart = false;
      line += found.lines;
      if (found.sawHeader) sawHeader = true;
      if (found.dataStart < 0) return found.consumed;
      start = found.dataStart;
      builder = new EventColumnsBuilder(RATINGS_PLAN, estimateRows(data, start, Math.max(source.textBytes, data.length)));
      slow = ratingsLineReader(path, layout, builder);
    }
    const result = scanRecordsFast(data, start, data.length, final, line, plan, builder, slow!);
    line = result.line;
    return result.consumed;
  };

  for await (const chunk of source.chunks()) {
    const data = carry.join(chunk);
    const consumed = scan(data, 0, false);
    if (data.length - consumed > MAX_LINE_BYTES) lineTooLong(path, line);
    carry.keep(data, consumed);
  }
  if (carry.pending.length > 0) scan(carry.pending, 0, true);

  const length = builder === null ? 0 : (builder as EventColumnsBuilder).length;
  if (length === 0) {
    throw new DataFormatError(path, undefined, sawHeader ? 'has a header but no ratings' : 'file is empty');
  }
  const parsed = (builder as unknown as EventColumnsBuilder).finish();
  const { users, items } = parsed.events;
  if (users.kind !== 'int' || items.kind !== 'int') throw new Error('MovieLens ids are integers');
  return RatingColumnsBuilder.fromColumns(users.values, items.values, parsed.events.weights, parsed.events.times!, length);
}

/** How {@link readRatingsFile} reads. */
export interface ReadRatingsOptions {
  /** Called after each chunk read. */
  readonly onProgress?: (progress: ReadProgress) => void;
  /** Parsing threads, this one included (default one per core, at most 4). */
  readonly threads?: number;
  /** Called once when the parse is under way (worker threads started, or the serial parse begun). */
  readonly onStarted?: () => void;
}

/** Parsing threads at most (one per core up to this). */
const MAX_PARSING_THREADS = 4;

/** The ratings parsed by worker threads, or null when a line is malformed (parse serially then). */
async function readRatingsInParallel(path: string, layout: RatingsLayout, size: number, threads: number, started: () => void): Promise<RatingColumnsBuilder | null> {
  const head = readHead(path, Math.min(size, 2 * MAX_LINE_BYTES));
  const found = findRatingsStart(path, layout, head, true, head.length === size);
  if (found.dataStart < 0) return null;
  // The workers are started before the call's first await.
  const parsing = parseInParallel(path, size, head, found.dataStart, 1 + found.lines, RATINGS_PLAN, { kind: 'ratings', layout }, threads);
  started();
  const parsed = await parsing;
  if (parsed === null || parsed.events.length === 0) return null;
  const { users, items, weights, times, length } = parsed.events;
  if (users.kind !== 'int' || items.kind !== 'int') return null;
  return RatingColumnsBuilder.fromColumns(users.values, items.values, weights, times!, length);
}

/**
 * Where the ratings start in `data` (the start of the file): past a byte-order mark, blank lines
 * and the header (checked). `dataStart` is -1 when the first line is not complete yet (`consumed`
 * bytes may be dropped); `lines` is how many lines were passed.
 * @throws DataFormatError for a wrong header.
 */
export function findRatingsStart(path: string, layout: RatingsLayout, data: Buffer, atFileStart: boolean, final: boolean): { dataStart: number; consumed: number; lines: number; sawHeader: boolean } {
  let start = atFileStart && data.length >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf ? 3 : 0;
  let lines = 0;
  for (;;) {
    let lf = data.indexOf(LF, start);
    if (lf === -1) {
      if (!final) return { dataStart: -1, consumed: start, lines, sawHeader: false };
      lf = data.length;
    }
    const lineEnd = lf > start && data[lf - 1] === CR ? lf - 1 : lf;
    if (lineEnd - start > MAX_LINE_BYTES) lineTooLong(path, lines + 1);
    if (lineEnd > start && layout.header !== undefined) {
      if (data.toString('utf8', start, lineEnd) !== layout.header) {
        throw new DataFormatError(path, lines + 1, `expected the header "${layout.header}"`, data.toString(layout.encoding, start, lineEnd));
      }
      return { dataStart: Math.min(lf + 1, data.length), consumed: 0, lines: lines + 1, sawHeader: true };
    }
    if (lineEnd > start || lf === data.length) return { dataStart: start, consumed: 0, lines, sawHeader: false };
    start = lf + 1;
    lines++;
  }
}

function lineTooLong(path: string, line: number): never {
  throw new DataFormatError(path, line, `line longer than ${MAX_LINE_BYTES >> 20} MiB (is this a text file?)`);
}

/**
 * MovieLens's rules for a line the fast scanner declined: the line is split on the separator and
 * each field checked, in MovieLens's words; a good line (an id with leading zeros, say) is added.
 */
export function ratingsLineReader(path: string, layout: RatingsLayout, builder: EventColumnsBuilder): SlowRecordReader {
  const sep0 = layout.separator.charCodeAt(0);
  const sep1 = layout.separator.length > 1 ? layout.separator.charCodeAt(1) : -1;
  const sepLength = layout.separator.length;

  // Index just past field [from, ...), i.e. of its separator, or `end` when it is the last field.
  const fieldEnd = (bytes: Buffer, from: number, end: number): number => {
    let p = from;
    if (sep1 < 0) {
      while (p < end && bytes[p] !== sep0) p++;
    } else {
      while (p < end && !(bytes[p] === sep0 && p + 1 < end && bytes[p + 1] === sep1)) p++;
    }
    return p;
  };

  const fail = (bytes: Buffer, start: number, end: number, lineNumber: number, problem: string): never => {
    throw new DataFormatError(path, lineNumber, problem, bytes.toString(layout.encoding, start, end));
  };

  const badField = (bytes: Buffer, start: number, end: number, lineNumber: number, field: number, s: number, e: number): never => {
    const text = bytes.toString(layout.encoding, s, e);
    return fail(bytes, start, end, lineNumber, describeBadNumber(FIELD_NAMES[field], text, field < 2));
  };

  return (bytes, start, dataEnd, final, lineNumber) => {
    let lf = bytes.indexOf(LF, start);
    if (lf === -1 || lf >= dataEnd) {
      if (!final) return -1;
      lf = dataEnd;
    }
    const end = lf > start && bytes[lf - 1] === CR ? lf - 1 : lf;
    if (end - start > MAX_LINE_BYTES) lineTooLong(path, lineNumber);
    const next = Math.min(lf + 1, dataEnd);
    if (start === end) return next;
    const e0 = fieldEnd(bytes, start, end);
    const s1 = e0 + sepLength;
    const e1 = s1 <= end ? fieldEnd(bytes, s1, end) : -1;
    const s2 = e1 + sepLength;
    const e2 = e1 >= 0 && s2 <= end ? fieldEnd(bytes, s2, end) : -1;
    const s3 = e2 + sepLength;
    const e3 = e2 >= 0 && s3 <= end ? fieldEnd(bytes, s3, end) : -1;
    if (e3 !== end) {
      const found = bytes.toString(layout.encoding, start, end).split(layout.separator).length;
      fail(bytes, start, end, lineNumber,
        `expected 4 ${layout.separatorName} fields (user id, movie id, rating, timestamp) but found ${found}`);
    }
    const user = parseId(bytes, start, e0);
    if (user < 0) badField(bytes, start, end, lineNumber, 0, start, e0);
    const item = parseId(bytes, s1, e1);
    if (item < 0) badField(bytes, start, end, lineNumber, 1, s1, e1);
    const rating = parseDecimal(bytes, s2, e2);
    // Ratings are stored as float32: a double beyond its range would become Infinity.
    if (!isFloat32Finite(rating)) badField(bytes, start, end, lineNumber, 2, s2, e2);
    const timestamp = parseDecimal(bytes, s3, e3);
    if (timestamp !== timestamp) badField(bytes, start, end, lineNumber, 3, s3, e3);
    builder.pushIntegerRow(user, item, rating, timestamp);
    return next;
  };
}

/** A whole number in 0..2^31-1 from ASCII digits, or -1. */
function parseId(bytes: Buffer, start: number, end: number): number {
  if (start === end || end - start > 10) return -1;
  let value = 0;
  for (let p = start; p < end; p++) {
    const digit = bytes[p] - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value > MAX_ID ? -1 : value;
}

const POWERS_OF_TEN = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
const DECIMAL = /^-?\d+(\.\d+)?$/;

/** `-?digits(.digits)?` as a number, or NaN. Short fields are parsed in place; long ones via Number. */
function parseDecimal(bytes: Buffer, start: number, end: number): number {
  if (end - start > 15) {
    const text = bytes.toString('latin1', start, end);
    const value = DECIMAL.test(text) ? Number(text) : NaN;
    return Number.isFinite(value) ? value : NaN;
  }
  let p = start;
  const negative = p < end && bytes[p] === 45; // '-'
  if (negative) p++;
  const digitsStart = p;
  let whole = 0;
  while (p < end) {
    const digit = bytes[p] - 48;
    if (digit < 0 || digit > 9) break;
    whole = whole * 10 + digit;
    p++;
  }
  if (p === digitsStart) return NaN;
  let value = whole;
  if (p < end) {
    if (bytes[p] !== 46) return NaN; // '.'
    p++;
    const fractionStart = p;
    let fraction = 0;
    while (p < end) {
      const digit = bytes[p] - 48;
      if (digit < 0 || digit > 9) return NaN;
      fraction = fraction * 10 + digit;
      p++;
    }
    if (p === fractionStart) return NaN;
    value += fraction / POWERS_OF_TEN[p - fractionStart];
  }
  return negative ? -value : value;
}

/** Why `text` is not acceptable as the field `name`. */
function describeBadNumber(name: string, text: string, mustBeId: boolean): string {
  const value = Number(text);
  if (text.trim() === '') return `${name} is empty`;
  if (/^[+-]?(nan|inf(inity)?)$/i.test(text.trim())) return `${name} "${text}" is not finite`;
  if (Number.isNaN(value)) return `${name} "${text}" is not a number`;
  if (!Number.isFinite(value)) return `${name} "${text}" is not finite`;
  if (mustBeId) return `${name} "${text}" is not a whole number from 0 to ${MAX_ID}`;
  if (name === 'rating' && DECIMAL.test(text) && !isFloat32Finite(value)) return `${name} "${text}" is outside the float32 range (magnitude <= ${FLOAT32_MAX})`;
  return `${name} "${text}" is not a plain decimal number`;
}

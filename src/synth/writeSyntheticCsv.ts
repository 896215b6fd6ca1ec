/**
 * Writes a synthetic rating matrix as a MovieLens "ml-latest" folder (`ratings.csv`,
 * `movies.csv`), so every command that reads MovieLens can read it too.
 *
 * Mapping from the CSR matrix:
 * - userId = row + 1, movieId = column + 1 (MovieLens ids start at 1);
 * - rating = the stored value, which must be an integer >= 0 (the generator makes 1..5);
 * - timestamp = 1000000000 + the entry's index in CSR order. The generator has no time, so this is
 *   simply deterministic and distinct: within a user, later timestamps mean larger movie ids, so a
 *   temporal leave-last-out split holds out each user's highest-numbered item (item ids are a
 *   random permutation of popularity ranks, so that is not a popularity bias);
 * - movies.csv lists every column, titled `Synthetic item N (2000)` with genre `(no genres listed)`.
 *
 * Lines end in `\n`, no field needs quoting. Output is streamed in chunks with backpressure and
 * written into a temporary sibling folder that is renamed into place only when complete.
 */
import { createWriteStream } from 'node:fs';
import { chmod, mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AlsrecError, invalidOption } from '../errors.js';
import type { Csr } from '../matrix/csr.js';

/** First timestamp written; entry p of the CSR matrix gets SYNTHETIC_TIMESTAMP_BASE + p. */
export const SYNTHETIC_TIMESTAMP_BASE = 1_000_000_000;

/** Bytes per chunk handed to the stream. */
const CHUNK_BYTES = 1 << 20;
/** Longest ratings line: four numbers below 2^32 (10 digits each), two id prefixes, three commas and '\n'. */
const MAX_LINE_BYTES = 46;

/** Options of {@link writeSyntheticCsv}. */
export interface WriteSyntheticCsvOptions {
  /** Replace `dir` if it exists (default false: an existing `dir` is an error). */
  readonly overwrite?: boolean;
  /**
   * Write ids as strings, `u<row+1>` and `i<column+1>` (in ratings.csv and movies.csv alike), to
   * exercise the string-id path of the generic loader (`--data .../ratings.csv --user-col userId
   * --item-col movieId`); MovieLens readers refuse such a folder. Default false.
   */
  readonly stringIds?: boolean;
  /** Called after each chunk of ratings with the number of ratings written and the total. */
  readonly onProgress?: (written: number, total: number) => void;
}

/**
 * Writes `m` (users x items) to the folder `dir` as `ratings.csv` and `movies.csv`.
 * The folder appears complete or not at all: files go to a temporary sibling folder first,
 * which is renamed to `dir` at the end and removed on failure. With `overwrite`, an existing
 * `dir` is moved aside just before the rename and deleted after it.
 *
 * @example
 * await writeSyntheticCsv(generateSynthetic(SYNTH_PRESETS['synth-1m']), 'data/synth-1m');
 */
export async function writeSyntheticCsv(m: Csr, dir: string, options: WriteSyntheticCsvOptions = {}): Promise<void> {
  for (let p = 0; p < m.indptr[m.rows]!; p++) {
    const value = m.data[p]!;
    if (!Number.isInteger(value) || value < 0) throw invalidOption(`rating at entry ${p}`, 'an integer >= 0', value);
  }
  const target = resolve(dir);
  const exists = await pathExists(target);
  if (exists && options.overwrite !== true) {
    throw new AlsrecError(`Output folder ${dir} already exists; remove it or allow overwriting`);
  }
  await mkdir(dirname(target), { recursive: true });
  const temp = await mkdtemp(join(dirname(target), `.${basename(target)}.tmp-`));
  try {
    await chmod(temp, 0o755); // mkdtemp creates it private (0700); the result is an ordinary folder
    await writeLines(join(temp, 'ratings.csv'), ratingsChunks(m, options.onProgress, options.stringIds === true));
    await writeLines(join(temp, 'movies.csv'), moviesChunks(m.cols, options.stringIds === true));
    if (exists) {
      const old = `${temp}-old`;
      await rename(target, old);
      await rename(temp, target);
      await rm(old, { recursive: true, force: true });
    } else {
      await rename(temp, target);
    }
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
}

async function pathExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** Streams chunks to a new file; `pipeline` waits for 'drain' when the file lags. */
async function writeLines(path: string, chunks: Iterable<Buffer | string>): Promise<void> {
  await pipeline(Readable.from(chunks, { highWaterMark: 2 }), createWriteStream(path, { flags: 'wx' }));
}

/**
 * ratings.csv in chunks of about 1 MiB, the digits written straight into each Buffer: 10M lines
 * as template strings cost several times the time and heap.
 */
function* ratingsChunks(m: Csr, onProgress: WriteSyntheticCsvOptions['onProgress'], stringIds: boolean): Generator<Buffer | string> {
  const total = m.indptr[m.rows]!;
  yield 'userId,movieId,rating,timestamp\n';
  let buf = Buffer.allocUnsafe(CHUNK_BYTES);
  let at = 0;
  for (let row = 0; row < m.rows; row++) {
    for (let p = m.indptr[row]!; p < m.indptr[row + 1]!; p++) {
      if (stringIds) buf[at++] = USER_PREFIX;
      at = writeDigits(buf, at, row + 1);
      buf[at++] = COMMA;
      if (stringIds) buf[at++] = ITEM_PREFIX;
      at = writeDigits(buf, at, m.indices[p]! + 1);
      buf[at++] = COMMA;
      at = writeDigits(buf, at, m.data[p]!);
      buf[at++] = COMMA;
      at = writeDigits(buf, at, SYNTHETIC_TIMESTAMP_BASE + p);
      buf[at++] = NEWLINE;
      if (at > CHUNK_BYTES - MAX_LINE_BYTES) {
        yield buf.subarray(0, at);
        onProgress?.(p + 1, total);
        buf = Buffer.allocUnsafe(CHUNK_BYTES);
        at = 0;
      }
    }
  }
  yield buf.subarray(0, at);
  onProgress?.(total, total);
}

const COMMA = 0x2c;
const NEWLINE = 0x0a;
const ZERO = 0x30;
const USER_PREFIX = 0x75; // 'u'
const ITEM_PREFIX = 0x69; // 'i'

/** Writes the decimal digits of an integer 0 <= n < 2^53 at buf[at..]; returns the end. */
function writeDigits(buf: Buffer, at: number, n: number): number {
  let digits = 1;
  for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
  for (let i = at + digits - 1; i >= at; i--) {
    buf[i] = ZERO + (n % 10);
    n = Math.floor(n / 10);
  }
  return at + digits;
}

function* moviesChunks(items: number, stringIds: boolean): Generator<string> {
  let chunk = 'movieId,title,genres\n';
  const prefix = stringIds ? 'i' : '';
  for (let id = 1; id <= items; id++) {
    chunk += `${prefix}${id},Synthetic item ${id} (2000),(no genres listed)\n`;
    if (id % 65_536 === 0) {
      yield chunk;
      chunk = '';
    }
  }
  yield chunk;
}

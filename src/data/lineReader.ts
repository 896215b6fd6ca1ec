/**
 * Streams a file as lines of bytes, without building a string per line: the ratings readers parse
 * numbers straight out of the chunk buffer, and only a line that turns out to be bad is decoded
 * (to quote it in the error).
 */
import { basename } from 'node:path';
import { DataFormatError } from '../errors.js';
import { openRegularFile } from './openRegularFile.js';

/** Progress of a file being read: bytes consumed so far out of the file's size. */
export interface ReadProgress {
  /** Base name of the file, e.g. `ratings.csv`. */
  readonly file: string;
  readonly bytesRead: number;
  readonly totalBytes: number;
}

/**
 * Called once per line. `bytes[start, end)` is the line without its `\n` and without a trailing
 * `\r` (so LF and CRLF files read the same). The buffer is reused: copy what must outlive the call.
 * `lineNumber` counts from 1.
 */
export type LineHandler = (bytes: Buffer, start: number, end: number, lineNumber: number) => void;

export interface ReadLinesOptions {
  readonly onProgress?: (progress: ReadProgress) => void;
  /** Size of one read; lines longer than this grow the buffer (up to the line cap). */
  readonly chunkBytes?: number;
  /** Longest line accepted, in bytes without the line end. Default {@link MAX_LINE_BYTES}. */
  readonly maxLineBytes?: number;
}

/**
 * The longest line any alsrec input may have: 1 MiB. MovieLens lines are under 1 KiB; the cap
 * bounds memory when a file is not text at all (a file without newlines, /dev/zero behind a
 * symlink), where the buffer would otherwise double until the process aborts.
 */
export const MAX_LINE_BYTES = 1 << 20;

const LF = 0x0a;
const CR = 0x0d;
const DEFAULT_CHUNK_BYTES = 1 << 20;

/**
 * Reads `path` line by line with fixed memory (one chunk buffer, grown only for a longer line,
 * never past the line cap). A UTF-8 byte-order mark at the start of the file is skipped. A final
 * line without `\n` is still delivered; an empty file delivers no lines. Resolves to the number of
 * lines delivered.
 *
 * @throws DataFormatError naming the file for a path that is not a regular file (FIFO, device,
 *   folder), cannot be opened, or has a line longer than `maxLineBytes` (naming `file:line`).
 *
 * @example
 * ```ts
 * let count = 0;
 * await readLines('data/ml-100k/u.data', (bytes, start, end) => { if (end > start) count++; });
 * ```
 */
export async function readLines(path: string, onLine: LineHandler, options: ReadLinesOptions = {}): Promise<number> {
  const { handle, size: totalBytes } = await openRegularFile(path, (problem) => {
    throw new DataFormatError(path, undefined, problem);
  });
  try {
    const file = basename(path);
    const maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES;
    const tooLong = (line: number): never => {
      throw new DataFormatError(path, line, `line longer than ${describeBytes(maxLineBytes)} (is this a text file?)`);
    };
    let buffer = Buffer.allocUnsafe(Math.min(options.chunkBytes ?? DEFAULT_CHUNK_BYTES, maxLineBytes + 1));
    // buffer[0, filled) holds bytes read but not yet delivered: always the start of one line.
    let filled = 0;
    let bytesRead = 0;
    let lineNumber = 0;
    for (;;) {
      if (filled === buffer.length) {
        // Never past maxLineBytes + 1: a buffer that full holds no newline, so the line is too long.
        const grown = Buffer.allocUnsafe(Math.min(buffer.length * 2, maxLineBytes + 1));
        buffer.copy(grown, 0, 0, filled);
        buffer = grown;
      }
      const { bytesRead: n } = await handle.read(buffer, filled, buffer.length - filled, null);
      if (n === 0) break;
      bytesRead += n;
      let start = 0;
      const end = filled + n;
      // Only the new bytes can hold a newline; the carried-over prefix had none.
      let newline = buffer.indexOf(LF, filled);
      while (newline !== -1 && newline < end) {
        const lineEnd = newline > start && buffer[newline - 1] === CR ? newline - 1 : newline;
        lineNumber++;
        if (newline - start > maxLineBytes) tooLong(lineNumber);
        onLine(buffer, lineNumber === 1 ? afterBom(buffer, start, lineEnd) : start, lineEnd, lineNumber);
        start = newline + 1;
        newline = start < end ? buffer.indexOf(LF, start) : -1;
      }
      filled = end - start;
      if (filled > maxLineBytes) tooLong(lineNumber + 1);
      if (start > 0 && filled > 0) buffer.copy(buffer, 0, start, end);
      options.onProgress?.({ file, bytesRead, totalBytes });
    }
    if (filled > 0) {
      const lineEnd = buffer[filled - 1] === CR ? filled - 1 : filled;
      lineNumber++;
      onLine(buffer, lineNumber === 1 ? afterBom(buffer, 0, lineEnd) : 0, lineEnd, lineNumber);
    }
    return lineNumber;
  } finally {
    await handle.close();
  }
}

/** `start`, moved past a UTF-8 byte-order mark when the line begins with one. */
function afterBom(buffer: Buffer, start: number, end: number): number {
  return end - start >= 3 && buffer[start] === 0xef && buffer[start + 1] === 0xbb && buffer[start + 2] === 0xbf ? start + 3 : start;
}

/** `1 MiB` for whole mebibytes, else `N bytes`. */
function describeBytes(n: number): string {
  return n % (1 << 20) === 0 ? `${n / (1 << 20)} MiB` : `${n} bytes`;
}

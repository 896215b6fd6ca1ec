/**
 * Streams a file as lines of bytes, without building a string per line: the ratings readers parse
 * numbers straight out of the chunk buffer, and only a line that turns out to be bad is decoded
 * (to quote it in the error).
 */
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { DataFormatError } from '../errors.js';

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
  /** Size of one read; lines longer than this grow the buffer. */
  readonly chunkBytes?: number;
}

const LF = 0x0a;
const CR = 0x0d;
const DEFAULT_CHUNK_BYTES = 1 << 20;

/**
 * Reads `path` line by line with fixed memory (one chunk buffer, grown only for a longer line).
 * A UTF-8 byte-order mark at the start of the file is skipped. A final line without `\n` is still
 * delivered; an empty file delivers no lines. Resolves to the number of lines delivered.
 *
 * @example
 * ```ts
 * let count = 0;
 * await readLines('data/ml-100k/u.data', (bytes, start, end) => { if (end > start) count++; });
 * ```
 */
export async function readLines(path: string, onLine: LineHandler, options: ReadLinesOptions = {}): Promise<number> {
  const handle = await openForReading(path);
  try {
    const totalBytes = (await handle.stat()).size;
    const file = basename(path);
    let buffer = Buffer.allocUnsafe(options.chunkBytes ?? DEFAULT_CHUNK_BYTES);
    // buffer[0, filled) holds bytes read but not yet delivered: always the start of one line.
    let filled = 0;
    let bytesRead = 0;
    let lineNumber = 0;
    for (;;) {
      if (filled === buffer.length) {
        const grown = Buffer.allocUnsafe(buffer.length * 2);
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
        onLine(buffer, lineNumber === 1 ? afterBom(buffer, start, lineEnd) : start, lineEnd, lineNumber);
        start = newline + 1;
        newline = start < end ? buffer.indexOf(LF, start) : -1;
      }
      filled = end - start;
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

async function openForReading(path: string) {
  try {
    return await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DataFormatError(path, undefined, 'file not found');
    throw new DataFormatError(path, undefined, `cannot be read (${code ?? String(error)})`);
  }
}

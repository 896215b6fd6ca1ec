/**
 * A text file as a sequence of byte chunks: read as is, or inflated when it is gzip. Inflation
 * runs in zlib's stream, which does its work on libuv's thread pool, off the main thread.
 */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { createGunzip } from 'node:zlib';
import { DataFormatError } from '../../errors.js';
import type { ReadProgress } from '../lineReader.js';
import { openRegularFile } from '../openRegularFile.js';

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;
const PLAIN_CHUNK_BYTES = 8 << 20;
const INFLATED_CHUNK_BYTES = 1 << 20;

/** An opened text source. */
export interface TextSource {
  readonly compressed: boolean;
  /** Bytes on disk. */
  readonly fileBytes: number;
  /** Best estimate of the text's size (gzip's trailer for a compressed file; exact otherwise). */
  readonly textBytes: number;
  /** The text, chunk by chunk (a chunk may be reused after the next one is asked for). */
  chunks(): AsyncGenerator<Buffer>;
}

/**
 * Opens `path` (a regular file no larger than `maxFileBytes`), detecting gzip by its magic bytes.
 * @throws DataFormatError naming the file when it cannot be opened, is not a regular file or is too large.
 * @example
 * ```ts
 * const source = await openTextSource('events.csv.gz', 2 ** 34);
 * for await (const chunk of source.chunks()) console.log(chunk.length);
 * ```
 */
export async function openTextSource(path: string, maxFileBytes: number, onProgress?: (progress: ReadProgress) => void): Promise<TextSource> {
  const { handle, size } = await openRegularFile(path, (problem) => {
    throw new DataFormatError(path, undefined, problem);
  });
  const fail = (problem: string): never => {
    throw new DataFormatError(path, undefined, problem);
  };
  let compressed = false;
  let textBytes = size;
  try {
    if (size > maxFileBytes) fail(`file is ${size.toLocaleString('en-US')} bytes, more than the limit of ${maxFileBytes.toLocaleString('en-US')}`);
    const head = Buffer.alloc(2);
    await handle.read(head, 0, 2, 0);
    compressed = size >= 18 && head[0] === GZIP_MAGIC_0 && head[1] === GZIP_MAGIC_1;
    if (compressed) {
      // ISIZE, the last 4 bytes: the inflated size mod 2^32 (of the last member). A hint for
      // preallocation only; below the compressed size it has wrapped, so assume a 4x ratio.
      const trailer = Buffer.alloc(4);
      await handle.read(trailer, 0, 4, size - 4);
      const isize = trailer.readUInt32LE(0);
      textBytes = isize >= size ? isize : size * 4;
    }
  } finally {
    await handle.close();
  }
  const file = basename(path);
  return {
    compressed,
    fileBytes: size,
    textBytes,
    chunks: compressed ? () => inflatedChunks(path, size, file, onProgress) : () => plainChunks(path, size, file, onProgress),
  };
}

async function* plainChunks(path: string, size: number, file: string, onProgress?: (progress: ReadProgress) => void): AsyncGenerator<Buffer> {
  const { handle } = await openRegularFile(path, (problem) => {
    throw new DataFormatError(path, undefined, problem);
  });
  try {
    // Two buffers in turn: the consumer may still hold the previous chunk while the next is read.
    const buffers = [Buffer.allocUnsafe(Math.min(PLAIN_CHUNK_BYTES, Math.max(1, size))), Buffer.allocUnsafe(Math.min(PLAIN_CHUNK_BYTES, Math.max(1, size)))];
    let bytesRead = 0;
    for (let turn = 0; ; turn ^= 1) {
      const buffer = buffers[turn]!;
      const { bytesRead: n } = await handle.read(buffer, 0, buffer.length, null);
      if (n === 0) return;
      bytesRead += n;
      onProgress?.({ file, bytesRead, totalBytes: size });
      yield buffer.subarray(0, n);
    }
  } finally {
    await handle.close();
  }
}

async function* inflatedChunks(path: string, size: number, file: string, onProgress?: (progress: ReadProgress) => void): AsyncGenerator<Buffer> {
  const input = createReadStream(path, { highWaterMark: 1 << 20 });
  const gunzip = createGunzip({ chunkSize: INFLATED_CHUNK_BYTES });
  input.on('error', (error) => gunzip.destroy(error));
  input.pipe(gunzip);
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      onProgress?.({ file, bytesRead: input.bytesRead, totalBytes: size });
      yield chunk;
    }
  } catch (error) {
    const problem = (error as NodeJS.ErrnoException).code?.startsWith('Z_') ? `is not valid gzip (${(error as Error).message})` : `cannot be read: ${(error as Error).message}`;
    throw new DataFormatError(path, undefined, problem);
  } finally {
    input.destroy();
    gunzip.destroy();
  }
}

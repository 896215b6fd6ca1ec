/**
 * Crash-safe file replacement: write a temporary file in the destination's folder, fsync it,
 * rename it over the destination, fsync the folder. rename(2) within one file system is atomic,
 * so a reader (or a crash at any point) sees either the old file or the complete new one, never
 * a mix. The temporary name starts with a dot and ends in `.tmp`, so a leftover from a killed
 * process is never mistaken for the destination.
 */
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { AlsrecError } from '../errors.js';

export interface AtomicWriteOptions {
  /**
   * Test hook: runs after the data is written and fsynced, just before the rename. A throw here
   * aborts the write (the temporary file is removed and the destination is untouched).
   */
  readonly beforeRename?: () => void | Promise<void>;
}

/** The temporary path used for `path`: `.<name>.<pid>.<random>.tmp` in the same folder. */
export function temporaryPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * A file being written that only appears at its destination on {@link AtomicFile.commit}.
 *
 * @example
 * const out = await AtomicFile.open('recs.csv');
 * try {
 *   await out.write('userId,rank\n');
 *   await out.commit();
 * } catch (err) {
 *   await out.abort();
 *   throw err;
 * }
 */
export class AtomicFile {
  private handle: FileHandle | null;
  private done = false;

  private constructor(readonly path: string, readonly temporaryPath: string, handle: FileHandle, private readonly options: AtomicWriteOptions) {
    this.handle = handle;
  }

  /** Creates the temporary file next to `path` (the folder must exist). */
  static async open(path: string, options: AtomicWriteOptions = {}): Promise<AtomicFile> {
    const temporaryPath = temporaryPathFor(path);
    let handle: FileHandle;
    try {
      handle = await open(temporaryPath, 'wx', 0o644);
    } catch (err) {
      // Name the destination, not the temporary file the user never asked for.
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      throw new AlsrecError(`Cannot write ${path}: ${code === 'ENOENT' ? 'its folder does not exist' : `${code} in its folder`}`, 'ERR_ALSREC_WRITE');
    }
    return new AtomicFile(path, temporaryPath, handle, options);
  }

  /** Appends `data` (a string is written as UTF-8). */
  async write(data: string | Uint8Array): Promise<void> {
    const handle = this.live();
    if (typeof data === 'string') await handle.write(data, null, 'utf8');
    else await writeAll(handle, [data]);
  }

  /** Appends several byte chunks with vectored writes (no concatenation copy). */
  async writeChunks(chunks: readonly Uint8Array[]): Promise<void> {
    await writeAll(this.live(), chunks);
  }

  /** fsync, close, rename over the destination, fsync the folder. */
  async commit(): Promise<void> {
    const handle = this.live();
    try {
      await handle.sync();
      await handle.close();
      this.handle = null;
      await this.options.beforeRename?.();
      await rename(this.temporaryPath, this.path);
      this.done = true;
    } catch (err) {
      await this.abort();
      throw err;
    }
    await syncFolder(dirname(this.path));
  }

  /** Closes and removes the temporary file; the destination is left as it was. Never throws. */
  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.handle?.close().catch(() => undefined);
    this.handle = null;
    await unlink(this.temporaryPath).catch(() => undefined);
  }

  private live(): FileHandle {
    if (this.done || this.handle === null) throw new Error(`${this.path}: the atomic write is already finished`);
    return this.handle;
  }
}

/**
 * Replaces `path` with `chunks`, atomically.
 * @example await writeFileAtomic('model.alsrec', [header, body]);
 */
export async function writeFileAtomic(path: string, chunks: readonly Uint8Array[], options: AtomicWriteOptions = {}): Promise<void> {
  const file = await AtomicFile.open(path, options);
  try {
    await file.writeChunks(chunks);
  } catch (err) {
    await file.abort();
    throw err;
  }
  await file.commit();
}

/** writev in groups (IOV_MAX is 1024 on Linux), continuing after short writes. */
async function writeAll(handle: FileHandle, chunks: readonly Uint8Array[]): Promise<void> {
  const pending = chunks.filter((c) => c.byteLength > 0);
  while (pending.length > 0) {
    const group = pending.slice(0, 512);
    const total = group.reduce((s, c) => s + c.byteLength, 0);
    const { bytesWritten } = await handle.writev(group);
    if (bytesWritten === total) {
      pending.splice(0, group.length);
      continue;
    }
    // Short write: drop what was written and retry with the remainder.
    let left = bytesWritten;
    while (left > 0 && left >= pending[0]!.byteLength) left -= pending.shift()!.byteLength;
    if (left > 0) pending[0] = pending[0]!.subarray(left);
  }
}

/** Makes the rename durable. Some file systems cannot fsync a folder; that is not an error. */
async function syncFolder(folder: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch {
    // EISDIR/EINVAL/EPERM on platforms without folder fsync: the rename itself already happened.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

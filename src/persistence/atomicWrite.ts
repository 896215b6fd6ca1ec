/**
 * Crash-safe file replacement: write a temporary file in the destination's folder, fsync it,
 * rename it over the destination, fsync the folder. rename(2) within one file system is atomic,
 * so a reader (or a crash at any point) sees either the old file or the complete new one, never
 * a mix. The temporary name starts with a dot and ends in `.tmp`, so a leftover from a killed
 * process is never mistaken for the destination.
 *
 * Leftovers: on SIGINT, SIGTERM or SIGHUP (and at exit) the process removes its own temporary
 * files before it dies; a writer killed with SIGKILL cannot, so every write first removes the
 * temporary files of the same destination whose process id is no longer alive.
 */
import { unlinkSync } from 'node:fs';
import { open, readdir, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AlsrecError } from '../errors.js';
import { nodeCrypto } from '../lazyBuiltins.js';

export interface AtomicWriteOptions {
  /**
   * Test hook: runs after the data is written and fsynced, just before the rename. A throw here
   * aborts the write (the temporary file is removed and the destination is untouched).
   */
  readonly beforeRename?: () => void | Promise<void>;
}

/** The temporary path used for `path`: `.<name>.<pid>.<random>.tmp` in the same folder. */
export function temporaryPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${nodeCrypto().randomBytes(4).toString('hex')}.tmp`);
}

/** Temporary files of this process not yet renamed or removed. */
const liveTemporaries = new Set<string>();
const CLEANUP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function track(temporaryPath: string): void {
  if (liveTemporaries.size === 0) {
    for (const signal of CLEANUP_SIGNALS) process.on(signal, removeThenDie);
    process.on('exit', removeLiveTemporaries);
  }
  liveTemporaries.add(temporaryPath);
}

function untrack(temporaryPath: string): void {
  liveTemporaries.delete(temporaryPath);
  if (liveTemporaries.size === 0) stopWatching();
}

function stopWatching(): void {
  for (const signal of CLEANUP_SIGNALS) process.off(signal, removeThenDie);
  process.off('exit', removeLiveTemporaries);
}

/** Synchronous: it runs in a signal or exit handler, where nothing asynchronous completes. */
function removeLiveTemporaries(): void {
  for (const path of liveTemporaries) {
    try {
      unlinkSync(path);
    } catch {
      // Already gone (renamed or removed): nothing to clean.
    }
  }
  liveTemporaries.clear();
}

function removeThenDie(signal: NodeJS.Signals): void {
  removeLiveTemporaries();
  stopWatching();
  // With no other listener the signal would have killed the process: re-raise it so it still does
  // (exit status 128 + n, as the shell expects). Another listener (a server's graceful shutdown)
  // keeps the say.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

/**
 * Removes leftovers `.<name>.<pid>.<hex>.tmp` of `path` whose writer process is gone (killed with
 * SIGKILL, or by a crash): they can never be completed. A live process's file is left alone.
 */
async function removeStaleTemporaries(path: string): Promise<void> {
  const folder = dirname(path);
  const prefix = `.${basename(path)}.`;
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return; // the open that follows reports the folder's problem
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const match = /^(\d+)\.[0-9a-f]{8}\.tmp$/.exec(name.slice(prefix.length));
    if (match === null) continue;
    const pid = Number(match[1]);
    if (pid === process.pid || isAlive(pid)) continue;
    await unlink(join(folder, name)).catch(() => undefined);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by someone else
  }
}

/**
 * The error to report for a failed write of `path`: a file-system error becomes one line naming
 * the destination (never the temporary file); any other error is returned as it is.
 * @example writeError('m.alsrec', enospcError).message // 'Cannot write m.alsrec: no space left on the device (ENOSPC)'
 */
export function writeError(path: string, err: unknown): Error {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (!(err instanceof Error) || typeof code !== 'string' || (err as NodeJS.ErrnoException).syscall === undefined) {
    return err instanceof Error ? err : new Error(String(err));
  }
  const problems: Record<string, string> = {
    ENOENT: 'its folder does not exist',
    ENOSPC: 'no space left on the device (ENOSPC)',
    EDQUOT: 'the disk quota is exceeded (EDQUOT)',
    EISDIR: 'it is a folder (EISDIR)',
    EACCES: 'permission denied (EACCES)',
    EPERM: 'permission denied (EPERM)',
    EROFS: 'the file system is read-only (EROFS)',
    ENOTDIR: 'a part of its path is not a folder (ENOTDIR)',
    EIO: 'an input/output error (EIO)',
  };
  return new AlsrecError(`Cannot write ${path}: ${problems[code] ?? `${code} (${err.message})`}`, 'ERR_ALSREC_WRITE');
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
    await removeStaleTemporaries(path);
    const temporaryPath = temporaryPathFor(path);
    let handle: FileHandle;
    try {
      handle = await open(temporaryPath, 'wx', 0o644);
    } catch (err) {
      // Name the destination, not the temporary file the user never asked for.
      throw writeError(path, err);
    }
    track(temporaryPath);
    return new AtomicFile(path, temporaryPath, handle, options);
  }

  /** Appends `data` (a string is written as UTF-8). */
  async write(data: string | Uint8Array): Promise<void> {
    const handle = this.live();
    try {
      if (typeof data === 'string') await handle.write(data, null, 'utf8');
      else await writeAll(handle, [data]);
    } catch (err) {
      throw writeError(this.path, err);
    }
  }

  /** Appends several byte chunks with vectored writes (no concatenation copy). */
  async writeChunks(chunks: readonly Uint8Array[]): Promise<void> {
    try {
      await writeAll(this.live(), chunks);
    } catch (err) {
      throw writeError(this.path, err);
    }
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
      untrack(this.temporaryPath);
    } catch (err) {
      await this.abort();
      throw writeError(this.path, err);
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
    untrack(this.temporaryPath);
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
  // Pieces of at most 1 GiB, groups of at most 1 GiB: a writev of 2 GiB or more repeated data
  // without end (a 2.25 GB factor section grew the file past 43 GB before it was stopped).
  const pending = chunks.flatMap((c) => piecesOf(c, WRITE_PIECE_BYTES));
  while (pending.length > 0) {
    // At most 512 buffers (IOV_MAX) and 1 GiB per call: libuv writes a whole writev before it
    // returns and Node reports the count as an int32, so a larger total wraps and looks short.
    let count = 0;
    let bytes = 0;
    while (count < pending.length && count < 512 && (count === 0 || bytes + pending[count]!.byteLength <= WRITE_PIECE_BYTES)) {
      bytes += pending[count]!.byteLength;
      count++;
    }
    const group = pending.slice(0, count);
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

const WRITE_PIECE_BYTES = 1 << 30;

/** `bytes` as consecutive views of at most `size` bytes (none for an empty array). */
function piecesOf(bytes: Uint8Array, size: number): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  for (let p = 0; p < bytes.byteLength; p += size) pieces.push(bytes.subarray(p, Math.min(bytes.byteLength, p + size)));
  return pieces;
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

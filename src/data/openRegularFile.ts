/**
 * Opens an input file for reading, refusing anything that is not a regular file. Every input of
 * alsrec (data files, ratings files, update files, model files) is opened through here, so a FIFO
 * cannot block a command forever, `/dev/zero` or `/dev/urandom` cannot feed it endless bytes, and a
 * folder or a symlink loop is reported as what it is.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/** An open regular file and its size in bytes. */
export interface OpenedFile {
  readonly handle: FileHandle;
  readonly size: number;
}

/**
 * Opens `path` read-only. `fail(problem)` is called (and must throw) with a phrase that completes
 * "`path`: ...", e.g. `is a FIFO (named pipe), not a regular file` or `file not found`.
 *
 * O_NONBLOCK makes opening a FIFO return at once instead of waiting for a writer; it has no
 * effect on reads of a regular file, the only kind that gets past the check.
 *
 * @example
 * ```ts
 * const { handle, size } = await openRegularFile('u.data', (p) => { throw new DataFormatError('u.data', undefined, p); });
 * ```
 */
export async function openRegularFile(path: string, fail: (problem: string) => never): Promise<OpenedFile> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return fail(openProblem(error as NodeJS.ErrnoException));
  }
  let stats: Stats;
  try {
    stats = await handle.stat();
  } catch (error) {
    await handle.close();
    return fail(`cannot be read: ${(error as Error).message}`);
  }
  const kind = notRegular(stats);
  if (kind !== null) {
    await handle.close();
    return fail(kind);
  }
  return { handle, size: stats.size };
}

/**
 * {@link openRegularFile} with synchronous calls, for a caller that reads a small file whole and
 * would otherwise pay a thread-pool round trip per call (the model loader). Returns a descriptor.
 */
export function openRegularFileSync(path: string, fail: (problem: string) => never): { readonly fd: number; readonly size: number } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return fail(openProblem(error as NodeJS.ErrnoException));
  }
  let stats: Stats;
  try {
    stats = fstatSync(fd);
  } catch (error) {
    closeSync(fd);
    return fail(`cannot be read: ${(error as Error).message}`);
  }
  const kind = notRegular(stats);
  if (kind !== null) {
    closeSync(fd);
    return fail(kind);
  }
  return { fd, size: stats.size };
}

/** Why a file of this kind is refused, or null for a regular file. */
export function notRegular(stats: Stats): string | null {
  if (stats.isFile()) return null;
  if (stats.isDirectory()) return 'is a folder, not a file';
  if (stats.isFIFO()) return 'is a FIFO (named pipe), not a regular file';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'is a device, not a regular file';
  if (stats.isSocket()) return 'is a socket, not a regular file';
  return 'is not a regular file';
}

/** The errno of a failed open in words. */
export function openProblem(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return 'file not found';
    case 'EACCES':
    case 'EPERM':
      return `cannot be read: permission denied (${error.code})`;
    case 'ELOOP':
      return 'cannot be read: a symbolic link loop (ELOOP)';
    case 'ENOTDIR':
      return 'cannot be read: a part of the path is not a folder (ENOTDIR)';
    case 'ENAMETOOLONG':
      return 'cannot be read: the path is too long (ENAMETOOLONG)';
    default:
      return `cannot be read (${error.code ?? error.message})`;
  }
}

/**
 * Whether `path` names a directory entry at all (lstat: a dangling symlink or a symlink loop
 * counts), so that a broken ratings file is opened and reported as what it is rather than
 * treated as absent.
 */
export function hasEntry(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

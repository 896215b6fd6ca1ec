/**
 * The CLI's one error handler: an expected error becomes one line on stderr and an exit code
 * (1 runtime, 2 usage); anything unexpected keeps its stack, since it is a bug to report.
 */
import { CommanderError } from 'commander';
import { AlsrecError, InvalidOptionError, escapeControlCharacters } from '../errors.js';

export const EXIT_OK = 0;
export const EXIT_RUNTIME = 1;
export const EXIT_USAGE = 2;

export function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  if (err instanceof InvalidOptionError) return EXIT_USAGE;
  return EXIT_RUNTIME;
}

/** Prints `err` for a person and returns the exit code to set. */
export function reportError(err: unknown, stderr: NodeJS.WritableStream = process.stderr): number {
  const code = exitCodeFor(err);
  if (err instanceof CommanderError) return code; // commander has printed its own message
  if (err instanceof AlsrecError || isSystemError(err) || isCodedAlsrecError(err)) {
    stderr.write(`alsrec: ${escapeControlCharacters((err as Error).message)}\n`);
  } else if (isOutOfMemory(err)) {
    stderr.write(`alsrec: out of memory (${(err as Error).message}); use a smaller -n, fewer factors or a machine with more memory\n`);
  } else {
    stderr.write(`alsrec: unexpected error (please report it): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  return code;
}

/** An error from the native addon carrying an alsrec code (ERR_ALSREC_NATIVE_OUT_OF_MEMORY...). */
function isCodedAlsrecError(err: unknown): boolean {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string' && (err as NodeJS.ErrnoException).code!.startsWith('ERR_ALSREC_');
}

/** V8 could not allocate a typed array's memory: the input asked for more than there is. */
function isOutOfMemory(err: unknown): boolean {
  return err instanceof RangeError && /^Array buffer allocation failed$|^Invalid typed array length/.test(err.message);
}

/** File-system and network errors (ENOENT, EACCES, ECONNREFUSED...) are the user's to fix. */
function isSystemError(err: unknown): boolean {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string' && (err as NodeJS.ErrnoException).syscall !== undefined;
}

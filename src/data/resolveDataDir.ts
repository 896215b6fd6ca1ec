/** Where the MovieLens data is: `--data DIR`, else `MOVIELENS_DIR`, else `data/ml-100k`. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AlsrecError, invalidOption } from '../errors.js';
import { hasEntry } from './openRegularFile.js';

/** The folder used when neither `--data` nor `MOVIELENS_DIR` is given, relative to the working directory. */
export const DEFAULT_DATA_DIR = join('data', 'ml-100k');

/** Ratings files that mark a folder as holding a MovieLens release. */
const RATINGS_FILES = ['u.data', 'ratings.dat', 'ratings.csv'];

/**
 * Picks the data folder: `explicit` (from `--data`) when given, else the environment variable
 * `MOVIELENS_DIR` when set and non-empty, else `data/ml-100k`; relative paths resolve against the
 * working directory. The first source that is given is the only one tried (an explicit folder that
 * is wrong is an error, not a fallback). Returns an absolute path.
 *
 * @throws InvalidOptionError for an empty `explicit` (`--data ""` is a mistake, not "the default").
 * @throws AlsrecError when the chosen folder holds no MovieLens ratings file, saying how to get one.
 * @example
 * ```ts
 * const dir = resolveDataDir(options.data); // e.g. '/home/me/alsrec/data/ml-100k'
 * ```
 */
export function resolveDataDir(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit !== undefined && explicit.trim() === '') throw invalidOption('--data', 'a folder path', explicit);
  const fromEnv = env['MOVIELENS_DIR'];
  const [dir, source] =
    explicit !== undefined
      ? [explicit, '--data']
      : fromEnv !== undefined && fromEnv !== ''
        ? [fromEnv, 'MOVIELENS_DIR']
        : [DEFAULT_DATA_DIR, 'the default location'];
  const absolute = resolve(dir);
  if (RATINGS_FILES.some((file) => hasEntry(join(absolute, file)))) return absolute;
  const problem = existsSync(absolute) ? 'holds no MovieLens ratings file (u.data, ratings.dat or ratings.csv)' : 'does not exist';
  throw new AlsrecError(
    `No MovieLens data: ${absolute} (${source}) ${problem}. ` +
      `Run "alsrec download ml-100k" to fetch MovieLens 100K into ${DEFAULT_DATA_DIR}, ` +
      'or point MOVIELENS_DIR (or --data) at a folder holding a copy.',
    'ERR_ALSREC_NO_DATA',
  );
}

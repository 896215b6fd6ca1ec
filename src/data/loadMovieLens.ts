/**
 * Loads any MovieLens release into the columnar {@link Dataset}: finds the layout from the files
 * present, reads it, merges duplicate ratings and names movies the movies file lacks.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { AlsrecError, DataFormatError } from '../errors.js';
import type { Dataset, Movie, MovieLensFormat } from './dataset.js';
import type { ReadProgress } from './lineReader.js';
import { indexInteractions } from '../matrix/indexInteractions.js';
import { hasEntry } from './openRegularFile.js';
import type { RawMovieLens, ReadMovieLensOptions } from './rawMovieLens.js';
import { readMl100k } from './readMl100k.js';
import { readMlCsv } from './readMlCsv.js';
import { readMlDat } from './readMlDat.js';
import { datasetFromIndexed } from './datasetFromIndexed.js';

export type { ReadProgress } from './lineReader.js';

export interface LoadMovieLensOptions {
  /** Called after each chunk read from each file (`progress.file` names it). */
  readonly onProgress?: (progress: ReadProgress) => void;
  /**
   * Called after each phase of the load with its wall time and the bytes of the typed arrays it
   * allocated: `read + parse`, then the indexing phases of indexInteractions. For
   * `alsrec bench --phases` and `train --json`.
   */
  readonly onPhase?: (phase: string, seconds: number, bytes: number) => void;
}

interface Layout {
  readonly format: MovieLensFormat;
  readonly releases: string;
  readonly ratingsFile: string;
  readonly moviesFile: string;
  readonly read: (dir: string, options: ReadMovieLensOptions) => Promise<RawMovieLens>;
}

/** Checked in this order: the first layout whose ratings file exists is the one read. */
const LAYOUTS: readonly Layout[] = [
  { format: 'ml-100k', releases: 'ML-100K', ratingsFile: 'u.data', moviesFile: 'u.item', read: readMl100k },
  { format: 'ml-dat', releases: 'ML-1M, ML-10M', ratingsFile: 'ratings.dat', moviesFile: 'movies.dat', read: readMlDat },
  { format: 'ml-csv', releases: 'ml-latest, ml-latest-small, ml-20m, ml-25m', ratingsFile: 'ratings.csv', moviesFile: 'movies.csv', read: readMlCsv },
];

/** How many missing movie ids a warning lists before eliding the rest. */
const LISTED_IDS = 10;

/**
 * Reads the MovieLens dataset in `dir`, whichever release it is (ML-100K `u.data`; ML-1M/10M
 * `ratings.dat`; ml-latest/20M/25M `ratings.csv`).
 *
 * Ratings come back in file order after de-duplication: of several ratings of one (user, movie)
 * pair only the latest is kept (greatest timestamp; on a tie, the later line), at its own line's
 * position. A rated movie absent from the movies file gets the title `unknown movie N`. Both are
 * counted in `warnings`.
 *
 * @throws DataFormatError for a missing or malformed file, naming `file:line` and quoting the line.
 * @example
 * ```ts
 * const data = await loadMovieLens(resolveDataDir());
 * console.log(data.ratings.users.length, data.movies.get(50)?.title); // 100000 'Star Wars (1977)'
 * ```
 */
export async function loadMovieLens(dir: string, options: LoadMovieLensOptions = {}): Promise<Dataset> {
  const layout = detectLayout(dir);
  const moviesPath = join(dir, layout.moviesFile);
  if (!hasEntry(moviesPath)) {
    throw new DataFormatError(moviesPath, undefined,
      `required file is missing (${layout.releases} needs ${layout.ratingsFile} and ${layout.moviesFile})`);
  }
  const t0 = performance.now();
  const raw = await layout.read(dir, options);
  const warnings: string[] = [];
  const readBytes = raw.ratings.users.length * 20; // four columns: user and item ids, rating (4 B each), time (8 B)
  options.onPhase?.('read + parse', (performance.now() - t0) / 1000, readBytes);

  // Duplicates are found by the same ordering pass that builds the matrix: of each (user, movie)
  // pair the latest rating is the one `source` names. The parsed columns are handed over (the
  // matrix is built in their memory when the file is in order); the dataset's rating columns are
  // made from the matrix if a command reads them.
  const columns = raw.ratings;
  const n = columns.length;
  const indexed = indexInteractions({
    length: n,
    users: { kind: 'int', values: columns.users.subarray(0, n) },
    items: { kind: 'int', values: columns.items.subarray(0, n) },
    weights: columns.ratings.subarray(0, n),
    times: columns.timestamps.subarray(0, n),
  }, { aggregate: 'last', reuseInput: true, ...(options.onPhase === undefined ? {} : { onPhase: options.onPhase }) });
  const duplicatesMerged = indexed.duplicatesMerged;
  if (duplicatesMerged > 0) {
    warnings.push(`Merged ${plural(duplicatesMerged, 'duplicate (user, movie) rating')} in ${basename(raw.ratingsFile)}, keeping the latest of each pair`);
  }

  // A large release's movies are read by a worker while the ratings were indexed (readMlCsv):
  // `read titles` is what waiting for them cost this thread.
  const t1 = performance.now();
  const movies: Map<number, Movie> = await raw.movies;
  if (raw.moviesBeside) options.onPhase?.('read titles', (performance.now() - t1) / 1000, 0);
  const missing = missingMovieIds(indexed.interactions.items.ids as Int32Array, movies);
  if (missing.length > 0) {
    for (const id of missing) movies.set(id, { id, title: `unknown movie ${id}`, year: null, genres: [] });
    const listed = missing.slice(0, LISTED_IDS).join(', ') + (missing.length > LISTED_IDS ? ', ...' : '');
    warnings.push(`${plural(missing.length, 'rated movie')} missing from ${basename(raw.moviesFile)} (ids ${listed}), titled "unknown movie N"`);
  }
  return datasetFromIndexed({ dir, format: raw.format, movies, warnings }, indexed, n);
}

function detectLayout(dir: string): Layout {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new AlsrecError(`MovieLens folder ${dir} does not exist`, 'ERR_ALSREC_DATA');
  }
  const layout = LAYOUTS.find((candidate) => hasEntry(join(dir, candidate.ratingsFile)));
  if (layout === undefined) {
    const expected = LAYOUTS.map((candidate) => `${candidate.ratingsFile} (${candidate.releases})`).join(', ');
    throw new DataFormatError(dir, undefined, `no MovieLens ratings file; expected one of ${expected}`);
  }
  return layout;
}

/** The ids of `items` (distinct, ascending) that `movies` lacks. */
function missingMovieIds(items: Int32Array, movies: ReadonlyMap<number, Movie>): number[] {
  const missing: number[] = [];
  for (const item of items) if (!movies.has(item)) missing.push(item);
  return missing;
}

function plural(count: number, noun: string): string {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
}

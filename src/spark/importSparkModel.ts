/**
 * A Spark `ALSModel` folder as an alsrec model: the factors as they are (Spark scores a pair by
 * the dot product of its factors, as alsrec does), optionally with item titles and the training
 * interactions (so already-seen items are filtered and a user's history is served).
 *
 * Rows are ordered by ascending id on both sides, so where two items score exactly the same the
 * one with the smaller id ranks first (alsrec's tie rule is "smaller index first").
 */
import { basename } from 'node:path';
import type { Movie } from '../data/dataset.js';
import { readRatingsFile, type RatingsLayout } from '../data/readRatingsFile.js';
import { mergeDuplicateRatings } from '../data/mergeDuplicateRatings.js';
import { RatingColumnsBuilder } from '../data/ratingColumnsBuilder.js';
import { readLines } from '../data/lineReader.js';
import { ALS, type LoadOptions } from '../als/model.js';
import { IdMap } from '../matrix/idMap.js';
import { buildCsr, type Csr } from '../matrix/csr.js';
import type { RatingColumns } from '../data/dataset.js';
import { DataFormatError, invalidOption } from '../errors.js';
import { readSparkModel, type SparkModel } from './readSparkModel.js';
import { readTitlesFile } from './readTitlesFile.js';
import { readInteractionsParquet } from './interactionsParquet.js';
import { modelInfoNow } from '../persistence/modelInfo.js';

/** The largest rank alsrec's options allow (`factors`). */
const MAX_RANK = 4096;

export interface FromSparkOptions extends LoadOptions {
  /** A CSV file of item titles (`movieId,title[,genres]` with a header, e.g. MovieLens movies.csv). */
  items?: string;
  /**
   * The interactions Spark trained on: a `.parquet` file (`alsrec export-interactions`), MovieLens
   * `ratings.csv`, `ratings.dat` or `u.data`. Ratings of ids the model lacks are skipped (warned).
   */
  interactions?: string;
  /** One line per warning (skipped ratings, merged duplicates). Default: none. */
  onWarning?: (line: string) => void;
}

/**
 * Reads the Spark model folder `dir` (and the optional side files) into a fitted {@link ALS}.
 * @throws DataFormatError naming the file at fault; InvalidOptionError for bad options.
 * @example
 * const model = await importSparkModel('spark-als', { items: 'ml-25m/movies.csv' });
 * model.recommend(1, { n: 5 });
 */
export async function importSparkModel(dir: string, options: FromSparkOptions = {}): Promise<ALS> {
  if (options === null || typeof options !== 'object') throw invalidOption('options', 'an object', options);
  for (const key of ['items', 'interactions'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'string') throw invalidOption(key, 'a file path', options[key]);
  }
  const spark = await readSparkModel(dir);
  const { rank } = spark.metadata;
  if (rank > MAX_RANK) throw new DataFormatError(`${dir}/metadata/part-00000`, undefined, `rank ${rank} is larger than the ${MAX_RANK} factors alsrec supports`);
  const users = IdMap.fromOrderedIds(spark.users.ids);
  const items = IdMap.fromOrderedIds(spark.items.ids);
  const movies: Map<number, Movie> = options.items === undefined ? new Map() : await readTitlesFile(options.items);
  const liked = options.interactions === undefined
    ? emptyCsr(users.size, items.size)
    : likedFrom(await readInteractions(options.interactions, options.onWarning), spark, users, items, options.interactions, options.onWarning);
  const runtime: LoadOptions = {};
  if (options.backend !== undefined) runtime.backend = options.backend;
  if (options.threads !== undefined) runtime.threads = options.threads;
  const { timestamp, sparkVersion } = spark.metadata;
  // Spark's save time is the training run's end: /health reports it as the model's training time.
  const info = timestamp === undefined ? undefined : { ...modelInfoNow(new Date(timestamp)), sparkVersion };
  return ALS.fromState(
    { users, items, liked, movies, userFactors: spark.users.factors, itemFactors: spark.items.factors, ...(info === undefined ? {} : { info }) },
    // Spark's metadata records only the rank; the other options are unknown, and iterations 0 says
    // the factors were not trained here.
    { factors: rank, iterations: 0, ...runtime },
  );
}

/** users x items with no entries: nothing to filter, no history. */
function emptyCsr(rows: number, cols: number): Csr {
  return { rows, cols, indptr: new Int32Array(rows + 1), indices: new Int32Array(0), data: new Float32Array(0) };
}

const LAYOUTS: ReadonlyArray<{ test: (firstLine: string) => boolean; layout: RatingsLayout }> = [
  { test: (l) => l === 'userId,movieId,rating,timestamp', layout: { separator: ',', separatorName: 'comma-separated', header: 'userId,movieId,rating,timestamp', encoding: 'utf8' } },
  { test: (l) => l.includes('::'), layout: { separator: '::', separatorName: '"::"-separated', encoding: 'latin1' } },
  { test: (l) => l.includes('\t'), layout: { separator: '\t', separatorName: 'tab-separated', encoding: 'latin1' } },
];

/**
 * The ratings of an interactions file: `.parquet` (`alsrec export-interactions`), MovieLens
 * `ratings.csv`, `ratings.dat` or `u.data`, duplicates merged (warned). Shared with `evaluate --model`.
 * @example const ratings = await readInteractions("test.parquet", console.warn);
 */
export async function readInteractions(file: string, onWarning: FromSparkOptions['onWarning']): Promise<RatingColumns> {
  let builder: RatingColumnsBuilder;
  if (file.endsWith('.parquet')) {
    const columns = await readInteractionsParquet(file);
    builder = new RatingColumnsBuilder(Math.max(1, columns.users.length));
    for (let j = 0; j < columns.users.length; j++) builder.push(columns.users[j]!, columns.items[j]!, columns.ratings[j]!, columns.timestamps[j]!);
  } else {
    const first = await firstLine(file);
    const match = LAYOUTS.find((l) => l.test(first));
    if (match === undefined) {
      throw new DataFormatError(file, 1, 'is not a ratings file alsrec knows (a .parquet file, ratings.csv with the header userId,movieId,rating,timestamp, ratings.dat or u.data)', first);
    }
    builder = await readRatingsFile(file, match.layout);
  }
  const merged = mergeDuplicateRatings(builder);
  if (merged > 0) onWarning?.(`Merged ${merged} duplicate (user, item) ratings in ${basename(file)}, keeping the latest of each pair`);
  return builder.finish();
}

async function firstLine(file: string): Promise<string> {
  let line = '';
  const stop = new Error('first line read');
  try {
    await readLines(file, (bytes, start, end) => {
      line = bytes.toString('utf8', start, end);
      throw stop;
    });
  } catch (err) {
    if (err !== stop) throw err;
  }
  return line;
}

/** The training interactions as `liked`, in the model's indices; unknown ids are skipped. */
function likedFrom(ratings: RatingColumns, spark: SparkModel, users: IdMap, items: IdMap, file: string, onWarning: FromSparkOptions['onWarning']): Csr {
  const n = ratings.users.length;
  const rows = new Int32Array(n);
  const cols = new Int32Array(n);
  const values = new Float32Array(n);
  let kept = 0;
  for (let j = 0; j < n; j++) {
    const r = users.tryIndex(ratings.users[j]!);
    const c = items.tryIndex(ratings.items[j]!);
    if (r < 0 || c < 0) continue;
    rows[kept] = r;
    cols[kept] = c;
    values[kept++] = ratings.ratings[j]!;
  }
  if (kept < n) {
    onWarning?.(`Skipped ${n - kept} of ${n} ratings in ${basename(file)} whose user or item is not in the Spark model (${spark.users.ids.length} users, ${spark.items.ids.length} items)`);
  }
  return buildCsr(rows.subarray(0, kept), cols.subarray(0, kept), values.subarray(0, kept), users.size, items.size);
}

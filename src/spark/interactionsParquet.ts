/**
 * Ratings as one snappy Parquet file for Spark: `user: int32, item: int32, rating: float,
 * timestamp: int64` (seconds), all required. `user`, `item` and `rating` are the column names
 * Spark's ALS reads by default (`userCol`, `itemCol`, `ratingCol`), so
 * `ALS().fit(spark.read.parquet("ratings.parquet"))` needs no renaming.
 */
import { readFileSync, statSync } from 'node:fs';
import { parquetMetadata, parquetRead, parquetSchema } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { RatingColumns } from '../data/dataset.js';
import { DataFormatError } from '../errors.js';
import { SPARK_ROW_METADATA_KEY } from './factorParquet.js';

/** Spark's Catalyst schema of the ratings file (what `spark.read.parquet` reports). */
export const INTERACTIONS_ROW_METADATA = '{"type":"struct","fields":[{"name":"user","type":"integer","nullable":false,"metadata":{}},{"name":"item","type":"integer","nullable":false,"metadata":{}},{"name":"rating","type":"float","nullable":false,"metadata":{}},{"name":"timestamp","type":"long","nullable":false,"metadata":{}}]}';

const INTERACTIONS_SCHEMA = [
  { name: 'spark_schema', num_children: 4 },
  { type: 'INT32', repetition_type: 'REQUIRED', name: 'user' },
  { type: 'INT32', repetition_type: 'REQUIRED', name: 'item' },
  { type: 'FLOAT', repetition_type: 'REQUIRED', name: 'rating' },
  { type: 'INT64', repetition_type: 'REQUIRED', name: 'timestamp' },
] as const;

/** Rows per row group: about 20 MB of column data, so readers can split the file. */
const ROWS_PER_GROUP = 1_000_000;

/**
 * Encodes `ratings` as a Parquet file (bytes). Timestamps are rounded to whole seconds.
 * @example const bytes = encodeInteractionsParquet(dataset.ratings, 'alsrec 0.1.0');
 */
export function encodeInteractionsParquet(ratings: RatingColumns, createdBy: string): Uint8Array {
  const n = ratings.users.length;
  const timestamps = new BigInt64Array(n);
  for (let j = 0; j < n; j++) timestamps[j] = BigInt(Math.round(ratings.timestamps[j]!));
  const buffer = parquetWriteBuffer({
    schema: INTERACTIONS_SCHEMA.map((e) => ({ ...e })) as never,
    columnData: [
      { name: 'user', data: ratings.users },
      { name: 'item', data: ratings.items },
      { name: 'rating', data: ratings.ratings },
      { name: 'timestamp', data: timestamps },
    ],
    codec: 'SNAPPY',
    rowGroupSize: ROWS_PER_GROUP,
    kvMetadata: [{ key: SPARK_ROW_METADATA_KEY, value: INTERACTIONS_ROW_METADATA }],
    createdBy,
  });
  return new Uint8Array(buffer);
}

/**
 * Reads a ratings Parquet file with integer `user` and `item` columns and a numeric `rating`
 * (an optional `timestamp` is read when present), such as {@link encodeInteractionsParquet} writes.
 * @throws DataFormatError naming `file` when it is not Parquet or lacks those columns.
 * @example const ratings = await readInteractionsParquet('ratings.parquet');
 */
export async function readInteractionsParquet(file: string): Promise<RatingColumns> {
  const fail = (problem: string): never => {
    throw new DataFormatError(file, undefined, problem);
  };
  if (statSync(file).size > 2 ** 31 - 1) fail('is larger than 2 GiB; split it');
  const bytes = readFileSync(file);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let metadata;
  try {
    metadata = parquetMetadata(buffer);
  } catch (err) {
    return fail(`is not a readable Parquet file (${(err as Error).message}); it may be truncated`);
  }
  const columns = new Map(parquetSchema(metadata).children.map((c) => [c.element.name, c.element.type]));
  for (const name of ['user', 'item'] as const) {
    const type = columns.get(name);
    if (type !== 'INT32') fail(type === undefined ? `has no "${name}" column (expected user, item, rating)` : `column "${name}" is ${type}, expected int32 ids`);
  }
  if (!['FLOAT', 'DOUBLE', 'INT32'].includes(columns.get('rating') ?? '')) fail('has no numeric "rating" column (expected user, item, rating)');
  const hasTime = columns.get('timestamp') === 'INT64' || columns.get('timestamp') === 'INT32';
  const wanted = hasTime ? ['user', 'item', 'rating', 'timestamp'] : ['user', 'item', 'rating'];
  const n = Number(metadata.num_rows);
  const out = { users: new Int32Array(n), items: new Int32Array(n), ratings: new Float32Array(n), timestamps: new Float64Array(n) };
  // hyparquet calls onChunk where a throw would not reach this function: note the first problem.
  let problem: string | null = null;
  try {
    await parquetRead({
      file: buffer,
      columns: wanted,
      onChunk: ({ columnName, columnData, rowStart, rowEnd }) => {
        if (problem !== null) return;
        if (rowEnd > n) {
          problem = `holds more rows than its footer declares (${n})`;
          return;
        }
        const target = columnName === 'user' ? out.users : columnName === 'item' ? out.items : columnName === 'rating' ? out.ratings : out.timestamps;
        for (let j = 0; j < columnData.length; j++) {
          const v = columnData[j] as number | bigint | null | undefined;
          if (v === null || v === undefined) {
            problem = `row ${rowStart + j + 1} has no ${columnName}`;
            return;
          }
          target[rowStart + j] = Number(v);
        }
      },
    });
  } catch (err) {
    fail(`cannot be read as Parquet (${(err as Error).message}); the file may be truncated or corrupted`);
  }
  if (problem !== null) fail(problem);
  return out;
}

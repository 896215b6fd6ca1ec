/** Paths and helpers shared by the Spark interop tests. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { ALS } from '../../src/als/model.js';
import { IdMap } from '../../src/matrix/idMap.js';
import { mulberry32 } from '../../src/als/initialFactors.js';

/** The real Spark 3.5.5 model folder (../shared relative to the repository root). */
export const SPARK_FIXTURE = join(process.cwd(), '..', 'shared', 'fixtures', 'spark-als-3.5.5');
export const hasSparkFixture = existsSync(join(SPARK_FIXTURE, 'metadata', 'part-00000'));
if (!hasSparkFixture) console.log(`Spark fixture tests skipped: ${SPARK_FIXTURE} is absent`);

/** The Parquet part files of one side folder, by name. */
export function partFiles(dir: string): string[] {
  return readdirSync(dir).filter((n) => n.endsWith('.parquet') && !n.startsWith('.')).sort().map((n) => join(dir, n));
}

/**
 * Every (id, features) row of a side folder read by hyparquet's general row reader (not the fast
 * path under test), features as float64 numbers exactly equal to the stored float32 values.
 */
export async function readSideIndependently(dir: string): Promise<Map<number, number[]>> {
  const rows = new Map<number, number[]>();
  for (const file of partFiles(dir)) {
    const bytes = readFileSync(file);
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    for (const row of await parquetReadObjects({ file: buffer })) rows.set(row.id as number, row.features as number[]);
  }
  return rows;
}

/** A small fitted-looking model with seeded random factors (ids deliberately not contiguous). */
export function smallModel(users = 7, items = 11, k = 4, seed = 1): ALS {
  const next = mulberry32(seed);
  const userIds = Int32Array.from({ length: users }, (_, j) => 3 * j + 1);
  const itemIds = Int32Array.from({ length: items }, (_, j) => 1000 - 7 * j).sort();
  return ALS.fromState({
    users: IdMap.fromOrderedIds(userIds),
    items: IdMap.fromOrderedIds(itemIds),
    liked: { rows: users, cols: items, indptr: new Int32Array(users + 1), indices: new Int32Array(0), data: new Float32Array(0) },
    movies: new Map(),
    userFactors: Float32Array.from({ length: users * k }, () => next() - 0.5),
    itemFactors: Float32Array.from({ length: items * k }, () => next() - 0.5),
  }, { factors: k, iterations: 0 });
}

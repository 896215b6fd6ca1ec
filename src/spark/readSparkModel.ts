/**
 * Reads a saved Spark `ALSModel` folder (Spark 2.x/3.x): `metadata/part-00000`, then the
 * Parquet part files of `userFactors/` and `itemFactors/`, checked against the metadata's rank.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DataFormatError } from '../errors.js';
import { MAX_METADATA_BYTES, parseSparkModelMetadata, type SparkModelMetadata } from './sparkModelMetadata.js';
import { readFactorSide, type FactorSide } from './factorParquet.js';

export interface SparkModel {
  readonly metadata: SparkModelMetadata;
  /** Users, ascending id. */
  readonly users: FactorSide;
  /** Items, ascending id. */
  readonly items: FactorSide;
}

/**
 * @throws DataFormatError naming the file at fault (see {@link parseSparkModelMetadata} and
 *   {@link readFactorSide}), or the folder when it is not a Spark model folder at all.
 * @example const { metadata, users, items } = await readSparkModel('spark-als-3.5.5');
 */
export async function readSparkModel(dir: string): Promise<SparkModel> {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new DataFormatError(dir, undefined, 'no such folder (expected a Spark ALSModel folder)');
  }
  if (!isDir) throw new DataFormatError(dir, undefined, 'is not a folder (expected a Spark ALSModel folder with metadata/, userFactors/ and itemFactors/)');
  const metadataFile = join(dir, 'metadata', 'part-00000');
  let size: number;
  try {
    size = statSync(metadataFile).size;
  } catch {
    throw new DataFormatError(metadataFile, undefined, 'is missing: not a saved Spark model (ALSModel.save writes metadata/part-00000)');
  }
  if (size > MAX_METADATA_BYTES) throw new DataFormatError(metadataFile, undefined, `is ${size} bytes; Spark model metadata is one short JSON line`);
  const metadata = parseSparkModelMetadata(readFileSync(metadataFile, 'utf8'), metadataFile);
  const users = await readFactorSide(join(dir, 'userFactors'), metadata.rank);
  const items = await readFactorSide(join(dir, 'itemFactors'), metadata.rank);
  return { metadata, users, items };
}

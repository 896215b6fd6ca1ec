/**
 * The `metadata/part-00000` file of a saved Spark `ALSModel`: one line of JSON written by Spark's
 * `DefaultParamsWriter.saveMetadata` (keys in this order: class, timestamp, sparkVersion, uid,
 * paramMap, defaultParamMap from Spark 2.4, then the model's extra `rank`), read back by
 * `DefaultParamsReader.loadMetadata`, which checks `class` and reads `rank`.
 */
import { randomBytes } from 'node:crypto';
import { DataFormatError } from '../errors.js';

/** The class name Spark checks on load (`ALSModelReader.className`). */
export const ALS_MODEL_CLASS = 'org.apache.spark.ml.recommendation.ALSModel';

/** What alsrec uses from a Spark model's metadata. */
export interface SparkModelMetadata {
  readonly rank: number;
  readonly sparkVersion: string;
  readonly uid: string;
  /** Explicitly set params (userCol, itemCol, coldStartStrategy, predictionCol, blockSize). */
  readonly paramMap: Readonly<Record<string, unknown>>;
  /** When Spark saved the model (ms since the epoch), if the metadata says. */
  readonly timestamp?: number;
}

/** Largest metadata file accepted: Spark's is a few hundred bytes. */
export const MAX_METADATA_BYTES = 1 << 20;

/**
 * Parses and checks the text of `metadata/part-00000` (`file` names it in errors).
 * @throws DataFormatError naming `file` for invalid JSON, a class other than ALSModel, a missing
 *   or invalid rank or sparkVersion.
 * @example parseSparkModelMetadata(readFileSync('m/metadata/part-00000', 'utf8'), 'm/metadata/part-00000').rank // 13
 */
export function parseSparkModelMetadata(text: string, file: string): SparkModelMetadata {
  const fail = (problem: string): never => {
    throw new DataFormatError(file, undefined, problem);
  };
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  if (lines.length !== 1) fail(`expected one line of JSON (Spark model metadata) but found ${lines.length} lines`);
  let value: unknown;
  try {
    value = JSON.parse(lines[0]!);
  } catch (err) {
    fail(`is not valid JSON (${(err as Error).message})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail('is not a JSON object');
  const m = value as Record<string, unknown>;
  if (m.class === undefined) fail(`has no "class"; expected "${ALS_MODEL_CLASS}"`);
  if (m.class !== ALS_MODEL_CLASS) fail(`"class" is ${JSON.stringify(m.class)}, not an ALS model (expected "${ALS_MODEL_CLASS}")`);
  const rank = m.rank;
  if (!Number.isInteger(rank) || (rank as number) < 1 || (rank as number) > 100_000) {
    fail(`"rank" must be a positive integer but is ${JSON.stringify(rank)}`);
  }
  const sparkVersion = m.sparkVersion;
  if (typeof sparkVersion !== 'string' || !/^\d+\.\d+/.test(sparkVersion)) fail(`"sparkVersion" must be a version such as "3.5.5" but is ${JSON.stringify(sparkVersion)}`);
  const paramMap = m.paramMap;
  if (paramMap !== undefined && (paramMap === null || typeof paramMap !== 'object' || Array.isArray(paramMap))) fail('"paramMap" is not a JSON object');
  return {
    rank: rank as number,
    sparkVersion: sparkVersion as string,
    uid: typeof m.uid === 'string' ? m.uid : '',
    paramMap: (paramMap ?? {}) as Record<string, unknown>,
    // Spark writes System.currentTimeMillis(); anything else is ignored (it is informational).
    ...(typeof m.timestamp === 'number' && Number.isSafeInteger(m.timestamp) && m.timestamp > 0 && m.timestamp < 8.64e15 ? { timestamp: m.timestamp } : {}),
  };
}

/** Spark 3.x's default values of an ALSModel's params (ALSModelParams: setDefault). */
const DEFAULT_PARAM_MAP = { userCol: 'user', itemCol: 'item', coldStartStrategy: 'nan', predictionCol: 'prediction', blockSize: 4096 } as const;

export interface SparkMetadataOptions {
  readonly rank: number;
  /** The Spark version the metadata layout follows (Spark's loader reads its major.minor). Default 3.5.5. */
  readonly sparkVersion?: string;
  /** Default `ALS_` + 12 random hex digits, the form PySpark gives. */
  readonly uid?: string;
  /** Default now. */
  readonly timestamp?: number;
}

/**
 * The metadata line Spark would write for an ALSModel of `rank` with default params: the keys in
 * Spark's order, one line ending in a newline (Spark saves it with `saveAsTextFile`).
 * @example formatSparkModelMetadata({ rank: 13 }) // '{"class":"org.apache.spark.ml.recommendation.ALSModel",...,"rank":13}\n'
 */
export function formatSparkModelMetadata(options: SparkMetadataOptions): string {
  const metadata = {
    class: ALS_MODEL_CLASS,
    timestamp: options.timestamp ?? Date.now(),
    sparkVersion: options.sparkVersion ?? '3.5.5',
    uid: options.uid ?? `ALS_${randomBytes(6).toString('hex')}`,
    paramMap: { ...DEFAULT_PARAM_MAP },
    defaultParamMap: { ...DEFAULT_PARAM_MAP },
    rank: options.rank,
  };
  return `${JSON.stringify(metadata)}\n`;
}

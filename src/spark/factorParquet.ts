/**
 * One side (`userFactors/` or `itemFactors/`) of a saved Spark `ALSModel`: snappy Parquet part
 * files of rows `(id: int, features: array<float>)`, as Spark's `ALSModelWriter` saves the factor
 * DataFrame with `write.format("parquet")`.
 *
 * The Parquet schema Spark 3.x writes for it (ParquetSchemaConverter, standard 3-level list):
 *
 *   message spark_schema {
 *     required int32 id;
 *     optional group features (LIST) { repeated group list { required float element; } }
 *   }
 *
 * plus the key-value metadata `org.apache.spark.version` and
 * `org.apache.spark.sql.parquet.row.metadata` (the Catalyst schema as JSON, which Spark's reader
 * prefers over the Parquet schema when present). Both are mirrored byte for byte here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parquetMetadata, parquetRead, parquetSchema, type FileMetaData, type SchemaTree } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { DataFormatError } from '../errors.js';
import { decodeFeatureColumn, IrregularRowError } from './decodeFeatureColumn.js';

/** Spark's Catalyst schema of a factor DataFrame, as `ParquetWriteSupport` stores it. */
export const FACTOR_ROW_METADATA = '{"type":"struct","fields":[{"name":"id","type":"integer","nullable":false,"metadata":{}},{"name":"features","type":{"type":"array","elementType":"float","containsNull":false},"nullable":true,"metadata":{}}]}';

/** The key Spark's ParquetWriteSupport stores the Catalyst schema under. */
export const SPARK_ROW_METADATA_KEY = 'org.apache.spark.sql.parquet.row.metadata';

/** The Parquet schema Spark writes for a factor DataFrame (flattened, as in FileMetaData). */
const FACTOR_SCHEMA = [
  { name: 'spark_schema', num_children: 2 },
  { type: 'INT32', repetition_type: 'REQUIRED', name: 'id' },
  { repetition_type: 'OPTIONAL', name: 'features', num_children: 1, converted_type: 'LIST', logical_type: { type: 'LIST' } },
  { repetition_type: 'REPEATED', name: 'list', num_children: 1 },
  { type: 'FLOAT', repetition_type: 'REQUIRED', name: 'element' },
] as const;

/** Largest part file read (a Buffer's practical limit); Spark's are ~128 MB at most by default. */
const MAX_PART_BYTES = 2 ** 31 - 1;

/** One side's factors, rows in ascending id order. */
export interface FactorSide {
  readonly ids: Int32Array;
  /** Row-major ids.length x rank. */
  readonly factors: Float32Array;
}

/**
 * The part files of a side folder: every regular file whose name does not start with `.` or `_`
 * (Hadoop's hidden-file rule, so `_SUCCESS` and `.crc` files are skipped), sorted by name.
 * @throws DataFormatError naming `dir` when it is missing, not a folder, or holds no part file.
 * @example listPartFiles('model/userFactors') // ['model/userFactors/part-00000-....snappy.parquet', ...]
 */
export function listPartFiles(dir: string): string[] {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new DataFormatError(dir, undefined, 'is not a folder; a Spark ALSModel has userFactors/ and itemFactors/ folders');
    names = readdirSync(dir);
  } catch (err) {
    if (err instanceof DataFormatError) throw err;
    throw new DataFormatError(dir, undefined, `is missing (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); a Spark ALSModel has metadata/, userFactors/ and itemFactors/`);
  }
  const parts = names.filter((n) => !n.startsWith('.') && !n.startsWith('_') && statSync(join(dir, n)).isFile()).sort();
  if (parts.length === 0) throw new DataFormatError(dir, undefined, 'holds no Parquet part files');
  return parts.map((n) => join(dir, n));
}

/**
 * Reads every part file of one side, checks each against Spark's factor schema and `rank`, and
 * returns the rows sorted by id.
 * @throws DataFormatError naming the part file: not Parquet or truncated, no `id` int32 column,
 *   features that are not a list of float, a row whose length is not `rank`, a null or non-finite
 *   feature, or an id that already appeared (in the same or another part file).
 * @example const users = await readFactorSide('model/userFactors', 13);
 */
export async function readFactorSide(dir: string, rank: number): Promise<FactorSide> {
  const files = listPartFiles(dir);
  const opened = files.map((file) => openPart(file));
  const total = opened.reduce((s, p) => s + Number(p.metadata.num_rows), 0);
  if (total * rank > 2 ** 32 - 1) throw new DataFormatError(dir, undefined, `has ${total} rows of ${rank} features, more than one Float32Array can hold`);
  const ids = new Int32Array(total);
  const fileOf = new Int32Array(total);
  const values = new Float32Array(total * rank);
  let base = 0;
  for (const [j, part] of opened.entries()) {
    checkFactorSchema(part.metadata, part.file);
    const rows = Number(part.metadata.num_rows);
    await readPartColumns(part, rank, ids.subarray(base, base + rows), values.subarray(base * rank, (base + rows) * rank));
    fileOf.fill(j, base, base + rows);
    base += rows;
  }
  const side = sortById(ids, values, rank);
  // Sorted, a repeated id sits next to itself: name both files it came from.
  for (let r = 1; r < side.ids.length; r++) {
    if (side.ids[r] === side.ids[r - 1]) {
      const [a, b] = [fileOf[side.order[r - 1]!]!, fileOf[side.order[r]!]!].sort((x, y) => x - y);
      const id = side.ids[r]!;
      throw new DataFormatError(files[b!]!, undefined, a === b ? `id ${id} appears twice` : `id ${id} appears in both ${files[a!]} and this file`);
    }
  }
  return { ids: side.ids, factors: side.factors };
}

/** Fills `ids` and `values` (rows x rank) from one part file, checking every row. */
async function readPartColumns(part: OpenedPart, rank: number, ids: Int32Array, values: Float32Array): Promise<void> {
  const fail = (problem: string): never => {
    throw new DataFormatError(part.file, undefined, problem);
  };
  const rows = ids.length;
  let idRows = 0;
  let featureRows = 0;
  let fast = false;
  try {
    await parquetRead({
      file: part.buffer,
      columns: ['id'],
      onChunk: ({ columnData, rowStart, rowEnd }) => {
        if (rowEnd > rows) return; // counted as a mismatch below
        for (let r = rowStart; r < rowEnd; r++) ids[r] = columnData[r - rowStart] as number;
        idRows += rowEnd - rowStart;
      },
    });
    try {
      fast = decodeFeatureColumn(part.buffer, part.metadata, rank, values);
    } catch (err) {
      if (!(err instanceof IrregularRowError)) throw err;
      const id = ids[err.row];
      if (err.problem === 'null') fail(`the row with id ${id} has no features (null)`);
      if (err.length === 0) fail(`the row with id ${id} has an empty features list or a null feature`);
      fail(`the row with id ${id} has ${err.length} features but the model's rank is ${rank} (mixed ranks)`);
    }
    if (fast) {
      featureRows = rows;
    } else {
      // hyparquet calls onChunk where a throw would not reach this function: note the first
      // problem and report it after the read.
      let problem: string | null = null;
      await parquetRead({ file: part.buffer, columns: ['features'], onChunk: ({ columnData, rowStart, rowEnd }) => {
        if (problem !== null) return;
        problem = copyFeatureRows(columnData as ArrayLike<unknown>, rowStart, rowEnd, ids, rank, values);
        featureRows += rowEnd - rowStart;
      } });
      if (problem !== null) fail(problem);
    }
  } catch (err) {
    if (err instanceof DataFormatError) throw err;
    fail(`cannot be read as Parquet (${(err as Error).message}); the file may be truncated or corrupted`);
  }
  if (idRows !== rows || featureRows !== rows) fail(`holds ${Math.min(idRows, featureRows)} complete rows but its footer declares ${rows}; the file may be truncated`);
  for (let p = 0; p < values.length; p++) {
    // x - x is 0 for a finite number, NaN for NaN and the infinities.
    if (values[p]! - values[p]! !== 0) fail(`the row with id ${ids[Math.floor(p / rank)]} has a feature that is not a finite float (${values[p]})`);
  }
}

/** Copies rows [rowStart, rowEnd) of a decoded features column; returns the first problem or null. */
function copyFeatureRows(columnData: ArrayLike<unknown>, rowStart: number, rowEnd: number, ids: Int32Array, rank: number, values: Float32Array): string | null {
  if (rowEnd > ids.length) return `holds more rows than its footer declares (${ids.length})`;
  for (let r = rowStart; r < rowEnd; r++) {
    const f = columnData[r - rowStart] as ArrayLike<unknown> | null | undefined;
    if (f === null || f === undefined) return `the row with id ${ids[r]} has no features (null)`;
    if (f.length !== rank) return `the row with id ${ids[r]} has ${f.length} features but the model's rank is ${rank} (mixed ranks)`;
    for (let a = 0; a < rank; a++) {
      const x = f[a];
      if (typeof x !== 'number') return `the row with id ${ids[r]} has a feature that is not a float (${String(x)})`;
      values[r * rank + a] = x;
    }
  }
  return null;
}

interface OpenedPart {
  readonly file: string;
  readonly buffer: ArrayBuffer;
  readonly metadata: FileMetaData;
}

function openPart(file: string): OpenedPart {
  const size = statSync(file).size;
  if (size > MAX_PART_BYTES) throw new DataFormatError(file, undefined, `is ${size} bytes, larger than the ${MAX_PART_BYTES} bytes one part file may have`);
  const bytes = readFileSync(file);
  // A large file gets its own ArrayBuffer: use it as it is rather than copy it.
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  const buffer = (whole ? bytes.buffer : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) as ArrayBuffer;
  try {
    return { file, buffer, metadata: parquetMetadata(buffer) };
  } catch (err) {
    throw new DataFormatError(file, undefined, `is not a readable Parquet file (${(err as Error).message}); it may be truncated`);
  }
}

/** Checks the columns against Spark's factor schema: `id` int32 and `features` a list of float. */
function checkFactorSchema(metadata: FileMetaData, file: string): void {
  const fail = (problem: string): never => {
    throw new DataFormatError(file, undefined, problem);
  };
  const root = parquetSchema(metadata);
  const child = (name: string): SchemaTree | undefined => root.children.find((c) => c.element.name === name);
  const id = child('id');
  if (id === undefined) fail('has no "id" column; expected Spark factor rows (id: int, features: array<float>)');
  if (id!.element.type !== 'INT32' || id!.children.length > 0 || id!.element.repetition_type === 'REPEATED') {
    fail(`column "id" is ${describe(id!)}, expected int32 (Spark ids are 32-bit integers)`);
  }
  const features = child('features');
  if (features === undefined) fail('has no "features" column; expected Spark factor rows (id: int, features: array<float>)');
  let leaf = features!;
  while (leaf.children.length === 1) leaf = leaf.children[0]!;
  const isList = features!.element.converted_type === 'LIST' || features!.element.logical_type?.type === 'LIST' || features!.element.repetition_type === 'REPEATED';
  if (!isList || leaf.children.length > 0 || leaf === features) fail(`column "features" is ${describe(features!)}, expected a list of float`);
  if (leaf.element.type !== 'FLOAT') fail(`column "features" holds ${leaf.element.type ?? 'groups'} values, expected float (Spark factors are float32)`);
}

function describe(node: SchemaTree): string {
  if (node.children.length > 0) return `a group (${node.element.converted_type ?? node.element.logical_type?.type ?? 'struct'})`;
  return `${node.element.type ?? 'untyped'} (${node.element.repetition_type ?? 'REQUIRED'})`;
}

/**
 * The rows reordered by ascending id (`order[r]` is the old row of new row r). Equal ids end up
 * next to each other, for the caller's duplicate check.
 */
function sortById(ids: Int32Array, values: Float32Array, rank: number): FactorSide & { order: Uint32Array } {
  const sortedIds = ids.slice().sort();
  const order = new Uint32Array(ids.length);
  const filled = new Uint32Array(ids.length);
  for (let from = 0; from < ids.length; from++) {
    // The first slot of this id in sortedIds (binary search), plus how many rows took it already.
    const id = ids[from]!;
    let lo = 0;
    let hi = sortedIds.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sortedIds[mid]! < id) lo = mid + 1;
      else hi = mid;
    }
    order[lo + filled[lo]!++] = from;
  }
  const sorted = new Float32Array(values.length);
  for (let r = 0; r < order.length; r++) {
    const from = order[r]!;
    sorted.set(values.subarray(from * rank, (from + 1) * rank), r * rank);
  }
  return { ids: sortedIds, factors: sorted, order };
}

export interface FactorPartOptions {
  /** Written as `org.apache.spark.version`. */
  readonly sparkVersion: string;
  /** The file's `created_by`. */
  readonly createdBy: string;
}

/**
 * One snappy Parquet part file of factor rows `[start, end)` of `ids`/`factors`, with Spark's
 * schema and key-value metadata.
 * @example const bytes = encodeFactorPart(ids, factors, 13, 0, ids.length, { sparkVersion: '3.5.5', createdBy: 'alsrec' });
 */
export function encodeFactorPart(ids: Int32Array, factors: Float32Array, rank: number, start: number, end: number, options: FactorPartOptions): Uint8Array {
  const features: number[][] = [];
  for (let r = start; r < end; r++) features.push(Array.from(factors.subarray(r * rank, (r + 1) * rank)));
  const buffer = parquetWriteBuffer({
    schema: FACTOR_SCHEMA.map((e) => ({ ...e })) as never,
    columnData: [
      // PLAIN, as parquet-mr falls back to for factors: a dictionary would only pay off for
      // repeated values, and PLAIN pages take import's fast path (decodeFeatureColumn.ts).
      { name: 'id', data: ids.subarray(start, end), encoding: 'PLAIN' },
      { name: 'features', data: features, encoding: 'PLAIN' },
    ],
    codec: 'SNAPPY',
    rowGroupSize: Math.max(1, end - start),
    kvMetadata: [
      { key: 'org.apache.spark.version', value: options.sparkVersion },
      { key: SPARK_ROW_METADATA_KEY, value: FACTOR_ROW_METADATA },
    ],
    createdBy: options.createdBy,
  });
  return new Uint8Array(buffer);
}

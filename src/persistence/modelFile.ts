/**
 * The `.alsrec` model file, format versions 1 and 2 (specified in docs/model-format.md): a 32-byte
 * header, a table of sections, the sections (each starting at a multiple of 8 bytes, zero-padded),
 * and a SHA-256 of everything before it as a 32-byte trailer. Little-endian throughout. Typed
 * sections are read as views over one aligned buffer, so loading copies nothing.
 *
 * Version 2 differs only in allowing a side's ids as strings (USTR + USOF, ISTR + ISOF instead of
 * UIDS, IIDS); a model whose ids are all integers is still written as version 1, so readers from
 * before string ids keep reading it.
 *
 * Every check a file must pass is made here, once, on load: the kernels (TS and C++) trust the
 * id maps and the CSR after this.
 */
import type { Hash } from 'node:crypto';
import { closeSync, readSync } from 'node:fs';
import { endianness } from 'node:os';
import type { ItemInfo } from '../data/dataset.js';
import type { ExternalId } from '../data/rawInteractions.js';
import type { Solver } from '../als/backend.js';
import type { Csr } from '../matrix/csr.js';
import { IdMap, isWellFormedText, MAX_ID_LENGTH } from '../matrix/idMap.js';
import { resolveAlsOptions, type Convention, type ResolvedAlsOptions } from '../als/options.js';
import type { FittedState } from '../als/fittedState.js';
import { AlsrecError } from '../errors.js';
import { nodeCrypto } from '../lazyBuiltins.js';
import { trainingLossHistoryProblem, type TrainingLossHistory } from '../als/trainingLossHistory.js';
import { openRegularFile, openRegularFileSync } from '../data/openRegularFile.js';
import { writeFileAtomic, type AtomicWriteOptions } from './atomicWrite.js';
import { modelInfoProblem, type ModelInfo } from './modelInfo.js';

/** `\x89ALSREC\n`: the high byte and the newline catch text-mode transfers, as in PNG. */
export const MODEL_MAGIC = Uint8Array.of(0x89, 0x41, 0x4c, 0x53, 0x52, 0x45, 0x43, 0x0a);
/** The newest format this code reads (and writes when a side has string ids). */
export const MODEL_FORMAT_VERSION = 2;
/** The version written when every id is an integer: readable by alsrec before string ids. */
const INT_IDS_FORMAT_VERSION = 1;

const HEADER_BYTES = 32;
const TABLE_ENTRY_BYTES = 24;
const CHECKSUM_BYTES = 32;
/** META without the objective fields (every file before them; still written for the default objective). */
const META_BYTES = 64;
/** META with the objective fields (convention, regularizationExponent, unobservedWeight) appended. */
const META_OBJECTIVE_BYTES = 88;
const CONVENTIONS: readonly Convention[] = ['implicit', 'spark'];

/** Element types of the section table. */
const ElementType = { Bytes: 0, Int32: 1, Float32: 2, Json: 3 } as const;
type ElementType = (typeof ElementType)[keyof typeof ElementType];

/**
 * Section tags in file order; MOVI, EVAL, LOSS and INFO are optional. Readers skip tags they do not know.
 * Each side has its ids either as UIDS/IIDS (int32) or, from version 2, as a string table:
 * USTR/ISTR (the ids' UTF-8 bytes, concatenated) and USOF/ISOF (U + 1 byte offsets into it).
 */
const SECTION_TYPES: Readonly<Record<string, ElementType>> = {
  META: ElementType.Bytes,
  UIDS: ElementType.Int32,
  IIDS: ElementType.Int32,
  USTR: ElementType.Bytes,
  USOF: ElementType.Int32,
  ISTR: ElementType.Bytes,
  ISOF: ElementType.Int32,
  LPTR: ElementType.Int32,
  LIDX: ElementType.Int32,
  LVAL: ElementType.Float32,
  UFAC: ElementType.Float32,
  IFAC: ElementType.Float32,
  MOVI: ElementType.Json,
  EVAL: ElementType.Json,
  LOSS: ElementType.Json,
  INFO: ElementType.Json,
};
const REQUIRED = ['META', 'LPTR', 'LIDX', 'LVAL', 'UFAC', 'IFAC'] as const;
/** Per side: the int32 id section, or (version 2) the string table and its offsets. */
const ID_SECTIONS = [
  { side: 'user', ints: 'UIDS', strings: 'USTR', offsets: 'USOF' },
  { side: 'item', ints: 'IIDS', strings: 'ISTR', offsets: 'ISOF' },
] as const;
/** The longest string id in UTF-8 bytes: MAX_ID_LENGTH UTF-16 code units take at most 3 bytes each. */
const MAX_ID_BYTES = 3 * MAX_ID_LENGTH;
const SOLVERS: readonly Solver[] = ['cg', 'cholesky'];
const MAX_ID = 2147483647;

/** A model file that cannot be read; the message names the file. */
export class ModelFileError extends AlsrecError {
  readonly file: string;
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`, 'ERR_ALSREC_MODEL_FILE');
    this.file = file;
  }
}

/** The training options a model file records (the ones that shaped the factors). */
export type SavedTrainingOptions = Pick<
  ResolvedAlsOptions,
  'factors' | 'regularization' | 'alpha' | 'recencyHalfLife' | 'iterations' | 'solver' | 'cgSteps' | 'seed'
> &
  Partial<Pick<ResolvedAlsOptions, 'convention' | 'regularizationExponent' | 'unobservedWeight'>>;

/**
 * The options of `o` a model file records, objective included: ALS.save writes these, and the
 * server's checksum of an in-memory model encodes the same, so both match the file's trailer.
 * @example writeModelFile('m.alsrec', { ...model.state, options: savedTrainingOptions(model.options) });
 */
export function savedTrainingOptions(o: ResolvedAlsOptions): SavedTrainingOptions {
  return {
    factors: o.factors, regularization: o.regularization, alpha: o.alpha, recencyHalfLife: o.recencyHalfLife,
    convention: o.convention, regularizationExponent: o.regularizationExponent, unobservedWeight: o.unobservedWeight,
    iterations: o.iterations, solver: o.solver, cgSteps: o.cgSteps, seed: o.seed,
  };
}

/** Everything a model file holds: a fitted model's state and the options that shaped it. */
export interface ModelFileContents extends FittedState {
  readonly options: SavedTrainingOptions;
}

interface Section {
  readonly tag: string;
  readonly type: ElementType;
  readonly bytes: Uint8Array;
}

/**
 * Encodes `contents` as the chunks of a model file (views over the typed arrays where possible;
 * nothing large is copied). The last chunk is the SHA-256 trailer.
 */
export function encodeModelFile(contents: ModelFileContents): Uint8Array[] {
  assertLittleEndian('(encoding)');
  const { options: o, users, items, liked } = contents;
  const convention = o.convention ?? 'implicit';
  const exponent = o.regularizationExponent ?? 0;
  const unobservedWeight = o.unobservedWeight ?? 1;
  // Hu et al.'s objective keeps the 64-byte META, so such files stay readable by every reader;
  // any other objective appends its fields, which older readers refuse (META's length) rather
  // than silently fold users in under the wrong objective.
  const plainObjective = convention === 'implicit' && exponent === 0 && unobservedWeight === 1;
  const meta = new DataView(new ArrayBuffer(plainObjective ? META_BYTES : META_OBJECTIVE_BYTES));
  meta.setUint32(0, users.size, true);
  meta.setUint32(4, items.size, true);
  meta.setUint32(8, o.factors, true);
  meta.setUint32(12, SOLVERS.indexOf(o.solver), true);
  meta.setBigUint64(16, BigInt(liked.indptr[liked.rows] ?? 0), true);
  meta.setFloat64(24, o.regularization, true);
  meta.setFloat64(32, o.alpha, true);
  meta.setUint32(40, o.iterations, true);
  meta.setUint32(44, o.cgSteps, true);
  meta.setUint32(48, o.seed, true);
  meta.setFloat64(56, o.recencyHalfLife, true);
  if (!plainObjective) {
    meta.setUint32(64, CONVENTIONS.indexOf(convention), true);
    meta.setFloat64(72, exponent, true);
    meta.setFloat64(80, unobservedWeight, true);
  }

  const sections: Section[] = [
    { tag: 'META', type: ElementType.Bytes, bytes: new Uint8Array(meta.buffer) },
    ...idSections(users, 'U'),
    ...idSections(items, 'I'),
    { tag: 'LPTR', type: ElementType.Int32, bytes: bytesOf(liked.indptr) },
    { tag: 'LIDX', type: ElementType.Int32, bytes: bytesOf(liked.indices.subarray(0, liked.indptr[liked.rows])) },
    { tag: 'LVAL', type: ElementType.Float32, bytes: bytesOf(liked.data.subarray(0, liked.indptr[liked.rows])) },
    { tag: 'UFAC', type: ElementType.Float32, bytes: bytesOf(contents.userFactors) },
    { tag: 'IFAC', type: ElementType.Float32, bytes: bytesOf(contents.itemFactors) },
  ];
  if (contents.movies.size > 0) {
    const rows = [...contents.movies.values()].map((m) => [items.kind === 'string' ? String(m.id) : m.id, m.title, m.year, m.genres]);
    // A title of an id the item side cannot hold (a string on an integer side) would not load back.
    for (const [id] of rows) {
      if (items.kind === 'int' && typeof id !== 'number') throw new AlsrecError(`Cannot save the title of item ${JSON.stringify(id)}: the model's item ids are integers`, 'ERR_ALSREC_MODEL_FILE');
    }
    sections.push({ tag: 'MOVI', type: ElementType.Json, bytes: Buffer.from(JSON.stringify(rows), 'utf8') });
  }
  if (contents.evaluation !== undefined) {
    sections.push({ tag: 'EVAL', type: ElementType.Json, bytes: Buffer.from(JSON.stringify(contents.evaluation), 'utf8') });
  }
  if (contents.info !== undefined) {
    sections.push({ tag: 'INFO', type: ElementType.Json, bytes: Buffer.from(JSON.stringify(contents.info), 'utf8') });
  }

  if (contents.trainingLoss !== undefined) {
    const { loss, seconds } = contents.trainingLoss;
    sections.push({ tag: 'LOSS', type: ElementType.Json, bytes: Buffer.from(JSON.stringify({ loss, seconds }), 'utf8') });
  }

  const head = new Uint8Array(HEADER_BYTES + sections.length * TABLE_ENTRY_BYTES);
  const view = new DataView(head.buffer);
  head.set(MODEL_MAGIC, 0);
  view.setUint32(8, users.kind === 'int' && items.kind === 'int' ? INT_IDS_FORMAT_VERSION : MODEL_FORMAT_VERSION, true);
  view.setUint32(12, sections.length, true);
  const chunks: Uint8Array[] = [head];
  let offset = align8(head.byteLength);
  pushPadding(chunks, head.byteLength);
  sections.forEach((s, j) => {
    const entry = HEADER_BYTES + j * TABLE_ENTRY_BYTES;
    for (let c = 0; c < 4; c++) head[entry + c] = s.tag.charCodeAt(c);
    view.setUint32(entry + 4, s.type, true);
    view.setBigUint64(entry + 8, BigInt(offset), true);
    view.setBigUint64(entry + 16, BigInt(s.bytes.byteLength), true);
    chunks.push(s.bytes);
    pushPadding(chunks, s.bytes.byteLength);
    offset += align8(s.bytes.byteLength);
  });
  view.setBigUint64(16, BigInt(offset + CHECKSUM_BYTES), true);

  const hash = nodeCrypto().createHash('sha256');
  for (const c of chunks) updateInParts(hash, c);
  chunks.push(new Uint8Array(hash.digest()));
  return chunks;
}

/** One section table entry, checked: inside the body, 8-aligned, its tag's type. */
interface TableEntry {
  readonly tag: string;
  readonly offset: number;
  readonly length: number;
  /** Whether this reader knows the tag (unknown tags are hashed and skipped). */
  readonly known: boolean;
}

/**
 * Checks the 32-byte header (or as much of it as `fileSize` allows) against the file's size and
 * returns the section count. Called before anything else is read, so a junk file costs 32 bytes.
 */
function checkHeader(head: Uint8Array, fileSize: number, fail: (problem: string) => never): { count: number; version: number } {
  const prefix = Math.min(head.byteLength, MODEL_MAGIC.length);
  for (let j = 0; j < prefix; j++) {
    if (head[j] !== MODEL_MAGIC[j]) fail('not an alsrec model file (wrong magic bytes)');
  }
  if (fileSize < HEADER_BYTES + CHECKSUM_BYTES) {
    fail(`is truncated: ${fileSize} bytes, less than the smallest possible model file`);
  }
  const view = new DataView(head.buffer, head.byteOffset, HEADER_BYTES);
  const version = view.getUint32(8, true);
  if (version > MODEL_FORMAT_VERSION) {
    fail(`was written by a newer alsrec (model format version ${version}; this version reads up to ${MODEL_FORMAT_VERSION}); upgrade alsrec to load it`);
  }
  if (version < 1) fail(`has an invalid model format version ${version}`);
  const declared = Number(view.getBigUint64(16, true));
  if (declared > fileSize) fail(`is truncated: its header declares ${declared} bytes but the file has ${fileSize}`);
  if (declared < fileSize) fail(`has ${fileSize - declared} bytes of unexpected data after the end its header declares (${declared} bytes)`);
  const count = view.getUint32(12, true);
  if (HEADER_BYTES + count * TABLE_ENTRY_BYTES > fileSize - CHECKSUM_BYTES) fail(`its section table (${count} sections) runs past the end of the file`);
  return { count, version };
}

/**
 * Reads and checks the section table (`table` = the `count` entries): every section inside
 * `[table end, bodyEnd)`, 8-aligned, of its tag's element type, known tags once, and no two
 * sections overlapping (a crafted file could otherwise alias one array onto another).
 */
function readTable(table: Uint8Array, count: number, version: number, bodyEnd: number, fail: (problem: string) => never): TableEntry[] {
  const view = new DataView(table.buffer, table.byteOffset, table.byteLength);
  const tableEnd = HEADER_BYTES + count * TABLE_ENTRY_BYTES;
  const entries: TableEntry[] = [];
  const seen = new Set<string>();
  for (let j = 0; j < count; j++) {
    const entry = j * TABLE_ENTRY_BYTES;
    const tag = String.fromCharCode(...table.subarray(entry, entry + 4));
    const type = view.getUint32(entry + 4, true);
    const offset = Number(view.getBigUint64(entry + 8, true));
    const length = Number(view.getBigUint64(entry + 16, true));
    if (offset % 8 !== 0 || offset < tableEnd || offset + length > bodyEnd) {
      fail(`section ${tag} (offset ${offset}, ${length} bytes) lies outside the file or is not 8-byte aligned`);
    }
    const expected = SECTION_TYPES[tag];
    if (expected !== undefined) {
      if (type !== expected) fail(`section ${tag} has element type ${type}, expected ${expected}`);
      if (seen.has(tag)) fail(`section ${tag} appears twice`);
      seen.add(tag);
    }
    entries.push({ tag, offset, length, known: expected !== undefined });
  }
  const byOffset = [...entries].sort((x, y) => x.offset - y.offset);
  for (let j = 1; j < byOffset.length; j++) {
    const before = byOffset[j - 1]!;
    const after = byOffset[j]!;
    if (after.offset < before.offset + before.length) {
      fail(`sections ${before.tag} (offset ${before.offset}, ${before.length} bytes) and ${after.tag} (offset ${after.offset}, ${after.length} bytes) overlap`);
    }
  }
  for (const tag of REQUIRED) if (!seen.has(tag)) fail(`the required section ${tag} is missing`);
  for (const { ints, strings, offsets } of ID_SECTIONS) {
    const asStrings = seen.has(strings) || seen.has(offsets);
    if (asStrings && version < 2) fail(`section ${strings}/${offsets} (string ids) needs format version 2, the file says ${version}`);
    if (asStrings && seen.has(ints)) fail(`sections ${ints} and ${strings} both hold ids for the same side`);
    if (asStrings && !(seen.has(strings) && seen.has(offsets))) fail(`string ids need both sections ${strings} and ${offsets}`);
    if (!asStrings && !seen.has(ints)) fail(`the required section ${ints} is missing`);
  }
  return entries;
}

/**
 * Decodes and validates a model file held in `bytes`. `bytes.byteOffset` must be a multiple of 8
 * (so the typed sections can be views); the result shares memory with `bytes`.
 *
 * @throws ModelFileError naming `file` for a truncated file, wrong magic bytes, a newer format
 *   version, a checksum mismatch, or dimensions and indices that disagree.
 */
export function decodeModelFile(bytes: Uint8Array, file: string): ModelFileContents {
  assertLittleEndian(file);
  const fail = (problem: string): never => {
    throw new ModelFileError(file, problem);
  };
  const head = new Uint8Array(HEADER_BYTES);
  head.set(bytes.subarray(0, HEADER_BYTES));
  const { count, version } = checkHeader(head.subarray(0, Math.min(bytes.byteLength, HEADER_BYTES)), bytes.byteLength, fail);
  if (bytes.byteOffset % 8 !== 0) throw new RangeError('decodeModelFile needs an 8-byte-aligned buffer');

  const bodyEnd = bytes.byteLength - CHECKSUM_BYTES;
  const actual = updateInParts(nodeCrypto().createHash('sha256'), bytes.subarray(0, bodyEnd)).digest();
  if (!actual.equals(bytes.subarray(bodyEnd))) fail('checksum mismatch (SHA-256): the file is corrupted');

  const entries = readTable(bytes.subarray(HEADER_BYTES, HEADER_BYTES + count * TABLE_ENTRY_BYTES), count, version, bodyEnd, fail);
  const found = new Map<string, Uint8Array>();
  for (const e of entries) if (e.known) found.set(e.tag, bytes.subarray(e.offset, e.offset + e.length));
  return contentsFromSections(found, fail);
}

/** Builds and validates the contents from the checked sections (tag -> 8-aligned bytes). */
function contentsFromSections(found: ReadonlyMap<string, Uint8Array>, fail: (problem: string) => never): ModelFileContents {
  const metaBytes = found.get('META')!;
  if (metaBytes.byteLength !== META_BYTES && metaBytes.byteLength !== META_OBJECTIVE_BYTES) {
    fail(`section META has ${metaBytes.byteLength} bytes, expected ${META_BYTES} or ${META_OBJECTIVE_BYTES}`);
  }
  const meta = new DataView(metaBytes.buffer, metaBytes.byteOffset, metaBytes.byteLength);
  const hasObjective = metaBytes.byteLength === META_OBJECTIVE_BYTES;
  const convention = hasObjective ? CONVENTIONS[meta.getUint32(64, true)] : 'implicit';
  if (convention === undefined) fail(`META names an unknown convention code ${meta.getUint32(64, true)}`);
  const userCount = meta.getUint32(0, true);
  const itemCount = meta.getUint32(4, true);
  const k = meta.getUint32(8, true);
  const solver = SOLVERS[meta.getUint32(12, true)];
  const nnz = Number(meta.getBigUint64(16, true));
  if (solver === undefined) fail(`META names an unknown solver code ${meta.getUint32(12, true)}`);
  const options: SavedTrainingOptions = {
    factors: k,
    regularization: meta.getFloat64(24, true),
    alpha: meta.getFloat64(32, true),
    iterations: meta.getUint32(40, true),
    solver: solver!,
    cgSteps: meta.getUint32(44, true),
    seed: meta.getUint32(48, true),
    // Files written before recency weighting hold 0 here (reserved bytes): off.
    recencyHalfLife: meta.getFloat64(56, true),
    // Files with the 64-byte META were trained with Hu et al.'s objective.
    convention: convention!,
    regularizationExponent: hasObjective ? meta.getFloat64(72, true) : 0,
    unobservedWeight: hasObjective ? meta.getFloat64(80, true) : 1,
  };
  try {
    resolveAlsOptions({ ...options, backend: 'ts', threads: 1 });
  } catch (err) {
    fail(`holds invalid training options: ${(err as Error).message}`);
  }

  const int32 = (tag: string, expectedLength: number, what: string): Int32Array => typed(Int32Array, tag, expectedLength, what);
  const float32 = (tag: string, expectedLength: number, what: string): Float32Array => typed(Float32Array, tag, expectedLength, what);
  function typed<T extends Int32Array | Float32Array>(Type: { new (b: ArrayBufferLike, o: number, n: number): T; BYTES_PER_ELEMENT: number }, tag: string, expectedLength: number, what: string): T {
    const s = found.get(tag)!;
    const length = s.byteLength / Type.BYTES_PER_ELEMENT;
    if (length !== expectedLength) {
      fail(`dimensions disagree: section ${tag} holds ${length} values but ${what} is ${expectedLength}`);
    }
    return new Type(s.buffer, s.byteOffset, length);
  }
  const idsOf = (side: (typeof ID_SECTIONS)[number], expected: number): IdMap => {
    if (found.has(side.ints)) {
      const ids = int32(side.ints, expected, `the ${side.side} count`);
      idsProblem(ids, side.ints, side.side, fail);
      return IdMap.fromOrderedIds(ids);
    }
    const offsets = int32(side.offsets, expected + 1, `${side.side}s + 1`);
    return IdMap.fromOrderedStringIds(decodeStringIds(found.get(side.strings)!, offsets, side, fail));
  };
  const users = idsOf(ID_SECTIONS[0], userCount);
  const items = idsOf(ID_SECTIONS[1], itemCount);
  const indptr = int32('LPTR', userCount + 1, 'users + 1');
  const indices = int32('LIDX', nnz, 'the liked entry count');
  const data = float32('LVAL', nnz, 'the liked entry count');
  const userFactors = float32('UFAC', userCount * k, `users x factors (${userCount} x ${k})`);
  const itemFactors = float32('IFAC', itemCount * k, `items x factors (${itemCount} x ${k})`);

  finiteFactors(userFactors, k, 'UFAC', 'user', fail);
  finiteFactors(itemFactors, k, 'IFAC', 'item', fail);
  // A repeated id maps to its last position, so a position that does not map back is a repeat.
  if (!mapsBack(users)) fail('the user id map repeats an id');
  if (!mapsBack(items)) fail('the item id map repeats an id');
  const liked: Csr = { rows: userCount, cols: itemCount, indptr, indices, data };
  const problem = csrProblem(liked, nnz);
  if (problem !== null) fail(`the liked matrix is invalid: ${problem}`);

  const movies = new Map<ExternalId, ItemInfo>();
  const movieJson = found.get('MOVI');
  if (movieJson !== undefined) {
    const rows = parseJson(movieJson, 'MOVI', fail);
    if (!Array.isArray(rows)) fail('section MOVI is not a JSON array');
    for (const row of rows as unknown[]) {
      if (!isItemRow(row, items.kind)) fail(`section MOVI holds a malformed item ${JSON.stringify(row).slice(0, 80)}`);
      const [id, title, year, genres] = row as [ExternalId, string, number | null, string[]];
      movies.set(id, { id, title, year, genres });
    }
  }
  const evalJson = found.get('EVAL');
  let evaluation: Record<string, unknown> | undefined;
  if (evalJson !== undefined) {
    const value = parseJson(evalJson, 'EVAL', fail);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) fail('section EVAL is not a JSON object');
    evaluation = value as Record<string, unknown>;
  }
  const lossJson = found.get('LOSS');
  let trainingLoss: TrainingLossHistory | undefined;
  if (lossJson !== undefined) {
    const value = parseJson(lossJson, 'LOSS', fail);
    const problem = trainingLossHistoryProblem(value);
    if (problem !== null) fail(`section LOSS is not a training loss history: ${problem}`);
    trainingLoss = value as TrainingLossHistory;
  }
  const infoJson = found.get('INFO');
  let info: ModelInfo | undefined;
  if (infoJson !== undefined) {
    const value = parseJson(infoJson, 'INFO', fail);
    const problem = modelInfoProblem(value);
    if (problem !== null) fail(`section INFO ${problem}`);
    info = value as ModelInfo;
  }
  return { options, users, items, liked, movies, userFactors, itemFactors, evaluation, trainingLoss, ...(info === undefined ? {} : { info }) };
}

/**
 * Writes `contents` to `path` atomically (temporary file in the same folder, fsync, rename,
 * fsync folder): a crash leaves the previous file intact.
 * @example await writeModelFile('model.alsrec', contents);
 */
export async function writeModelFile(path: string, contents: ModelFileContents, options: AtomicWriteOptions = {}): Promise<void> {
  await writeFileAtomic(path, encodeModelFile(contents), options);
}

/** Options of {@link readModelFile} (test hooks, so the sectioned path runs on small files). */
export interface ReadModelFileOptions {
  /** Bytes per read in the sectioned path (default 64 MiB). */
  readonly readChunkBytes?: number;
  /** Files up to this size are read whole in one read (default 64 MiB); 0 reads every file by sections. */
  readonly wholeReadMaxBytes?: number;
}

const DEFAULT_READ_CHUNK_BYTES = 64 << 20;

/**
 * Reads and validates the model file at `path`. A file up to 64 MiB is read whole with one
 * synchronous read and decoded in place (see readWholeIfSmall). A larger one is read by sections:
 * the 32-byte header is checked first (magic, version, declared length = file size), then the
 * section table, then the file once in order: each known section by offset into its own 8-aligned
 * buffer, everything else (table, padding, unknown sections) through a scratch buffer, all of it
 * into the SHA-256. So a junk file costs at most 64 MiB of reading (32 bytes when larger), reads
 * never exceed one chunk, and files over 2 GiB load (each section is its own ArrayBuffer).
 * @example const contents = await readModelFile('model.alsrec');
 */
export async function readModelFile(path: string, options: ReadModelFileOptions = {}): Promise<ModelFileContents> {
  assertLittleEndian(path);
  const fail = (problem: string): never => {
    throw new ModelFileError(path, problem);
  };
  const openFailed = (problem: string): never => fail(problem === 'file not found' ? 'no such model file' : problem);
  const whole = readWholeIfSmall(path, options.wholeReadMaxBytes ?? DEFAULT_READ_CHUNK_BYTES, openFailed, fail);
  if (whole !== null) return decodeModelFile(whole, path);
  const { handle, size } = await openRegularFile(path, openFailed);
  const chunk = Math.max(8, options.readChunkBytes ?? DEFAULT_READ_CHUNK_BYTES);
  try {
    const readAt = async (target: Uint8Array, position: number): Promise<void> => {
      for (let done = 0; done < target.byteLength;) {
        const length = Math.min(chunk, target.byteLength - done);
        let bytesRead: number;
        try {
          ({ bytesRead } = await handle.read(target, done, length, position + done));
        } catch (err) {
          return fail(`cannot read the model file (${(err as Error).message})`);
        }
        if (bytesRead === 0) fail(`is truncated: it ended at byte ${position + done} while being read`);
        done += bytesRead;
      }
    };
    const head = new Uint8Array(Math.min(size, HEADER_BYTES));
    await readAt(head, 0);
    const { count, version } = checkHeader(head, size, fail);
    const table = new Uint8Array(count * TABLE_ENTRY_BYTES);
    await readAt(table, HEADER_BYTES);
    const bodyEnd = size - CHECKSUM_BYTES;
    const entries = readTable(table, count, version, bodyEnd, fail);

    const hash = nodeCrypto().createHash('sha256');
    const scratch = new Uint8Array(Math.min(chunk, DEFAULT_READ_CHUNK_BYTES));
    const hashRange = async (from: number, to: number): Promise<void> => {
      for (let p = from; p < to; p += scratch.byteLength) {
        const part = scratch.subarray(0, Math.min(scratch.byteLength, to - p));
        await readAt(part, p);
        hash.update(part);
      }
    };
    const found = new Map<string, Uint8Array>();
    let cursor = 0;
    for (const e of [...entries].sort((x, y) => x.offset - y.offset)) {
      if (!e.known) continue; // hashed with the gaps
      await hashRange(cursor, e.offset);
      // A fresh ArrayBuffer starts at offset 0, so typed views over it are aligned.
      const bytes = new Uint8Array(new ArrayBuffer(e.length));
      await readAt(bytes, e.offset);
      updateInParts(hash, bytes);
      found.set(e.tag, bytes);
      cursor = e.offset + e.length;
    }
    await hashRange(cursor, bodyEnd);
    const stored = new Uint8Array(CHECKSUM_BYTES);
    await readAt(stored, bodyEnd);
    if (!hash.digest().equals(stored)) fail('checksum mismatch (SHA-256): the file is corrupted');
    return contentsFromSections(found, fail);
  } finally {
    await handle.close();
  }
}

/**
 * The whole file in one 8-aligned buffer when it is at most `maxBytes`, else null (the file is
 * then read by sections). Synchronous on purpose: for a file read whole, it avoids a thread-pool
 * round trip per call, which dominates a small model's load (ML-100K, 1 MB, warm medians of 40
 * loads on a busy 2-core machine: ~3 ms this way, ~13 ms with FileHandle calls, ~42 ms section
 * by section); a 64 MiB file blocks for well under 0.1 s.
 */
function readWholeIfSmall(path: string, maxBytes: number, openFailed: (problem: string) => never, fail: (problem: string) => never): Uint8Array | null {
  const { fd, size } = openRegularFileSync(path, openFailed);
  try {
    if (size > maxBytes) return null;
    // A fresh ArrayBuffer starts at offset 0, so every 8-aligned section is a valid view.
    const buffer = new Uint8Array(new ArrayBuffer(size));
    let filled = 0;
    while (filled < size) {
      let bytesRead: number;
      try {
        bytesRead = readSync(fd, buffer, filled, size - filled, filled);
      } catch (err) {
        return fail(`cannot read the model file (${(err as Error).message})`);
      }
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  } finally {
    closeSync(fd);
  }
}

/** Ids follow the data files' rule, 0..2^31-1 (the int32 storage allows negatives; a crafted file could hold them). */
function idsProblem(ids: Int32Array, tag: string, kind: string, fail: (problem: string) => never): void {
  for (let j = 0; j < ids.length; j++) {
    if (ids[j]! < 0) fail(`section ${tag} holds the ${kind} id ${ids[j]}, not a whole number from 0 to ${MAX_ID}`);
  }
}

/** Factors a valid checksum vouches for may still be NaN or Infinity in a crafted file: refused, with the row. */
function finiteFactors(F: Float32Array, k: number, tag: string, kind: string, fail: (problem: string) => never): void {
  for (let j = 0; j < F.length; j++) {
    if (!Number.isFinite(F[j]!)) fail(`section ${tag} holds a non-finite factor (${F[j]}) at ${kind} index ${Math.floor(j / k)}`);
  }
}

function mapsBack(ids: IdMap): boolean {
  for (let j = 0; j < ids.size; j++) if (ids.tryIndex(ids.id(j)) !== j) return false;
  return true;
}

/**
 * The sections holding one side's ids: UIDS/IIDS for integers, or the string table (the ids'
 * UTF-8 bytes back to back, and U + 1 int32 byte offsets: id r is bytes [off[r], off[r + 1])).
 */
function idSections(ids: IdMap, side: 'U' | 'I'): Section[] {
  if (ids.kind === 'int') return [{ tag: `${side}IDS`, type: ElementType.Int32, bytes: bytesOf(ids.ids as Int32Array) }];
  const encoded = (ids.ids as readonly string[]).map((id) => {
    if (!isWellFormedText(id)) throw new AlsrecError(`Cannot save the model: the ${side === 'U' ? 'user' : 'item'} id ${JSON.stringify(id)} holds a lone surrogate, which has no UTF-8 form`, 'ERR_ALSREC_MODEL_FILE');
    return Buffer.from(id, 'utf8');
  });
  const offsets = new Int32Array(encoded.length + 1);
  let total = 0;
  encoded.forEach((b, r) => {
    total += b.byteLength;
    if (total > 0x7fffffff) throw new AlsrecError(`Cannot save the model: its ${side === 'U' ? 'user' : 'item'} ids take more than 2 GiB`, 'ERR_ALSREC_MODEL_FILE');
    offsets[r + 1] = total;
  });
  return [
    { tag: `${side}STR`, type: ElementType.Bytes, bytes: Buffer.concat(encoded, total) },
    { tag: `${side}SOF`, type: ElementType.Int32, bytes: bytesOf(offsets) },
  ];
}

/** The string ids of a string table, checked: offsets from 0 to its length, non-decreasing, valid UTF-8, non-empty, at most MAX_ID_BYTES. */
function decodeStringIds(table: Uint8Array, offsets: Int32Array, side: (typeof ID_SECTIONS)[number], fail: (problem: string) => never): string[] {
  const n = offsets.length - 1;
  if (offsets[0] !== 0 || offsets[n] !== table.byteLength) fail(`section ${side.offsets} must run from 0 to the ${table.byteLength} bytes of ${side.strings}`);
  const buffer = Buffer.from(table.buffer, table.byteOffset, table.byteLength);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  // ASCII ids (the usual case) decode once; each id is then a cheap slice of that one string.
  let ascii = true;
  for (let p = 0; p < table.byteLength && ascii; p++) ascii = table[p]! < 0x80;
  const whole = ascii ? buffer.toString('latin1') : '';
  const out = new Array<string>(n);
  for (let r = 0; r < n; r++) {
    const start = offsets[r]!;
    const end = offsets[r + 1]!;
    if (end <= start || end - start > MAX_ID_BYTES) {
      fail(`section ${side.offsets} gives ${side.side} ${r} ${end - start} bytes; an id has 1 to ${MAX_ID_BYTES}`);
    }
    if (ascii) {
      out[r] = whole.slice(start, end);
      continue;
    }
    try {
      out[r] = decoder.decode(table.subarray(start, end));
    } catch {
      fail(`section ${side.strings} holds ${side.side} ${r} that is not valid UTF-8`);
    }
  }
  return out;
}

/** Why `m` is not a valid CSR (indptr from 0 to nnz, non-decreasing; columns in range and ascending per row), or null. */
function csrProblem(m: Csr, nnz: number): string | null {
  const { indptr, indices, data, rows, cols } = m;
  if (indptr[0] !== 0 || indptr[rows] !== nnz) return `indptr must run from 0 to ${nnz}`;
  for (let r = 0; r < rows; r++) {
    const start = indptr[r]!;
    const end = indptr[r + 1]!;
    if (end < start) return `indptr decreases at row ${r}`;
    let previous = -1;
    for (let p = start; p < end; p++) {
      const c = indices[p]!;
      if (c <= previous || c >= cols) return `row ${r} has column ${c} out of range or out of order`;
      previous = c;
    }
  }
  for (let p = 0; p < nnz; p++) {
    if (!Number.isFinite(data[p]!)) return 'a rating is not a finite number';
  }
  return null;
}

function isItemRow(row: unknown, kind: 'int' | 'string'): boolean {
  const idOk = (id: unknown) => (kind === 'int' ? Number.isInteger(id) && (id as number) >= 0 && (id as number) <= MAX_ID : typeof id === 'string');
  return Array.isArray(row) && row.length === 4 && idOk(row[0]) && typeof row[1] === 'string'
    && (row[2] === null || Number.isInteger(row[2])) && Array.isArray(row[3]) && (row[3] as unknown[]).every((g) => typeof g === 'string');
}

function parseJson(bytes: Uint8Array, tag: string, fail: (problem: string) => never): unknown {
  try {
    return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch (err) {
    return fail(`section ${tag} is not valid JSON (${(err as Error).message})`);
  }
}

/** Node's Hash.update refuses more than 2^31 - 1 bytes at once; a factor section can be larger. */
const HASH_PART_BYTES = 1 << 30;

function updateInParts(hash: Hash, bytes: Uint8Array): Hash {
  for (let p = 0; p < bytes.byteLength; p += HASH_PART_BYTES) hash.update(bytes.subarray(p, Math.min(bytes.byteLength, p + HASH_PART_BYTES)));
  return hash;
}

function bytesOf(a: Int32Array | Float32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

function pushPadding(chunks: Uint8Array[], length: number): void {
  const pad = align8(length) - length;
  if (pad > 0) chunks.push(new Uint8Array(pad));
}

function assertLittleEndian(file: string): void {
  if (endianness() !== 'LE') throw new ModelFileError(file, 'model files are little-endian and this machine is big-endian; not supported');
}

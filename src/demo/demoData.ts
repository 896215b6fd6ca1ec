/**
 * The static demo's model data (what `alsrec export-demo` writes beside the page): `model.json`
 * with the dimensions, the scoring options, the ids and the titles, and `model.bin` with the
 * float32 factors and the training ratings as CSR, at the byte offsets `model.json` lists. Every
 * array is 4-byte aligned and little-endian, so the browser maps typed arrays straight over the
 * fetched bytes. The factors stay float32, exactly the model's, so the browser's scores are the
 * model's (a float16 copy would halve 0.5 MB on ML-100K and change scores in the 4th digit).
 *
 * This module is shared by Node (encode) and the browser bundle (decode): no Node imports.
 */

export const DEMO_FORMAT = 'alsrec-demo';
export const DEMO_FORMAT_VERSION = 1;

/** The arrays of model.bin, in file order. */
const ARRAYS = ['userFactors', 'itemFactors', 'likedIndptr', 'likedIndices', 'likedValues'] as const;
type ArrayName = (typeof ARRAYS)[number];

/** model.json. Ids are as the model has them (numbers, or strings for string-id data). */
export interface DemoMeta {
  readonly format: typeof DEMO_FORMAT;
  readonly version: number;
  readonly factors: number;
  /** What fold-in and explanations need of the training options. */
  readonly options: {
    readonly regularization: number;
    readonly alpha: number;
    readonly convention: 'implicit' | 'spark';
    readonly regularizationExponent: number;
    readonly unobservedWeight: number;
  };
  readonly userIds: ReadonlyArray<number | string>;
  readonly itemIds: ReadonlyArray<number | string>;
  readonly titles: readonly string[];
  readonly genres: ReadonlyArray<readonly string[]>;
  /** byte offset and element count of each array in model.bin. */
  readonly arrays: Readonly<Record<ArrayName, readonly [number, number]>>;
  readonly binaryBytes: number;
}

/** The decoded model: typed views over model.bin. */
export interface DemoModel {
  readonly meta: DemoMeta;
  readonly userFactors: Float32Array;
  readonly itemFactors: Float32Array;
  /** The training ratings (users x items CSR): what each user rated, with the rating. */
  readonly likedIndptr: Int32Array;
  readonly likedIndices: Int32Array;
  readonly likedValues: Float32Array;
}

/** What encodeDemoData needs of a model (a fitted ALS's state and options fit it). */
export interface DemoSource {
  readonly factors: number;
  readonly options: DemoMeta['options'];
  readonly userIds: ReadonlyArray<number | string>;
  readonly itemIds: ReadonlyArray<number | string>;
  readonly titles: readonly string[];
  readonly genres: ReadonlyArray<readonly string[]>;
  readonly userFactors: Float32Array;
  readonly itemFactors: Float32Array;
  readonly liked: { readonly indptr: Int32Array; readonly indices: Int32Array; readonly data: Float32Array };
}

/**
 * @example const { meta, binary } = encodeDemoData(source); // write meta as model.json, binary as model.bin
 */
export function encodeDemoData(source: DemoSource): { meta: DemoMeta; binary: Uint8Array } {
  const nnz = source.liked.indptr[source.liked.indptr.length - 1]!;
  const parts: Record<ArrayName, Float32Array | Int32Array> = {
    userFactors: source.userFactors,
    itemFactors: source.itemFactors,
    likedIndptr: source.liked.indptr,
    likedIndices: source.liked.indices.subarray(0, nnz),
    likedValues: source.liked.data.subarray(0, nnz),
  };
  const arrays = {} as Record<ArrayName, readonly [number, number]>;
  let offset = 0;
  for (const name of ARRAYS) {
    arrays[name] = [offset, parts[name].length];
    offset += parts[name].byteLength;
  }
  const binary = new Uint8Array(offset);
  for (const name of ARRAYS) {
    const a = parts[name];
    binary.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), arrays[name][0]);
  }
  const meta: DemoMeta = {
    format: DEMO_FORMAT,
    version: DEMO_FORMAT_VERSION,
    factors: source.factors,
    options: { ...source.options },
    userIds: [...source.userIds],
    itemIds: [...source.itemIds],
    titles: [...source.titles],
    genres: source.genres.map((g) => [...g]),
    arrays,
    binaryBytes: binary.byteLength,
  };
  return { meta, binary };
}

/**
 * Checks `meta` against `binary` (lengths, offsets, dimensions) and maps the arrays over it.
 * @throws Error naming what disagrees (a partly copied or mismatched site).
 * @example const model = decodeDemoData(await (await fetch('model.json')).json(), await (await fetch('model.bin')).arrayBuffer());
 */
export function decodeDemoData(meta: DemoMeta, binary: ArrayBuffer): DemoModel {
  if (meta?.format !== DEMO_FORMAT) throw new Error('model.json is not alsrec demo data');
  if (meta.version > DEMO_FORMAT_VERSION) throw new Error(`model.json is demo data version ${meta.version}; this page reads up to ${DEMO_FORMAT_VERSION}`);
  if (binary.byteLength !== meta.binaryBytes) throw new Error(`model.bin has ${binary.byteLength} bytes; model.json expects ${meta.binaryBytes} (a partial copy?)`);
  const k = meta.factors;
  const users = meta.userIds.length;
  const items = meta.itemIds.length;
  const view = <T extends Float32Array | Int32Array>(name: ArrayName, Type: new (b: ArrayBuffer, o: number, n: number) => T, expected?: number): T => {
    const [offset, length] = meta.arrays[name];
    if (expected !== undefined && length !== expected) throw new Error(`model.json: ${name} has ${length} elements, expected ${expected}`);
    if (offset % 4 !== 0 || offset + length * 4 > binary.byteLength) throw new Error(`model.json: ${name} lies outside model.bin`);
    return new Type(binary, offset, length);
  };
  const likedIndptr = view('likedIndptr', Int32Array, users + 1);
  const nnz = likedIndptr[users]!;
  const model: DemoModel = {
    meta,
    userFactors: view('userFactors', Float32Array, users * k),
    itemFactors: view('itemFactors', Float32Array, items * k),
    likedIndptr,
    likedIndices: view('likedIndices', Int32Array, nnz),
    likedValues: view('likedValues', Float32Array, nnz),
  };
  if (meta.titles.length !== items || meta.genres.length !== items) throw new Error('model.json: titles or genres do not match the items');
  for (const i of model.likedIndices) if (!(i >= 0 && i < items)) throw new Error('model.bin: a rating names an item outside the catalogue');
  return model;
}

/**
 * A fast path for the one column that dominates importing a Spark model: `features`, a list of
 * `rank` floats per row. hyparquet's general reader builds a JS array per row and a JS number per
 * repetition and definition level (about 3 s of CPU, mostly garbage collection, for the 3.5 M
 * floats of a 280 K-row model); here the levels are decoded into one reused Uint8Array and the
 * PLAIN float bytes are copied straight into the factor matrix.
 *
 * It handles the layout Spark (parquet-mr) and hyparquet-writer produce: data pages v1 or v2,
 * PLAIN values, RLE/bit-packed levels, snappy or no compression, no dictionary. For anything else
 * it returns false and the caller uses hyparquet's general reader, which checks the same things.
 * The page headers are parsed by hyparquet (`parquetHeader`), the snappy blocks decompressed by
 * hyparquet's `snappyUncompress`.
 *
 * Levels of `optional group features (LIST) { repeated group list { required float element } }`
 * (Dremel encoding): repetition 0 starts a row, 1 continues its list; definition 2 is a present
 * element, 1 an empty list, 0 a null list. A valid factor row is one level pair (0, 2) followed
 * by rank - 1 pairs (1, 2).
 */
import type { ColumnChunk, FileMetaData } from 'hyparquet';
import { snappyUncompress } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';

/** A row of the column that is not a list of exactly `rank` present floats. */
export class IrregularRowError extends Error {
  constructor(readonly row: number, readonly problem: 'null' | 'length', readonly length: number) {
    super(`row ${row}: ${problem}`);
  }
}

const MAX_REPETITION = 1;
const MAX_DEFINITION = 2;

/**
 * Decodes the `features` leaf of every row group of `metadata` into `values` (rows x rank,
 * row-major). Returns false, having written nothing it vouches for, when the column's layout is
 * not one this fast path handles.
 * @throws IrregularRowError for a null list or a list whose length is not `rank`.
 * @example
 * const values = new Float32Array(Number(metadata.num_rows) * 13);
 * if (!decodeFeatureColumn(buffer, metadata, 13, values)) { ... read with parquetRead instead ... }
 */
export function decodeFeatureColumn(buffer: ArrayBuffer, metadata: FileMetaData, rank: number, values: Float32Array): boolean {
  const chunks: ColumnChunk[] = [];
  for (const group of metadata.row_groups) {
    const chunk = group.columns.find((c) => c.meta_data?.path_in_schema.join('.') === 'features.list.element');
    const m = chunk?.meta_data;
    if (m === undefined || m.type !== 'FLOAT' || m.dictionary_page_offset !== undefined) return false;
    if (m.codec !== 'SNAPPY' && m.codec !== 'UNCOMPRESSED') return false;
    if (m.encodings.some((e) => e !== 'PLAIN' && e !== 'RLE' && e !== 'BIT_PACKED')) return false;
    chunks.push(chunk!);
  }
  let row = -1;
  let element = 0;
  let pos = 0;
  let levels = new Uint8Array(0);
  let definitions = new Uint8Array(0);
  for (const chunk of chunks) {
    const m = chunk.meta_data!;
    const view = new DataView(buffer, Number(m.data_page_offset), Number(m.total_compressed_size));
    const reader = { view, offset: 0 };
    let seen = 0;
    while (seen < Number(m.num_values)) {
      const header = parquetHeader(reader);
      const body = new Uint8Array(buffer, view.byteOffset + reader.offset, header.compressed_page_size);
      reader.offset += header.compressed_page_size;
      if (header.type !== 'DATA_PAGE' && header.type !== 'DATA_PAGE_V2') return false;
      const v1 = header.data_page_header;
      const v2 = header.data_page_header_v2;
      const count = v1?.num_values ?? v2!.num_values;
      if ((v1?.encoding ?? v2!.encoding) !== 'PLAIN') return false;
      if (levels.length < count) {
        levels = new Uint8Array(count);
        definitions = new Uint8Array(count);
      }
      let page: Uint8Array;
      let at: number;
      if (v1 !== undefined) {
        if (v1.repetition_level_encoding !== 'RLE' || v1.definition_level_encoding !== 'RLE') return false;
        page = m.codec === 'SNAPPY' ? uncompress(body, header.uncompressed_page_size) : body;
        at = decodeLengthPrefixed(page, 0, MAX_REPETITION, levels, count);
        at = decodeLengthPrefixed(page, at, MAX_DEFINITION, definitions, count);
      } else {
        const repBytes = v2!.repetition_levels_byte_length;
        const defBytes = v2!.definition_levels_byte_length;
        decodeHybrid(body, 0, repBytes, bitWidth(MAX_REPETITION), levels, count);
        decodeHybrid(body, repBytes, repBytes + defBytes, bitWidth(MAX_DEFINITION), definitions, count);
        const rest = body.subarray(repBytes + defBytes);
        page = m.codec === 'SNAPPY' && v2!.is_compressed !== false ? uncompress(rest, header.uncompressed_page_size - repBytes - defBytes) : rest;
        at = 0;
      }
      // Walk the levels: each row must be rank present elements.
      for (let j = 0; j < count; j++) {
        if (levels[j] === 0) {
          if (row >= 0 && element !== rank) throw new IrregularRowError(row, 'length', element);
          row++;
          element = 0;
        } else if (row < 0) {
          return false;
        }
        if (definitions[j] !== MAX_DEFINITION) throw new IrregularRowError(row, definitions[j] === 0 ? 'null' : 'length', 0);
        element++;
      }
      // Every level was a present element, so the page holds count PLAIN floats.
      if (at + count * 4 > page.length || pos + count > values.length) return false;
      new Uint8Array(values.buffer, values.byteOffset + pos * 4, count * 4).set(page.subarray(at, at + count * 4));
      pos += count;
      seen += count;
    }
  }
  if (row >= 0 && element !== rank) throw new IrregularRowError(row, 'length', element);
  return (row + 1) * rank === values.length && pos === values.length;
}

function uncompress(input: Uint8Array, size: number): Uint8Array {
  const output = new Uint8Array(size);
  snappyUncompress(input, output);
  return output;
}

function bitWidth(max: number): number {
  return 32 - Math.clz32(max);
}

/** Data page v1 levels: a 4-byte little-endian length, then the RLE/bit-packed hybrid. */
function decodeLengthPrefixed(page: Uint8Array, at: number, max: number, out: Uint8Array, count: number): number {
  const length = page[at]! | (page[at + 1]! << 8) | (page[at + 2]! << 16) | (page[at + 3]! << 24);
  decodeHybrid(page, at + 4, at + 4 + length, bitWidth(max), out, count);
  return at + 4 + length;
}

/**
 * The Parquet RLE/bit-packed hybrid (format spec, "Run Length Encoding / Bit-Packing Hybrid"):
 * runs of `header` varints; header & 1 = bit-packed groups of 8 values (header >> 1 groups,
 * little-endian bit order), else a repeated value (header >> 1 times, ceil(width / 8) bytes).
 */
function decodeHybrid(bytes: Uint8Array, at: number, end: number, width: number, out: Uint8Array, count: number): void {
  let n = 0;
  const mask = (1 << width) - 1;
  while (n < count && at < end) {
    let header = 0;
    let shift = 0;
    let b: number;
    do {
      b = bytes[at++]!;
      header |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    if (header & 1) {
      const values = (header >>> 1) * 8;
      let bits = 0;
      let buffered = 0;
      for (let j = 0; j < values; j++) {
        while (bits < width) {
          buffered |= bytes[at++]! << bits;
          bits += 8;
        }
        if (n < count) out[n++] = buffered & mask;
        buffered >>>= width;
        bits -= width;
      }
    } else {
      const repeat = header >>> 1;
      const value = bytes[at]!;
      at += Math.ceil(width / 8);
      out.fill(value, n, Math.min(count, n + repeat));
      n = Math.min(count, n + repeat);
    }
  }
  if (n < count) throw new RangeError('levels end early: the page is truncated or corrupted');
}

/**
 * Compressed sparse row matrices: `indptr` (rows + 1), `indices` (column of each entry, ascending
 * within a row) and `data`. Built in O(nnz) by two stable counting sorts, with no per-entry
 * objects; index ranges are checked here, once, so the kernels (TS and C++) can trust them.
 */
import { invalidOption } from '../errors.js';

export interface Csr {
  readonly rows: number;
  readonly cols: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly data: Float32Array;
}

/** Number of stored entries. */
export function nnz(m: Csr): number {
  return m.indptr[m.rows]!;
}

/**
 * Builds a CSR matrix from coordinates. Entries must be unique (the loaders merge duplicates);
 * a repeated (row, col) is reported as an error rather than silently summed.
 *
 * @example
 * const m = buildCsr(Int32Array.of(0, 1), Int32Array.of(2, 0), Float32Array.of(5, 3), 2, 3);
 */
export function buildCsr(
  rowIdx: Int32Array,
  colIdx: Int32Array,
  values: Float32Array,
  rows: number,
  cols: number,
): Csr {
  return buildCsrWithOrder(rowIdx, colIdx, values, rows, cols).matrix;
}

/**
 * {@link buildCsr}, also returning where each stored entry came from: `order[p]` is the index,
 * in the coordinate arrays, of the entry at CSR position p (to carry other per-entry columns,
 * such as timestamps, into CSR order).
 *
 * @example
 * const { matrix, order } = buildCsrWithOrder(Int32Array.of(1, 0), Int32Array.of(0, 2), Float32Array.of(3, 5), 2, 3);
 * // order = [1, 0]: the entry of row 0 came second
 */
export function buildCsrWithOrder(
  rowIdx: Int32Array,
  colIdx: Int32Array,
  values: Float32Array,
  rows: number,
  cols: number,
): { matrix: Csr; order: Int32Array } {
  const n = rowIdx.length;
  if (colIdx.length !== n || values.length !== n) {
    throw invalidOption('coordinates', `row, column and value arrays of equal length (${n})`, `lengths ${n}, ${colIdx.length}, ${values.length}`);
  }
  if (!Number.isInteger(rows) || rows < 0) throw invalidOption('rows', 'an integer >= 0', rows);
  if (!Number.isInteger(cols) || cols < 0) throw invalidOption('cols', 'an integer >= 0', cols);
  for (let j = 0; j < n; j++) {
    const r = rowIdx[j]!;
    const c = colIdx[j]!;
    if (r < 0 || r >= rows) throw invalidOption(`row index at entry ${j}`, `an integer in [0, ${rows})`, r);
    if (c < 0 || c >= cols) throw invalidOption(`column index at entry ${j}`, `an integer in [0, ${cols})`, c);
  }
  // Pass 1: order entries by column (stable counting sort); pass 2: stable by row. The result has
  // ascending columns within each row, in O(nnz + rows + cols).
  const byCol = countingOrder(colIdx, cols, null);
  const order = countingOrder(rowIdx, rows, byCol);
  const indptr = new Int32Array(rows + 1);
  for (let j = 0; j < n; j++) indptr[rowIdx[j]! + 1]!++;
  for (let r = 0; r < rows; r++) indptr[r + 1]! += indptr[r]!;
  const indices = new Int32Array(n);
  const data = new Float32Array(n);
  for (let p = 0; p < n; p++) {
    const j = order[p]!;
    indices[p] = colIdx[j]!;
    data[p] = values[j]!;
  }
  for (let r = 0; r < rows; r++) {
    for (let p = indptr[r]! + 1; p < indptr[r + 1]!; p++) {
      if (indices[p] === indices[p - 1]) {
        throw invalidOption('coordinates', 'unique (row, column) pairs', `a repeated pair (${r}, ${indices[p]})`);
      }
    }
  }
  return { matrix: { rows, cols, indptr, indices, data }, order };
}

/** Permutation that stably sorts `keys` (in [0, buckets)); applied over `within` when given. */
function countingOrder(keys: Int32Array, buckets: number, within: Int32Array | null): Int32Array {
  const n = keys.length;
  const start = new Int32Array(buckets + 1);
  for (let j = 0; j < n; j++) start[keys[j]! + 1]!++;
  for (let b = 0; b < buckets; b++) start[b + 1]! += start[b]!;
  const out = new Int32Array(n);
  for (let p = 0; p < n; p++) {
    const j = within === null ? p : within[p]!;
    out[start[keys[j]!]!++] = j;
  }
  return out;
}

/** The transpose, again with ascending column indices per row; O(nnz + rows + cols). */
export function transposeCsr(m: Csr): Csr {
  const n = nnz(m);
  const indptr = new Int32Array(m.cols + 1);
  for (let p = 0; p < n; p++) indptr[m.indices[p]! + 1]!++;
  for (let c = 0; c < m.cols; c++) indptr[c + 1]! += indptr[c]!;
  const next = indptr.slice(0, m.cols);
  const indices = new Int32Array(n);
  const data = new Float32Array(n);
  // Walking rows in order fills each column's entries with ascending row indices.
  for (let r = 0; r < m.rows; r++) {
    for (let p = m.indptr[r]!; p < m.indptr[r + 1]!; p++) {
      const q = next[m.indices[p]!]!++;
      indices[q] = r;
      data[q] = m.data[p]!;
    }
  }
  return { rows: m.cols, cols: m.rows, indptr, indices, data };
}

/** A copy of `m` with every value multiplied by `factor` (e.g. confidence = alpha * rating). */
export function scaleCsr(m: Csr, factor: number): Csr {
  const data = new Float32Array(m.data.length);
  for (let p = 0; p < data.length; p++) data[p] = m.data[p]! * factor;
  return { ...m, data };
}

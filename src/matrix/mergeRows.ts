/**
 * Row replacement in a CSR matrix, for incremental updates: selected rows get new or extra
 * entries, other rows are copied, and the matrix may grow (new rows and columns append at the
 * end). O(nnz + rows).
 */
import type { Csr } from './csr.js';
import { invalidOption, UnknownIdError, type IdKind } from '../errors.js';
import { checkExternalId, type IdMap } from './idMap.js';
import type { ExternalId } from '../data/rawInteractions.js';

/** One row's entries: ascending, unique column indices and their values. */
export interface RowEntries {
  readonly indices: Int32Array;
  readonly data: Float32Array;
}

/**
 * A copy of `m` grown to `rows` x `cols` where each row r in `updates` is either replaced by its
 * entries (`replace`) or merged with them (an entry for a column the row already has replaces its
 * value). Column indices stay ascending within every row.
 *
 * @example mergeRows(liked, liked.rows + 1, liked.cols, new Map([[liked.rows, entries]]), false)
 */
export function mergeRows(m: Csr, rows: number, cols: number, updates: ReadonlyMap<number, RowEntries>, replace: boolean): Csr {
  const merged = new Map<number, RowEntries>();
  for (const [r, entries] of updates) {
    merged.set(r, replace || r >= m.rows ? entries : mergeEntries(rowOf(m, r), entries));
  }
  const indptr = new Int32Array(rows + 1);
  for (let r = 0; r < rows; r++) {
    const own = merged.get(r);
    const length = own !== undefined ? own.indices.length : r < m.rows ? m.indptr[r + 1]! - m.indptr[r]! : 0;
    indptr[r + 1] = indptr[r]! + length;
  }
  const indices = new Int32Array(indptr[rows]!);
  const data = new Float32Array(indptr[rows]!);
  for (let r = 0; r < rows; r++) {
    const own = merged.get(r) ?? (r < m.rows ? rowOf(m, r) : null);
    if (own === null) continue;
    indices.set(own.indices, indptr[r]!);
    data.set(own.data, indptr[r]!);
  }
  return { rows, cols, indptr, indices, data };
}

/** Row r of `m` as views (no copy). */
export function rowOf(m: Csr, r: number): RowEntries {
  const start = m.indptr[r]!;
  const end = m.indptr[r + 1]!;
  return { indices: m.indices.subarray(start, end), data: m.data.subarray(start, end) };
}

/** The union of two ascending rows; where both have a column, `update`'s value wins. */
function mergeEntries(old: RowEntries, update: RowEntries): RowEntries {
  const indices: number[] = [];
  const data: number[] = [];
  let a = 0;
  let b = 0;
  while (a < old.indices.length || b < update.indices.length) {
    const ca = a < old.indices.length ? old.indices[a]! : Infinity;
    const cb = b < update.indices.length ? update.indices[b]! : Infinity;
    if (cb <= ca) {
      indices.push(cb);
      data.push(update.data[b++]!);
      if (ca === cb) a++;
    } else {
      indices.push(ca);
      data.push(old.data[a++]!);
    }
  }
  return { indices: Int32Array.from(indices), data: Float32Array.from(data) };
}

/**
 * Turns (otherId, rating) pairs into a row over `other`'s indices, sorted. Unknown ids are an
 * UnknownIdError; a repeated id or a rating that is not a finite non-zero number an
 * InvalidOptionError naming `where`.
 */
export function entriesFromPairs(
  pairs: Iterable<readonly [ExternalId, number]>,
  other: IdMap,
  otherKind: IdKind,
  where: string,
): RowEntries {
  const byIndex = new Map<number, number>();
  for (const pair of pairs) {
    if (!Array.isArray(pair) || pair.length !== 2) throw invalidOption(where, `[${otherKind}Id, rating] pairs`, pair);
    const [id, rating] = pair as [unknown, unknown];
    checkExternalId(id, `${otherKind} id in ${where}`);
    if (typeof rating !== 'number' || !Number.isFinite(rating) || rating === 0) {
      throw invalidOption(`the rating of ${otherKind} ${id} in ${where}`, 'a finite number other than 0', rating);
    }
    const i = other.tryIndex(id);
    if (i < 0) throw new UnknownIdError(otherKind, id);
    if (byIndex.has(i)) throw invalidOption(where, `each ${otherKind} id at most once`, `${otherKind} ${id} twice`);
    byIndex.set(i, rating);
  }
  const indices = Int32Array.from(byIndex.keys()).sort();
  const data = Float32Array.from(indices, (i) => byIndex.get(i)!);
  return { indices, data };
}

/**
 * One side's ids (users or items), written row by row from bytes: integers while every id is one
 * (the int32 fast path), interned strings from the first id that is not (the integers seen so
 * far are converted once). See {@link parseIntegerId} for the id rule.
 */
import type { IdColumn } from '../rawInteractions.js';
import { ByteInterner } from './byteInterner.js';
import { integerIdDigitsEnd, parseIntegerId } from './parseFieldBytes.js';
import { largeInt32Array } from '../../matrix/largeArrays.js';

export class IdColumnBuilder {
  values: Int32Array;
  private interner: ByteInterner | null = null;
  private readonly scratch = Buffer.allocUnsafe(16);
  /** Called once when the side turns to strings: `intCode(id)` gives an integer id's new code. */
  onSwitchToStrings: ((intCode: (id: number) => number) => void) | null = null;

  /** Codes below this were given by earlier builders sharing the interner (see the constructor). */
  readonly tableFrom: number;

  /**
   * `shared`: an interner kept across the builders of one thread's ranges (a parallel parse), so
   * that an id is interned and turned into a string once per thread, not once per range; the
   * finished column's table then holds only the strings this builder added, from code
   * {@link tableFrom} on.
   */
  constructor(capacity: number, values?: Int32Array, private readonly shared?: ByteInterner) {
    this.values = values ?? largeInt32Array(Math.max(1, capacity));
    this.tableFrom = shared?.size ?? 0;
  }

  get isString(): boolean {
    return this.interner !== null;
  }

  /** Writes the id `bytes[start, end)` at `row` (< capacity); returns its int value or string code. */
  set(row: number, bytes: Uint8Array, start: number, end: number): number {
    const integer = parseIntegerId(bytes, start, end);
    if (this.interner === null) {
      if (integer >= 0) return (this.values[row] = integer);
      this.switchToStrings(row);
    }
    const interner = this.interner!;
    const code = integer >= 0 ? interner.intern(bytes, start, integerIdDigitsEnd(bytes, start, end)) : interner.intern(bytes, start, end);
    return (this.values[row] = code);
  }

  /**
   * The code of the string id `bytes[start, end)` of FNV-1a hash `hash`, on a string side, for
   * an id that holds no `.` (so the integer rule cannot shorten it): the scanner's fast path.
   */
  stringCode(bytes: Uint8Array, start: number, end: number, hash: number): number {
    return this.interner!.internHashed(bytes, start, end, hash);
  }

  /** Grows the column to `capacity` rows, keeping rows [0, length). */
  grow(capacity: number, length: number): void {
    const values = new Int32Array(capacity);
    values.set(this.values.subarray(0, length));
    this.values = values;
  }

  /**
   * The finished column of `length` rows (a view when it wastes little, else a trimmed copy); a
   * string side's table holds the strings of codes {@link tableFrom} on.
   */
  finish(length: number, view = false): IdColumn {
    const values = view ? this.values.subarray(0, length) : trim(this.values, length);
    this.values = new Int32Array(0);
    if (this.interner === null) return { kind: 'int', values };
    return { kind: 'string', codes: values, table: this.interner.strings('utf8', this.tableFrom) };
  }

  private switchToStrings(rows: number): void {
    const interner = this.shared ?? new ByteInterner();
    this.interner = interner;
    const intCode = (id: number): number => {
      const length = this.scratch.write(String(id), 0, 'latin1');
      return interner.intern(this.scratch, 0, length);
    };
    let lastId = -1;
    let lastCode = -1;
    for (let row = 0; row < rows; row++) {
      const id = this.values[row]!;
      if (id !== lastId) {
        lastId = id;
        lastCode = intCode(id);
      }
      this.values[row] = lastCode;
    }
    this.onSwitchToStrings?.(intCode);
  }
}

/**
 * Arrays of at least this many bytes are never trimmed by a copy: the allocator gives them fresh
 * zero pages, so their unwritten spare capacity was never touched and holds address space, not
 * memory, while a copy would first-touch as many bytes again (on synth-100m, a 2 GB copy because
 * the first MiB's short lines overestimated the rows by 16%).
 */
const VIEW_ALWAYS_BYTES = 8 << 20;

/** `a[0, length)`: a view when `a` is large or at most 1/8 of it is unused, else a copy (so spare capacity is freed). */
export function trim<T extends Int32Array | Float32Array | Float64Array>(a: T, length: number): T {
  const view = a.byteLength >= VIEW_ALWAYS_BYTES || length >= a.length - (a.length >> 3);
  return (view ? a.subarray(0, length) : a.slice(0, length)) as T;
}

/**
 * The hot loop of every delimited loader (the generic event loader and the MovieLens presets):
 * one pass over the bytes that finds the fields of a record and parses the ones it needs as it
 * goes (integer ids, plain decimals), writing straight into the builder's preallocated typed
 * columns. No string, no object and no call per field for a plain record.
 *
 * A record it does not recognise as plain (a quote, an id that is not a canonical integer on an
 * integer side, a number in another notation, a weight the row rules drop, a wrong field count)
 * is handed whole to the caller's `slow` reader, which applies the full rules (and names the line
 * in an error); the fast loop then resumes after it. Both paths write the same columns, so the
 * result does not depend on which one read a row.
 */
import type { EventColumnsBuilder } from './eventColumnsBuilder.js';
import { FNV_OFFSET, FNV_PRIME } from './byteInterner.js';
import { MAX_ID_BYTES } from './loadOptions.js';
import { MILLISECONDS_THRESHOLD, parseTimeBytes } from './parseFieldBytes.js';
import { plainRecordLoop } from './compiledRecordScanner.js';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const MAX_INT32 = 2147483647;
const POWERS_OF_TEN = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
/** Longest plain decimal parsed in place (15 digits are exact in a double). */
const MAX_PLAIN_NUMBER_BYTES = 15;

/** What a field holds, for the fast loop. */
export const enum FieldRole {
  Skip = 0,
  User = 1,
  Item = 2,
  Weight = 3,
  Time = 4,
}

/** How the fast loop reads a record; see {@link fastPlan}. */
export interface FastScanPlan {
  /** Role per field; its length is the field count a record must have. */
  readonly roles: Uint8Array;
  /** The delimiter's first byte, and its second (`::`) or -1. */
  readonly delimiter: number;
  readonly delimiter2: number;
  /** Whether `"` starts a quoted field (then a record holding one goes to the slow reader). */
  readonly quoting: boolean;
  /** Whether a weight <= 0 goes to the slow reader (the event rules drop and count it). */
  readonly positiveWeights: boolean;
  /**
   * `auto`: a plain time >= 1e11 is milliseconds (see MILLISECONDS_THRESHOLD), and a time in another
   * notation (ISO 8601) is parsed by parseTimeBytes; `seconds`: plain decimals only (MovieLens).
   */
  readonly timeUnit: 'auto' | 'seconds';
}

/**
 * The fast plan for fields at the given indices (-1: absent).
 * @example fastPlan(4, { user: 0, item: 1, weight: 2, time: 3 }, 0x2c, -1, true, true, 'auto')
 */
export function fastPlan(
  fieldCount: number,
  fields: { readonly user: number; readonly item: number; readonly weight: number; readonly time: number },
  delimiter: number,
  delimiter2: number,
  quoting: boolean,
  positiveWeights: boolean,
  timeUnit: 'auto' | 'seconds',
): FastScanPlan {
  const roles = new Uint8Array(fieldCount);
  if (fields.weight >= 0) roles[fields.weight] = FieldRole.Weight;
  if (fields.time >= 0) roles[fields.time] = FieldRole.Time;
  roles[fields.item] = FieldRole.Item;
  roles[fields.user] = FieldRole.User;
  return { roles, delimiter, delimiter2, quoting, positiveWeights, timeUnit };
}

/**
 * Reads the record starting at `recordStart` by the full rules. Returns the offset just past it
 * (past its line end), or -1 when it does not end before `end` and `final` is false (more bytes
 * are needed). Throws for a malformed record, as the loader's rules say.
 */
export type SlowRecordReader = (bytes: Buffer, recordStart: number, end: number, final: boolean, line: number) => number;

/** What a scan consumed: records before `consumed` are in the builder; `line` is the next line number. */
export interface FastScanResult {
  readonly consumed: number;
  readonly line: number;
}

/**
 * Scans every complete record of `bytes[start, end)` into `builder`. With `final` false, a record
 * not yet ended by LF is left for the next call (carry `bytes[consumed, end)` over); with `final`
 * true the last record may lack its LF. Empty lines are skipped (and counted as lines).
 *
 * @example
 * ```ts
 * const { consumed, line } = scanRecordsFast(chunk, 0, chunk.length, false, 2, plan, builder, slow);
 * ```
 */
export function scanRecordsFast(
  bytes: Buffer,
  start: number,
  end: number,
  final: boolean,
  firstLine: number,
  plan: FastScanPlan,
  builder: EventColumnsBuilder,
  slow: SlowRecordReader,
): FastScanResult {
  const fieldCount = plan.roles.length;
  const lastField = fieldCount - 1;
  const d0 = plan.delimiter;
  const d1 = plan.delimiter2;
  // A byte no field byte equals when quotes are data.
  const quote = plan.quoting ? QUOTE : -1;
  const positiveWeights = plan.positiveWeights;
  const autoTime = plan.timeUnit === 'auto';
  const counts = builder.counts;

  let userSide = builder.users;
  let itemSide = builder.items;
  let users = userSide.values;
  let items = itemSide.values;
  let weights = builder.weights;
  let times = builder.times;
  let userIsString = userSide.isString;
  let itemIsString = itemSide.isString;
  let stringSides = userIsString || itemIsString;
  let kinds = fieldKinds(plan.roles, userIsString, itemIsString);
  let capacity = builder.capacity;
  let row = builder.length;
  let fastRows = 0;

  let p = start;
  let line = firstLine;
  // Records before the last LF in range are whole: inside one, every field's loop stops at its
  // LF at the latest, so none needs a bounds check. What follows the last LF (a record without
  // its line end) is left for the next call, or, in the final call, read by the full rules.
  const lastLineEnd = bytes.lastIndexOf(LF, end - 1);
  const wholeEnd = lastLineEnd < start ? start : lastLineEnd + 1;
  // Where the scan stopped short of `end` (a record needing more bytes), else -1. The returns are
  // after the loop: a call or return V8 has no feedback for inside this loop deoptimizes it.
  let consumed = -1;
  // Integer ids on both sides: runs of plain records go through the layout's compiled loop (see
  // compiledRecordScanner.ts); this loop takes the record it stops at. Given up for this call
  // when it stops at once many times in a row (every record in another notation).
  const compiled = plainRecordLoop(plan);
  let compiledMisses = 0;
  records: while (p < end) {
    if (!stringSides && compiledMisses < MAX_COMPILED_MISSES && p < wholeEnd) {
      const next = compiled(bytes, p, wholeEnd, users, items, weights, times, row, capacity, compiledOut);
      const scanned = compiledOut[0]! - row;
      if (scanned > 0) {
        row += scanned;
        fastRows += scanned;
        line += scanned;
        p = next;
        compiledMisses = 0;
        continue records;
      }
      compiledMisses++;
    }
    const recordStart = p;
    let user = 0;
    let item = 0;
    let userHash = 0;
    let itemHash = 0;
    let userStart = 0;
    let userEnd = 0;
    let itemStart = 0;
    let itemEnd = 0;
    let weight = 1;
    let time = 0;
    let plain = true;
    if (p >= wholeEnd) {
      if (!final) {
        consumed = p;
        break records;
      }
      plain = false;
    } else {
      let c = bytes[p]!;
      // Blank lines (LF or CR LF) are skipped.
      if (c === LF) {
        p++;
        line++;
        continue;
      }
      if (c === CR && bytes[p + 1] === LF) {
        p += 2;
        line++;
        continue;
      }
      fields: for (let f = 0; f < fieldCount; f++) {
        const kind = kinds[f]!;
        const fieldStart = p;
        if (kind === KIND_SCAN) {
          // Up to the delimiter or the line end.
          for (;;) {
            c = bytes[p]!;
            if (c === d0 || c === LF || c === quote) break;
            p++;
          }
        } else if (kind >= KIND_STRING_USER) {
          // A string id: its FNV-1a hash on the way, for the interner. A `.` may be an integer
          // id's `.0` suffix, which the full rules drop.
          let hash = FNV_OFFSET;
          for (;;) {
            c = bytes[p]!;
            if (c === d0 || c === LF || c === quote) break;
            if (c === 46) {
              plain = false;
              break fields;
            }
            hash = Math.imul(hash ^ c, FNV_PRIME);
            p++;
          }
          if (kind === KIND_STRING_USER) {
            userStart = fieldStart;
            userEnd = p;
            userHash = hash;
          } else {
            itemStart = fieldStart;
            itemEnd = p;
            itemHash = hash;
          }
        } else {
          const negative = kind >= KIND_WEIGHT && bytes[p] === 45;
          if (negative) p++;
          const digitsStart = p;
          let value = 0;
          // Two digits a turn (half the loop's back edges, each of which V8 makes poll for
          // interrupts and re-check `bytes`): callgrind 1,552-1,578 -> 1,449-1,466 instructions a row.
          for (;;) {
            const digit = bytes[p]! - 48;
            if ((digit >>> 0) > 9) break; // not 0-9 (one unsigned compare)
            // In bounds: a digit is not the LF that ends the record.
            const next = bytes[p + 1]! - 48;
            if ((next >>> 0) > 9) {
              value = value * 10 + digit;
              p++;
              break;
            }
            value = value * 100 + digit * 10 + next;
            p += 2;
          }
          const digits = p - digitsStart;
          if (kind <= KIND_INT_ITEM) {
            // A canonical integer id: digits, no leading zero, at most 2^31-1.
            if (digits === 0 || digits > 10 || (digits > 1 && bytes[fieldStart] === 48) || value > MAX_INT32) {
              plain = false;
              break fields;
            }
            if (kind === KIND_INT_USER) user = value;
            else item = value;
          } else {
            // A plain decimal: -?digits(.digits)?
            let ok = digits > 0;
            if (ok && bytes[p] === 46) {
              const fractionStart = ++p;
              let fraction = 0;
              for (;;) {
                const digit = bytes[p]! - 48;
                if ((digit >>> 0) > 9) break; // not 0-9 (one unsigned compare)
                fraction = fraction * 10 + digit;
                p++;
              }
              if (p === fractionStart || p - fieldStart > MAX_PLAIN_NUMBER_BYTES) ok = false;
              else value += fraction / POWERS_OF_TEN[p - fractionStart]!;
            } else if (digits > MAX_PLAIN_NUMBER_BYTES) {
              ok = false;
            }
            if (ok) {
              c = bytes[p]!;
              ok = c === d0 || c === LF || c === CR;
            }
            if (negative) value = -value;
            if (!ok) {
              if (kind !== KIND_TIME || !autoTime) {
                plain = false;
                break fields;
              }
              // Another notation (ISO 8601): to the field's end, then the full time parser.
              p = fieldStart;
              for (;;) {
                c = bytes[p]!;
                if (c === d0 || c === LF || c === quote) break;
                p++;
              }
              let fieldEnd = p;
              if (fieldEnd > fieldStart && bytes[fieldEnd - 1] === CR && c === LF) fieldEnd--;
              value = parseTimeBytes(bytes, fieldStart, fieldEnd);
              if (value !== value) {
                plain = false;
                break fields;
              }
            } else if (kind === KIND_TIME && autoTime && (value >= MILLISECONDS_THRESHOLD || value <= -MILLISECONDS_THRESHOLD)) {
              value /= 1000;
            }
            if (kind === KIND_WEIGHT) weight = value;
            else time = value;
          }
        }
        // The field's end: a delimiter before the next field, the line end after the last.
        c = bytes[p]!;
        if (f !== lastField) {
          if (c !== d0) {
            plain = false;
            break fields;
          }
          p++;
          if (d1 >= 0) {
            if (bytes[p] !== d1) {
              plain = false;
              break fields;
            }
            p++;
          }
        } else if (c === LF) {
          // A string id that ends a CRLF line ends before the CR (hashed again without it).
          if (bytes[p - 1] === CR) {
            if (kind === KIND_STRING_USER) userHash = fnv1a(bytes, userStart, --userEnd);
            else if (kind === KIND_STRING_ITEM) itemHash = fnv1a(bytes, itemStart, --itemEnd);
          }
          p++;
        } else if (c === CR && bytes[p + 1] === LF) {
          // Only a number stops at a CR (other fields run to the LF).
          p += 2;
        } else {
          plain = false;
          break fields;
        }
      }
    }
    if (plain) {
      if (stringSides) {
        // String ids: not empty, not over the length cap, not ending in a CR left by a CR at the data's end.
        const userLength = userEnd - userStart;
        const itemLength = itemEnd - itemStart;
        if ((userIsString && (userLength === 0 || userLength > MAX_ID_BYTES || bytes[userEnd - 1] === CR))
          || (itemIsString && (itemLength === 0 || itemLength > MAX_ID_BYTES || bytes[itemEnd - 1] === CR))) plain = false;
      }
      if (positiveWeights && !(weight > 0)) plain = false;
    }
    if (!plain) {
      // The full rules for this record; then pick up the (possibly grown or switched) columns.
      builder.length = row;
      counts.rows += fastRows;
      counts.kept += fastRows;
      fastRows = 0;
      const next = slow(bytes, recordStart, end, final, line);
      if (next < 0) {
        consumed = recordStart;
        break records;
      }
      for (let k = recordStart; k < next; k++) if (bytes[k] === LF) line++;
      if (next === end && bytes[end - 1] !== LF) line++;
      p = next;
      row = builder.length;
      userSide = builder.users;
      itemSide = builder.items;
      users = userSide.values;
      items = itemSide.values;
      weights = builder.weights;
      times = builder.times;
      userIsString = userSide.isString;
      itemIsString = itemSide.isString;
      stringSides = userIsString || itemIsString;
      kinds = fieldKinds(plan.roles, userIsString, itemIsString);
      capacity = builder.capacity;
      continue records;
    }
    if (row === capacity) {
      builder.length = row;
      builder.grow();
      users = userSide.values;
      items = itemSide.values;
      weights = builder.weights;
      times = builder.times;
      capacity = builder.capacity;
    }
    users[row] = userIsString ? userSide.stringCode(bytes, userStart, userEnd, userHash) : user;
    items[row] = itemIsString ? itemSide.stringCode(bytes, itemStart, itemEnd, itemHash) : item;
    weights[row] = weight;
    if (times !== null) times[row] = time;
    row++;
    fastRows++;
    line++;
  }
  builder.length = row;
  counts.rows += fastRows;
  counts.kept += fastRows;
  return { consumed: consumed < 0 ? p : consumed, line };
}

/** The compiled loop's row count out (one scan runs at a time in a thread). */
const compiledOut = new Int32Array(1);
/** Stops in a row after which a call gives the compiled loop up. */
const MAX_COMPILED_MISSES = 64;

const KIND_INT_USER = 1;
const KIND_INT_ITEM = 2;
const KIND_WEIGHT = 3;
const KIND_TIME = 4;
const KIND_STRING_USER = 5;
const KIND_STRING_ITEM = 6;
const KIND_SCAN = 0;

/** How the loop reads each field, given whether each id side has turned to strings. */
function fieldKinds(roles: Uint8Array, userIsString: boolean, itemIsString: boolean): Uint8Array {
  const kinds = new Uint8Array(roles.length);
  for (let f = 0; f < roles.length; f++) {
    const role = roles[f]!;
    kinds[f] =
      role === FieldRole.User ? (userIsString ? KIND_STRING_USER : KIND_INT_USER)
      : role === FieldRole.Item ? (itemIsString ? KIND_STRING_ITEM : KIND_INT_ITEM)
      : role === FieldRole.Weight ? KIND_WEIGHT
      : role === FieldRole.Time ? KIND_TIME
      : KIND_SCAN;
  }
  return kinds;
}

/** The FNV-1a hash of `bytes[start, end)`, as ByteInterner computes it. */
function fnv1a(bytes: Uint8Array, start: number, end: number): number {
  let hash = FNV_OFFSET;
  for (let p = start; p < end; p++) hash = Math.imul(hash ^ bytes[p]!, FNV_PRIME);
  return hash;
}

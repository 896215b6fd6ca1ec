/**
 * An RFC 4180 record scanner over bytes: finds the fields of each record without building a string.
 *
 * A record ends at LF (a CR before it is dropped); a field that starts with `"` is quoted and may
 * hold the delimiter, `""` (one quote) and line ends; a `"` inside an unquoted field is kept as
 * data (as Python's csv module and csv-parse's `relax_quotes` do). Lines without any `"` take a
 * fast path: one pass looking for the delimiter and LF.
 */

/** The largest number of fields a record may have (bounds the per-record arrays). */
export const MAX_FIELDS = 4096;

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

/**
 * Field boundaries of the current record: field f is `bytes[starts[f], ends[f])`, quotes removed;
 * `escaped[f]` is 1 when that range still holds `""` pairs (to be unescaped when it is read).
 */
export interface CsvFields {
  count: number;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly escaped: Uint8Array;
}

/**
 * Called once per non-empty record. `recordStart`/`recordEnd` bound the record's bytes (for
 * quoting it in an error); `line` is the line the record starts on (from 1).
 */
export type CsvRecordHandler = (bytes: Uint8Array, fields: CsvFields, recordStart: number, recordEnd: number, line: number) => void;

/** A record the scanner cannot split (a closing quote followed by data, or a quote left open). */
export class CsvSyntaxError extends Error {
  constructor(
    readonly problem: string,
    readonly line: number,
    readonly recordStart: number,
    readonly recordEnd: number,
  ) {
    super(problem);
  }
}

/** What a scan consumed: records before `consumed` were delivered; `lines` is the next line number. */
export interface ScanResult {
  readonly consumed: number;
  readonly line: number;
}

/** Fresh per-record field arrays (reuse one across calls). */
export function createCsvFields(): CsvFields {
  return { count: 0, starts: new Int32Array(MAX_FIELDS), ends: new Int32Array(MAX_FIELDS), escaped: new Uint8Array(MAX_FIELDS) };
}

/**
 * Delivers every complete record of `bytes[start, end)`. With `final` false, a record not yet
 * ended by LF is left for the next call: `consumed` is where it starts (carry `bytes[consumed, end)`
 * over to the next chunk). With `final` true the last record may lack its LF. Empty lines are skipped.
 * At most `maxRecords` records are delivered (the scan stops after the last of them).
 *
 * @throws CsvSyntaxError for a malformed quoted field, or more than {@link MAX_FIELDS} fields.
 * @example
 * ```ts
 * const fields = createCsvFields();
 * scanCsvRecords(Buffer.from('a,"b,c"\n'), 0, 8, 0x2c, true, 1, fields, (bytes, f) => console.log(f.count)); // 2
 * ```
 */
export function scanCsvRecords(
  bytes: Uint8Array,
  start: number,
  end: number,
  delimiter: number,
  final: boolean,
  firstLine: number,
  fields: CsvFields,
  onRecord: CsvRecordHandler,
  maxRecords = Infinity,
): ScanResult {
  const { starts, ends, escaped } = fields;
  let p = start;
  let line = firstLine;
  let delivered = 0;
  // One record (the fast scanner's fallback): look for a quote on this line only, not ahead
  // through the whole chunk on every call.
  const single = maxRecords === 1;
  // The next quote at or after p, found once and reused while records lie before it: searching
  // afresh for each record would scan ahead to a distant quote every time.
  let nextQuote = -2;
  while (p < end && delivered < maxRecords) {
    const recordStart = p;
    let lf = bytes.indexOf(LF, p);
    if (lf === -1 || lf >= end) {
      if (!final) return { consumed: recordStart, line };
      lf = end;
    }
    if (single) {
      nextQuote = -1;
      for (let q = p; q < lf; q++) {
        if (bytes[q] === QUOTE) {
          nextQuote = q;
          break;
        }
      }
    } else if (nextQuote !== -1 && nextQuote < p) {
      nextQuote = bytes.indexOf(QUOTE, p);
      if (nextQuote >= end) nextQuote = -1;
    }
    if (nextQuote === -1 || nextQuote >= lf) {
      // Fast path: no quote before the line end.
      let lineEnd = lf;
      if (lineEnd > p && bytes[lineEnd - 1] === CR) lineEnd--;
      if (lineEnd === p) {
        p = lf + 1;
        line++;
        continue;
      }
      let count = 0;
      let fieldStart = p;
      for (let q = p; q < lineEnd; q++) {
        if (bytes[q] === delimiter) {
          if (count === MAX_FIELDS - 1) throw new CsvSyntaxError(`more than ${MAX_FIELDS} fields`, line, recordStart, lineEnd);
          starts[count] = fieldStart;
          ends[count] = q;
          escaped[count] = 0;
          count++;
          fieldStart = q + 1;
        }
      }
      starts[count] = fieldStart;
      ends[count] = lineEnd;
      escaped[count] = 0;
      fields.count = count + 1;
      onRecord(bytes, fields, recordStart, lineEnd, line);
      delivered++;
      p = lf + 1;
      line++;
      continue;
    }
    // Slow path: a byte-by-byte state machine, which may run past this LF inside a quoted field.
    const recordLine = line;
    let count = 0;
    let q = p;
    let done = false;
    while (!done) {
      if (count === MAX_FIELDS) throw new CsvSyntaxError(`more than ${MAX_FIELDS} fields`, recordLine, recordStart, Math.min(end, q));
      if (q < end && bytes[q] === QUOTE) {
        // Quoted field: up to the closing quote, `""` standing for one quote.
        const fieldStart = q + 1;
        let r = fieldStart;
        let hasEscape = 0;
        for (;;) {
          const next = bytes.indexOf(QUOTE, r);
          if (next === -1 || next >= end) {
            if (!final) return { consumed: recordStart, line: recordLine };
            throw new CsvSyntaxError('a quoted field is not closed before the end of the file', recordLine, recordStart, end);
          }
          if (next + 1 < end && bytes[next + 1] === QUOTE) {
            hasEscape = 1;
            r = next + 2;
            continue;
          }
          if (next + 1 >= end && !final) return { consumed: recordStart, line: recordLine };
          r = next;
          break;
        }
        for (let k = fieldStart; k < r; k++) if (bytes[k] === LF) line++;
        starts[count] = fieldStart;
        ends[count] = r;
        escaped[count] = hasEscape;
        count++;
        q = r + 1;
        if (q >= end) {
          done = true;
        } else if (bytes[q] === delimiter) {
          q++;
        } else if (bytes[q] === LF || (bytes[q] === CR && q + 1 < end && bytes[q + 1] === LF)) {
          q = bytes[q] === LF ? q + 1 : q + 2;
          done = true;
        } else if (bytes[q] === CR && q + 1 >= end) {
          if (!final) return { consumed: recordStart, line: recordLine };
          q++;
          done = true;
        } else {
          const stop = bytes.indexOf(LF, q);
          throw new CsvSyntaxError('a closing quote is followed by data instead of a delimiter or line end', recordLine, recordStart, stop === -1 || stop > end ? end : stop);
        }
        if (done) break;
        // A delimiter just consumed: a field follows (possibly empty at the line end).
        continue;
      }
      // Unquoted field: up to the delimiter or LF.
      const fieldStart = q;
      while (q < end && bytes[q] !== delimiter && bytes[q] !== LF) q++;
      if (q >= end && !final) return { consumed: recordStart, line: recordLine };
      let fieldEnd = q;
      const atLineEnd = q >= end || bytes[q] === LF;
      if (atLineEnd && fieldEnd > fieldStart && bytes[fieldEnd - 1] === CR) fieldEnd--;
      starts[count] = fieldStart;
      ends[count] = fieldEnd;
      escaped[count] = 0;
      count++;
      q++;
      if (atLineEnd) done = true;
    }
    fields.count = count;
    let recordEnd = Math.min(q, end);
    if (recordEnd > recordStart && bytes[recordEnd - 1] === LF) recordEnd--;
    if (recordEnd > recordStart && bytes[recordEnd - 1] === CR) recordEnd--;
    onRecord(bytes, fields, recordStart, recordEnd, recordLine);
    delivered++;
    line++;
    p = q;
  }
  return { consumed: Math.min(p, end), line };
}

/**
 * The text of field `f`, quotes unescaped.
 * @example fieldText(bytes, fields, 0) // 'WHITE METAL LANTERN'
 */
export function fieldText(bytes: Uint8Array, fields: CsvFields, f: number, encoding: 'utf8' | 'latin1' = 'utf8'): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(encoding, fields.starts[f], fields.ends[f]);
  return fields.escaped[f] === 1 ? text.replaceAll('""', '"') : text;
}

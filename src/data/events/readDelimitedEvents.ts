/**
 * Delimited text (CSV, TSV, any single-byte delimiter), plain or gzip, into event columns: the
 * header (or `columns`) names the fields, the delimiter is given or detected, and the records are
 * scanned chunk by chunk straight into typed columns.
 */
import { DataFormatError } from '../../errors.js';
import { CsvSyntaxError, createCsvFields, fieldText, scanCsvRecords, type CsvFields } from './csvRecordScanner.js';
import { BadRowError, EventColumnsBuilder, type EventFieldPlan, type ParsedEvents } from './eventColumnsBuilder.js';
import type { ResolvedLoadOptions } from './loadOptions.js';
import type { TextSource } from './textChunks.js';
import { CarryOver } from './carryOver.js';
import { fastPlan, scanRecordsFast, type SlowRecordReader } from './fastRecordScanner.js';

/** The longest record accepted (quoted line ends included), in bytes. */
export const MAX_RECORD_BYTES = 1 << 20;

const LF = 0x0a;
const DELIMITER_CANDIDATES = [',', '\t', ';', '|'];

/** How a delimited file is laid out, found from its first line. */
export interface DelimitedLayout {
  readonly delimiter: number;
  /** Column names, from the header or `columns`. */
  readonly names: readonly string[];
  /** Byte offset where the data starts in the text, and its line number. */
  readonly dataStart: number;
  readonly dataLine: number;
}

/**
 * The delimiter of a first line: `given` when set, else whichever of `, TAB ; |` occurs most
 * often outside quotes (comma on a tie or when none occurs).
 * @example detectDelimiter('user\titem\tweight') // 0x09
 */
export function detectDelimiter(firstLine: string, given?: string): number {
  if (given !== undefined) return given.charCodeAt(0);
  const unquoted = firstLine.replace(/"([^"]|"")*"/g, '');
  let best = ',';
  let bestCount = 0;
  for (const candidate of DELIMITER_CANDIDATES) {
    const count = unquoted.split(candidate).length - 1;
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best.charCodeAt(0);
}

const HEADER_DONE = Symbol('header done');

/**
 * Reads the layout from the start of the text (`head` must hold at least the first record, or
 * the whole text).
 */
export function readLayout(path: string, head: Buffer, options: ResolvedLoadOptions): DelimitedLayout {
  let start = head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  // Blank lines before the header are skipped, as the scanner skips them between records.
  let line = 1;
  while (start < head.length && (head[start] === LF || (head[start] === 0x0d && head[start + 1] === LF))) {
    start = head.indexOf(LF, start) + 1;
    line++;
  }
  const firstLf = head.indexOf(LF, start);
  const firstLine = head.toString('utf8', start, firstLf === -1 ? head.length : firstLf);
  const delimiter = detectDelimiter(firstLine, options.delimiter);
  if (options.columns !== undefined) return { delimiter, names: options.columns, dataStart: start, dataLine: line };
  let names: string[] = [];
  let headerEnd = -1;
  const fields = createCsvFields();
  try {
    scanCsvRecords(head, start, head.length, delimiter, true, line, fields, (bytes, f: CsvFields, _s, recordEnd) => {
      for (let k = 0; k < f.count; k++) names.push(fieldText(bytes, f, k));
      headerEnd = recordEnd;
      throw HEADER_DONE;
    });
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new DataFormatError(path, error.line, `header: ${error.problem}`, firstLine);
    if (error !== HEADER_DONE) throw error;
  }
  if (headerEnd < 0) throw new DataFormatError(path, undefined, 'file is empty');
  names = names.map((name) => name.trim());
  let dataStart = head.indexOf(LF, headerEnd);
  dataStart = dataStart === -1 ? head.length : dataStart + 1;
  let dataLine = line + 1;
  for (let p = start; p < headerEnd; p++) if (head[p] === LF) dataLine++;
  return { delimiter, names, dataStart, dataLine };
}

/**
 * Maps the options' column names to field indices.
 * @throws DataFormatError listing the header when a named column is missing.
 */
export function planFields(path: string, names: readonly string[], options: ResolvedLoadOptions, optionNames: Readonly<Record<string, string>>): EventFieldPlan {
  const index = (key: 'userColumn' | 'itemColumn' | 'weightColumn' | 'timeColumn' | 'titleColumn' | 'eventColumn'): number => {
    const name = options[key];
    if (name === undefined) return -1;
    const found = names.indexOf(name);
    if (found < 0) {
      const source = options.columns !== undefined ? `the columns given are` : 'the header has';
      throw new DataFormatError(path, undefined, `no column "${name}" (${optionNames[key] ?? key}); ${source}: ${names.join(', ')}`);
    }
    return found;
  };
  return {
    fieldCount: names.length,
    user: index('userColumn'),
    item: index('itemColumn'),
    weight: index('weightColumn'),
    time: index('timeColumn'),
    title: index('titleColumn'),
    event: index('eventColumn'),
    eventWeights: options.eventWeights ?? null,
    onBadRow: options.onBadRow,
  };
}

/** Rows a text of `textBytes` likely holds, from the mean record length of a sample. */
export function estimateRows(sample: Buffer, from: number, textBytes: number): number {
  const end = Math.min(sample.length, from + (1 << 20));
  let lines = 0;
  for (let p = sample.indexOf(LF, from); p !== -1 && p < end; p = sample.indexOf(LF, p + 1)) lines++;
  if (lines === 0) return 1024;
  const meanBytes = (end - from) / lines;
  return Math.ceil((textBytes / meanBytes) * 1.02) + 64;
}

/** Scans `data[from, end)` into the builder; see scanRecordsFast for `consumed` and `line`. */
export type EventChunkScan = (data: Buffer, from: number, final: boolean, line: number) => { readonly consumed: number; readonly line: number };

/**
 * The scan of an event file's records into `builder`: the fast scanner with the RFC 4180 scanner
 * and the event rules for the records it declines; the RFC 4180 scanner alone when the plan has a
 * title or event column (their strings are per-row work the fast loop does not do).
 * @example createEventScan(plan, 0x2c, builder)(chunk, 0, false, 2).consumed
 */
export function createEventScan(plan: EventFieldPlan, delimiter: number, builder: EventColumnsBuilder): EventChunkScan {
  const fields = createCsvFields();
  if (plan.title >= 0 || plan.event >= 0) {
    return (data, from, final, line) => scanCsvRecords(data, from, data.length, delimiter, final, line, fields, builder.addRecord);
  }
  const fast = fastPlan(plan.fieldCount, plan, delimiter, -1, true, true, 'auto');
  const slow: SlowRecordReader = (bytes, recordStart, end, final, line) => {
    const result = scanCsvRecords(bytes, recordStart, end, delimiter, final, line, fields, builder.addRecord, 1);
    return result.consumed === recordStart ? -1 : result.consumed;
  };
  return (data, from, final, line) => scanRecordsFast(data, from, data.length, final, line, fast, builder, slow);
}

/**
 * Parses every record of `source` on this thread.
 * @throws DataFormatError naming `file:line` and quoting the record for a malformed row (unless
 *   `onBadRow` is `skip`), or listing the header for a missing column.
 */
export async function readDelimitedEvents(path: string, source: TextSource, options: ResolvedLoadOptions, optionNames: Readonly<Record<string, string>>): Promise<ParsedEvents & { readonly layout: DelimitedLayout }> {
  const carry = new CarryOver();
  let layout: DelimitedLayout | null = null;
  let builder: EventColumnsBuilder | null = null;
  let scanChunk: EventChunkScan | null = null;
  let line = 1;

  const scan = (data: Buffer, from: number, final: boolean): number => {
    try {
      scanChunk ??= createEventScan(builder!.plan, layout!.delimiter, builder!);
      const result = scanChunk(data, from, final, line);
      line = result.line;
      return result.consumed;
    } catch (error) {
      throw asDataFormatError(path, data, error);
    }
  };

  for await (const chunk of source.chunks()) {
    const data = carry.join(chunk);
    let from = 0;
    if (layout === null) {
      // The first record must be whole before the layout is read.
      if (data.indexOf(LF) === -1 && data.length < MAX_RECORD_BYTES) {
        carry.keep(data, 0);
        continue;
      }
      layout = readLayout(path, data, options);
      builder = new EventColumnsBuilder(planFields(path, layout.names, options, optionNames), estimateRows(data, layout.dataStart, source.textBytes));
      from = layout.dataStart;
      line = layout.dataLine;
    }
    const consumed = scan(data, from, false);
    if (data.length - consumed > MAX_RECORD_BYTES) throw new DataFormatError(path, line, `record longer than ${MAX_RECORD_BYTES >> 20} MiB (is this a text file, or a quote left open?)`);
    carry.keep(data, consumed);
  }
  const pending = carry.pending;
  if (layout === null) {
    if (pending.length === 0) throw new DataFormatError(path, undefined, 'file is empty');
    layout = readLayout(path, pending, options);
    builder = new EventColumnsBuilder(planFields(path, layout.names, options, optionNames), estimateRows(pending, layout.dataStart, pending.length));
    line = layout.dataLine;
    scan(pending, layout.dataStart, true);
  } else if (pending.length > 0) {
    scan(pending, 0, true);
  }
  return { ...builder!.finish(), layout };
}

/** The scanner's and the row rules' errors as DataFormatError naming `file:line`. */
export function asDataFormatError(path: string, data: Buffer, error: unknown): unknown {
  if (error instanceof BadRowError) return new DataFormatError(path, error.line, error.problem, error.text);
  if (error instanceof CsvSyntaxError) {
    return new DataFormatError(path, error.line, error.problem, data.toString('utf8', error.recordStart, Math.min(error.recordEnd, error.recordStart + 200)));
  }
  return error;
}

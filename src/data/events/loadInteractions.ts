/**
 * The generic loader: any implicit-feedback log (CSV/TSV, JSON Lines, Parquet; gzip for the text
 * formats) into {@link RawInteractions}, with item titles and a summary of what the row rules did.
 */
import { DataFormatError } from '../../errors.js';
import type { ExternalId, IdColumn, RawInteractions } from '../rawInteractions.js';
import type { LoadCounts, ParsedEvents } from './eventColumnsBuilder.js';
import { resolveLoadOptions, type EventFileFormat, type LoadInteractionsOptions, type OptionNames, type ResolvedLoadOptions } from './loadOptions.js';
import { readDelimitedEvents } from './readDelimitedEvents.js';
import { readDelimitedEventsInParallel, shouldParseInParallel } from './parallel/readDelimitedInParallel.js';
import { readItemTitles } from './readItemTitles.js';
import { readJsonLinesEvents } from './readJsonLinesEvents.js';
import { readParquetEvents } from './readParquetEvents.js';
import { openTextSource } from './textChunks.js';

/** What the load did, for the CLI to print and a program to check. */
export interface LoadSummary extends Omit<LoadCounts, 'skippedExamples'> {
  readonly file: string;
  readonly format: EventFileFormat;
  readonly compressed: boolean;
  /** The first few skipped rows, as `line N: problem`. */
  readonly skippedExamples: readonly string[];
  /** Count per event type when there is an event column. */
  readonly eventCounts?: Readonly<Record<string, number>>;
  /** Distinct users and items among the kept events. */
  readonly users: number;
  readonly items: number;
  /** Threads that parsed the file, this one included (1: this thread alone). */
  readonly threads: number;
  /** One line each: e.g. an event weight naming an event absent from the data. */
  readonly warnings: readonly string[];
  readonly seconds: number;
}

/** The loaded events, ids as given. */
export interface LoadedInteractions {
  readonly events: RawInteractions;
  /** Item titles by item id, when a title column or titles file was given. */
  readonly titles: ReadonlyMap<ExternalId, string>;
  readonly summary: LoadSummary;
}

/**
 * Reads an event log. Each kept row is one event (user, item, weight, time); repeated (user,
 * item) events are NOT merged here (see `aggregateEvents`). The row rules: an empty user or item
 * id drops the row; a weight <= 0 (cancellations, returns) drops the row; an event type absent
 * from `eventWeights` drops the row; all are counted in the summary. A malformed row is an error
 * naming `file:line` (or counted, with `onBadRow: 'skip'`). Ids: a canonical whole number
 * (optionally with a zero fraction, `17850.0` -> 17850) is an integer id; anything else a string
 * exactly as given (`"00123"`, `"85123A"`). Times without a zone are read as UTC.
 *
 * @throws InvalidOptionError for bad options; DataFormatError for a missing column (listing the
 *   header), a malformed row, an id longer than 1 KiB, or a file with no usable row (saying which
 *   rule dropped what).
 * @example
 * ```ts
 * const { events, titles, summary } = await loadInteractions('online-retail.csv.gz', {
 *   userColumn: 'CustomerID', itemColumn: 'StockCode', weightColumn: 'Quantity',
 *   timeColumn: 'InvoiceDate', titleColumn: 'Description',
 * });
 * console.log(summary.kept, summary.emptyUser, titles.get('85123A'));
 * ```
 */
export async function loadInteractions(path: string, options: LoadInteractionsOptions, optionNames: OptionNames = {}): Promise<LoadedInteractions> {
  const started = performance.now();
  if (typeof path !== 'string' || path === '') throw new DataFormatError(String(path), undefined, 'expected a file path');
  const resolved = resolveLoadOptions(options, optionNames);
  const names = optionNames as Readonly<Record<string, string>>;
  const format = resolved.format ?? formatFromName(path);
  let parsed: ParsedEvents;
  let compressed = false;
  let threads = 1;
  if (format === 'parquet') {
    parsed = await readParquetEvents(path, resolved, names);
  } else {
    const source = await openTextSource(path, resolved.maxFileBytes, resolved.onProgress);
    compressed = source.compressed;
    if (format === 'jsonl') {
      parsed = await readJsonLinesEvents(path, source, resolved);
    } else if (shouldParseInParallel(source, resolved)) {
      const result = await readDelimitedEventsInParallel(path, source, resolved, names);
      parsed = result;
      threads = result.threads;
    } else {
      parsed = await readDelimitedEvents(path, source, resolved, names);
    }
  }
  const { events, counts } = parsed;
  const warnings: string[] = [];
  if (parsed.eventCounts !== null && resolved.eventWeights !== undefined) {
    const absent = [...resolved.eventWeights.keys()].filter((event) => !parsed.eventCounts!.has(event));
    if (absent.length > 0) {
      const seen = [...parsed.eventCounts].map(([event, n]) => `${event} ${n.toLocaleString('en-US')}`).join(', ');
      warnings.push(`${names['eventWeights'] ?? 'eventWeights'} names ${absent.map((e) => `"${e}"`).join(', ')}, absent from the data; events found: ${seen || 'none'}`);
    }
  }
  if (counts.kept === 0) throw new DataFormatError(path, undefined, noUsableRow(counts));
  let titles = externalTitles(events.items, parsed.titles);
  if (resolved.items !== undefined) titles = await readItemTitles(resolved.items, events.items, names);
  const summary: LoadSummary = {
    ...counts,
    skippedExamples: counts.skippedExamples.map(({ line, problem }) => `line ${line}: ${problem}`),
    file: path,
    format,
    compressed,
    ...(parsed.eventCounts === null ? {} : { eventCounts: Object.fromEntries(parsed.eventCounts) }),
    users: distinctCount(events.users),
    items: distinctCount(events.items),
    threads,
    warnings,
    seconds: (performance.now() - started) / 1000,
  };
  return { events, titles, summary };
}

/** The format a file name implies (a `.gz` suffix aside). */
export function formatFromName(path: string): EventFileFormat {
  const name = path.toLowerCase().replace(/\.gz$/, '');
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson')) return 'jsonl';
  if (name.endsWith('.parquet')) return 'parquet';
  return 'csv';
}

function noUsableRow(counts: LoadCounts): string {
  const dropped = [
    counts.emptyUser > 0 ? `${counts.emptyUser.toLocaleString('en-US')} with an empty user id` : '',
    counts.emptyItem > 0 ? `${counts.emptyItem.toLocaleString('en-US')} with an empty item id` : '',
    counts.nonPositiveWeight > 0 ? `${counts.nonPositiveWeight.toLocaleString('en-US')} with a weight <= 0` : '',
    counts.unweightedEvent > 0 ? `${counts.unweightedEvent.toLocaleString('en-US')} with an event type that has no weight` : '',
    counts.skippedBadRows > 0 ? `${counts.skippedBadRows.toLocaleString('en-US')} malformed (skipped)` : '',
  ].filter((s) => s !== '');
  if (counts.rows === 0) return 'no data rows';
  return `no usable row: of ${counts.rows.toLocaleString('en-US')} rows, ${dropped.join(', ')}`;
}

/** Number of distinct ids in a column. */
export function distinctCount(column: IdColumn): number {
  if (column.kind === 'string') {
    // Every interned string occurs in some kept row.
    return column.table.length;
  }
  const values = column.values;
  let max = 0;
  for (let j = 0; j < values.length; j++) if (values[j]! > max) max = values[j]!;
  // A byte per possible id when that is small (a Set of 10M numbers costs about a second).
  if (max <= Math.max(1 << 24, values.length * 8)) {
    const seen = new Uint8Array(max + 1);
    let count = 0;
    for (let j = 0; j < values.length; j++) {
      const v = values[j]!;
      if (seen[v] === 0) {
        seen[v] = 1;
        count++;
      }
    }
    return count;
  }
  const seen = new Set<number>();
  let last = -1;
  for (let j = 0; j < values.length; j++) {
    const v = values[j]!;
    if (v !== last) {
      seen.add(v);
      last = v;
    }
  }
  return seen.size;
}

/** Titles keyed by the external id (the int id, or the string for a string side). */
function externalTitles(items: IdColumn, titles: ReadonlyMap<number, string> | null): Map<ExternalId, string> {
  const out = new Map<ExternalId, string>();
  if (titles === null) return out;
  for (const [key, title] of titles) out.set(items.kind === 'string' ? items.table[key]! : key, title);
  return out;
}

export type { ResolvedLoadOptions };

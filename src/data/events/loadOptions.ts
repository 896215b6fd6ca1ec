/**
 * The options of {@link loadInteractions}, validated once at the edge (the CLI's `--data` flags
 * go through the same function, with the flags' names in the messages).
 */
import { invalidOption } from '../../errors.js';
import type { ReadProgress } from '../lineReader.js';

export type AggregateRule = 'sum' | 'max' | 'last' | 'count';
export type BadRowRule = 'error' | 'skip';
export type EventFileFormat = 'csv' | 'jsonl' | 'parquet';

export const AGGREGATE_RULES: readonly AggregateRule[] = ['sum', 'max', 'last', 'count'];
export const BAD_ROW_RULES: readonly BadRowRule[] = ['error', 'skip'];
export const EVENT_FILE_FORMATS: readonly EventFileFormat[] = ['csv', 'jsonl', 'parquet'];

/** A titles file beside the events: `id,title` rows keyed like the item column. */
export interface ItemTitlesFile {
  readonly path: string;
  readonly idColumn: string;
  readonly titleColumn: string;
}

export interface LoadInteractionsOptions {
  /** Column (header name, JSON key or Parquet column) holding the user id. */
  readonly userColumn: string;
  /** Column holding the item id. */
  readonly itemColumn: string;
  /** Column holding the event weight (a quantity, a rating); each event weighs 1 without it. */
  readonly weightColumn?: string;
  /** Column holding the event time (epoch seconds or ms, ISO 8601, `YYYY-MM-DD HH:MM:SS`). */
  readonly timeColumn?: string;
  /** Column holding an item title (the first non-empty one per item is kept). */
  readonly titleColumn?: string;
  /** Item titles from another file, instead of `titleColumn`. */
  readonly items?: ItemTitlesFile;
  /** Column holding an event type, weighted by `eventWeights` (types not listed are dropped). */
  readonly eventColumn?: string;
  /** Weight per event type, e.g. `{ view: 1, cart: 4, purchase: 10 }`; multiplies `weightColumn`. */
  readonly eventWeights?: Readonly<Record<string, number>>;
  /** Field delimiter of a text file (one character); detected from the first line when absent. */
  readonly delimiter?: string;
  /** Column names of a headerless delimited file, in order (the first line is then data). */
  readonly columns?: readonly string[];
  /** File format; from the extension when absent (`.jsonl`/`.ndjson`, `.parquet`, else delimited text). */
  readonly format?: EventFileFormat;
  /** `error` (default): a malformed row stops the load naming file:line; `skip`: it is counted. */
  readonly onBadRow?: BadRowRule;
  /**
   * Parsing threads for a large (32 MiB or more) uncompressed delimited file, this one included;
   * default one per core, at most 4 (1: this thread alone).
   */
  readonly threads?: number;
  /** Largest file accepted, in bytes (default 64 GiB), checked before reading. */
  readonly maxFileBytes?: number;
  /** Called as the file is read. */
  readonly onProgress?: (progress: ReadProgress) => void;
}

/** The validated options, with defaults filled in. */
export interface ResolvedLoadOptions extends Omit<LoadInteractionsOptions, 'onBadRow' | 'maxFileBytes' | 'eventWeights'> {
  readonly onBadRow: BadRowRule;
  readonly maxFileBytes: number;
  readonly eventWeights?: ReadonlyMap<string, number>;
}

/** Display names for the options in messages (the CLI passes its flags). */
export type OptionNames = Partial<Record<keyof LoadInteractionsOptions | 'items.path' | 'items.idColumn' | 'items.titleColumn', string>>;

export const MAX_FILE_BYTES_DEFAULT = 64 * 2 ** 30;
/** Longest id accepted, in bytes. */
export const MAX_ID_BYTES = 1024;

/**
 * Checks `options` and fills in the defaults.
 * @throws InvalidOptionError naming the option.
 * @example resolveLoadOptions({ userColumn: 'CustomerID', itemColumn: 'StockCode' }).onBadRow // 'error'
 */
export function resolveLoadOptions(options: LoadInteractionsOptions, names: OptionNames = {}): ResolvedLoadOptions {
  const name = (key: keyof OptionNames) => names[key] ?? key;
  if (options === null || typeof options !== 'object') throw invalidOption('options', 'an object', options);
  const column = (key: 'userColumn' | 'itemColumn' | 'weightColumn' | 'timeColumn' | 'titleColumn' | 'eventColumn', required: boolean) => {
    const value = options[key];
    if (value === undefined && !required) return;
    if (typeof value !== 'string' || value === '') throw invalidOption(name(key), 'a column name', value);
  };
  column('userColumn', true);
  column('itemColumn', true);
  column('weightColumn', false);
  column('timeColumn', false);
  column('titleColumn', false);
  column('eventColumn', false);
  if (options.items !== undefined) {
    if (options.titleColumn !== undefined) throw invalidOption(name('items'), `no ${name('titleColumn')} beside it (titles come from one place)`, options.items.path);
    for (const key of ['path', 'idColumn', 'titleColumn'] as const) {
      const value = options.items[key];
      if (typeof value !== 'string' || value === '') throw invalidOption(name(`items.${key}`), key === 'path' ? 'a file path' : 'a column name', value);
    }
  }
  let eventWeights: Map<string, number> | undefined;
  if (options.eventWeights !== undefined) {
    if (options.eventColumn === undefined) throw invalidOption(name('eventWeights'), `${name('eventColumn')} as well`, 'no event column');
    eventWeights = new Map();
    for (const [event, weight] of Object.entries(options.eventWeights)) {
      if (typeof weight !== 'number' || !Number.isFinite(weight)) throw invalidOption(name('eventWeights'), `a finite weight for event "${event}"`, weight);
      eventWeights.set(event, weight);
    }
    if (eventWeights.size === 0) throw invalidOption(name('eventWeights'), 'at least one event=weight pair', '{}');
  } else if (options.eventColumn !== undefined) {
    throw invalidOption(name('eventColumn'), `${name('eventWeights')} as well (the weight of each event type)`, options.eventColumn);
  }
  if (options.delimiter !== undefined && (typeof options.delimiter !== 'string' || Buffer.byteLength(options.delimiter) !== 1 || /["\r\n]/.test(options.delimiter))) {
    throw invalidOption(name('delimiter'), 'one single-byte character other than a quote or line end', options.delimiter);
  }
  if (options.columns !== undefined) {
    const columns = options.columns;
    if (!Array.isArray(columns) || columns.length === 0 || columns.some((c) => typeof c !== 'string' || c === '')) {
      throw invalidOption(name('columns'), 'a non-empty list of column names', columns);
    }
    const duplicate = columns.find((c, j) => columns.indexOf(c) !== j);
    if (duplicate !== undefined) throw invalidOption(name('columns'), 'distinct column names', `${columns.join(',')} (repeats ${duplicate})`);
  }
  if (options.format !== undefined && !EVENT_FILE_FORMATS.includes(options.format)) throw invalidOption(name('format'), `one of ${EVENT_FILE_FORMATS.join(', ')}`, options.format);
  const onBadRow = options.onBadRow ?? 'error';
  if (!BAD_ROW_RULES.includes(onBadRow)) throw invalidOption(name('onBadRow'), `one of ${BAD_ROW_RULES.join(', ')}`, onBadRow);
  if (options.threads !== undefined && !(Number.isInteger(options.threads) && options.threads >= 1 && options.threads <= 64)) {
    throw invalidOption(name('threads'), 'an integer between 1 and 64', options.threads);
  }
  const maxFileBytes = options.maxFileBytes ?? MAX_FILE_BYTES_DEFAULT;
  if (!(Number.isSafeInteger(maxFileBytes) && maxFileBytes > 0)) throw invalidOption(name('maxFileBytes'), 'a positive integer', maxFileBytes);
  return { ...options, onBadRow, maxFileBytes, eventWeights };
}

/**
 * `view=1,cart=4,purchase=10` as a record.
 * @throws InvalidOptionError naming `option` for a malformed list.
 * @example parseEventWeights('--event-weights', 'view=1,cart=4') // { view: 1, cart: 4 }
 */
export function parseEventWeights(option: string, text: string): Record<string, number> {
  const weights: Record<string, number> = {};
  for (const pair of text.split(',')) {
    const match = /^([^=]+)=(.+)$/.exec(pair.trim());
    const weight = match === null ? NaN : Number(match[2]);
    if (match === null || !Number.isFinite(weight) || match[2]!.trim() === '') throw invalidOption(option, 'a list of event=weight pairs like view=1,cart=4,purchase=10', text);
    if (Object.hasOwn(weights, match[1]!)) throw invalidOption(option, 'each event once', text);
    weights[match[1]!] = weight;
  }
  return weights;
}

/**
 * An array of event objects -> {@link RawInteractions}: the library's way in for data a program
 * already holds (`{ user, item, weight?, time? }` per event). Ids are kept as given: a side whose
 * ids are all int32 numbers stays numeric (the fast path); otherwise every id of that side is a
 * string (a number given on such a side becomes its text).
 */
import type { ExternalId, IdColumn, RawInteractions } from './rawInteractions.js';
import { checkExternalId, isInt32 } from '../matrix/idMap.js';
import { invalidOption } from '../errors.js';

/** One event: who, what, how much (default 1) and when (optional). */
export interface InteractionEvent {
  readonly user: ExternalId;
  readonly item: ExternalId;
  /** The event's weight: a rating, a quantity, an event type's weight. Default 1. */
  readonly weight?: number;
  /**
   * When it happened: epoch seconds, epoch milliseconds (any number from 1e11 up: 1e11 seconds
   * would be the year 5138), an ISO 8601 string such as `2024-05-01T10:00:00Z` (UTC when it
   * names no zone), or a Date.
   */
  readonly time?: number | string | Date;
}

/** ISO 8601 date, optionally with a time and a zone: what `Date.parse` reads the same everywhere. */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
/** From here on a numeric time is read as milliseconds (see InteractionEvent.time). */
const MILLISECONDS_FROM = 1e11;

/**
 * The events as typed columns. Every event is checked; the message names the event's index.
 * @throws InvalidOptionError for a missing or malformed id, a non-finite weight or an unreadable time.
 * @example eventsToRawInteractions([{ user: 'u1', item: 'sku-9', weight: 3, time: '2024-05-01T10:00:00Z' }]).length // 1
 */
export function eventsToRawInteractions(events: readonly InteractionEvent[]): RawInteractions {
  if (!Array.isArray(events)) throw invalidOption('events', 'an array of { user, item, weight?, time? }', events);
  const n = events.length;
  const weights = new Float32Array(n);
  const times = new Float64Array(n);
  let timed = 0;
  for (let j = 0; j < n; j++) {
    const e = events[j] as InteractionEvent | null;
    if (e === null || typeof e !== 'object') throw invalidOption(`events[${j}]`, 'an object { user, item, weight?, time? }', e);
    checkExternalId(e.user, `events[${j}].user`);
    checkExternalId(e.item, `events[${j}].item`);
    const w = e.weight ?? 1;
    if (typeof w !== 'number' || !Number.isFinite(w)) throw invalidOption(`events[${j}].weight`, 'a finite number', w);
    weights[j] = w;
    if (e.time !== undefined) {
      times[j] = epochSeconds(e.time, `events[${j}].time`);
      timed++;
    }
  }
  if (timed !== 0 && timed !== n) {
    const missing = events.findIndex((e) => e.time === undefined);
    throw invalidOption(`events[${missing}].time`, 'a time on every event or on none', undefined);
  }
  return {
    length: n,
    users: idColumn(events, 'user'),
    items: idColumn(events, 'item'),
    weights,
    times: timed === 0 ? null : times,
  };
}

/** One side's ids as an IdColumn: int32 values when every id is an int32 number, else interned strings. */
function idColumn(events: readonly InteractionEvent[], side: 'user' | 'item'): IdColumn {
  const n = events.length;
  let allInts = true;
  for (let j = 0; j < n && allInts; j++) allInts = isInt32(events[j]![side]);
  if (allInts) return { kind: 'int', values: Int32Array.from(events, (e) => e[side] as number) };
  const codes = new Int32Array(n);
  const table: string[] = [];
  const codeOf = new Map<string, number>();
  for (let j = 0; j < n; j++) {
    const id = String(events[j]![side]);
    let code = codeOf.get(id);
    if (code === undefined) {
      code = table.length;
      table.push(id);
      codeOf.set(id, code);
    }
    codes[j] = code;
  }
  return { kind: 'string', codes, table };
}

/** `time` as seconds since the epoch (see InteractionEvent.time). */
function epochSeconds(time: unknown, what: string): number {
  const expected = 'epoch seconds or milliseconds, an ISO 8601 string, or a Date';
  if (typeof time === 'number') {
    if (!Number.isFinite(time)) throw invalidOption(what, expected, time);
    return Math.abs(time) >= MILLISECONDS_FROM ? time / 1000 : time;
  }
  if (time instanceof Date) {
    const ms = time.getTime();
    if (!Number.isFinite(ms)) throw invalidOption(what, expected, 'an invalid Date');
    return ms / 1000;
  }
  const text = typeof time === 'string' ? time.trim() : '';
  if (ISO_8601.test(text)) {
    // A time without a zone is UTC (Date.parse would read it as local time: machine-dependent).
    const withT = text.replace(' ', 'T');
    const ms = Date.parse(withT.length > 10 && !/(Z|[+-]\d{2}:?\d{2})$/.test(withT) ? `${withT}Z` : withT);
    if (Number.isFinite(ms)) return ms / 1000;
  }
  throw invalidOption(what, expected, time);
}

/**
 * Records -> typed event columns, applying the row rules (see {@link LoadCounts}) as each record
 * is scanned. Columns are preallocated from an estimate of the row count and grown by half when
 * it falls short; nothing per row is an object, and integer fields never become strings.
 */
import { isFloat32Finite } from '../../matrix/float32.js';
import type { RawInteractions } from '../rawInteractions.js';
import { ByteInterner } from './byteInterner.js';
import { fieldText, type CsvFields } from './csvRecordScanner.js';
import { IdColumnBuilder, trim } from './idColumnBuilder.js';
import type { BadRowRule } from './loadOptions.js';
import { MAX_ID_BYTES } from './loadOptions.js';
import { parseNumberBytes, parseTimeBytes } from './parseFieldBytes.js';
import { largeFloat32Array, largeFloat64Array } from '../../matrix/largeArrays.js';

/** Which field of a record holds what (-1: absent). */
export interface EventFieldPlan {
  readonly fieldCount: number;
  readonly user: number;
  readonly item: number;
  readonly weight: number;
  readonly time: number;
  readonly title: number;
  readonly event: number;
  /** Weight per event type, when `event` >= 0. */
  readonly eventWeights: ReadonlyMap<string, number> | null;
  readonly onBadRow: BadRowRule;
}

/**
 * What happened to the rows. The rules: a row with an empty user or item id is dropped (guest
 * checkouts, unknown items); a row whose weight is zero or negative is dropped (a cancellation,
 * a return: not a preference); a row whose event type has no weight is dropped; a malformed row
 * stops the load, or is counted in `skippedBadRows` under `onBadRow: 'skip'`.
 */
export interface LoadCounts {
  /** Data records read (the header excluded), bad ones included. */
  rows: number;
  /** Events kept. */
  kept: number;
  emptyUser: number;
  emptyItem: number;
  nonPositiveWeight: number;
  unweightedEvent: number;
  skippedBadRows: number;
  /** The first few skipped rows: line and problem. */
  readonly skippedExamples: { line: number; problem: string }[];
}

export function emptyCounts(): LoadCounts {
  return { rows: 0, kept: 0, emptyUser: 0, emptyItem: 0, nonPositiveWeight: 0, unweightedEvent: 0, skippedBadRows: 0, skippedExamples: [] };
}

const SKIPPED_EXAMPLES = 5;

/** A malformed row: `line` and the record's byte range, to be named and quoted by the caller. */
export class BadRowError extends Error {
  constructor(
    readonly problem: string,
    readonly line: number,
    readonly text: string,
  ) {
    super(problem);
  }
}

/** The columns and facts one parse produced (one per worker when parsing in parallel). */
export interface ParsedEvents {
  readonly events: RawInteractions;
  readonly counts: LoadCounts;
  /** Count per event type, when there is an event column. */
  readonly eventCounts: ReadonlyMap<string, number> | null;
  /** Item title by item id value (int side) or code (string side). */
  readonly titles: ReadonlyMap<number, string> | null;
}

/** Columns to write rows into, all of one length. */
export interface PreallocatedColumns {
  readonly users: Int32Array;
  readonly items: Int32Array;
  readonly weights: Float32Array;
  readonly times: Float64Array | null;
}

/** Interners kept across one thread's ranges, one per id side (see IdColumnBuilder). */
export interface SharedInterners {
  readonly users: ByteInterner;
  readonly items: ByteInterner;
}

export class EventColumnsBuilder {
  readonly users: IdColumnBuilder;
  readonly items: IdColumnBuilder;
  weights: Float32Array;
  times: Float64Array | null;
  length = 0;
  readonly counts = emptyCounts();
  /** Rows the columns hold before they must grow. */
  capacity: number;
  private readonly events: ByteInterner | null;
  private eventCounts: number[] = [];
  private eventWeightByCode: number[] = [];
  private titles: Map<number, string> | null;
  private readonly scratch = Buffer.allocUnsafe(MAX_ID_BYTES + 1);

  /**
   * `capacity` rows are allocated, or `columns` are written in place (views of equal length, e.g.
   * a worker's region of shared memory; they are replaced only if the rows outgrow them).
   * `shared`: a thread's interners for its ranges of a parallel parse (string tables then hold the
   * strings this builder added, from the sides' `tableFrom` on).
   */
  constructor(
    readonly plan: EventFieldPlan,
    capacity: number,
    private readonly encoding: 'utf8' | 'latin1' = 'utf8',
    columns?: PreallocatedColumns,
    shared?: SharedInterners,
  ) {
    this.capacity = columns === undefined ? Math.max(16, capacity) : columns.users.length;
    this.users = new IdColumnBuilder(this.capacity, columns?.users, shared?.users);
    this.items = new IdColumnBuilder(this.capacity, columns?.items, shared?.items);
    this.weights = columns?.weights ?? largeFloat32Array(this.capacity);
    this.times = plan.time < 0 ? null : (columns?.times ?? largeFloat64Array(this.capacity));
    this.events = plan.event >= 0 ? new ByteInterner(16) : null;
    this.titles = plan.title >= 0 ? new Map() : null;
    this.items.onSwitchToStrings = (intCode) => {
      if (this.titles === null) return;
      const byCode = new Map<number, string>();
      for (const [id, title] of this.titles) byCode.set(intCode(id), title);
      this.titles = byCode;
    };
  }

  /** The scanner's record handler. */
  readonly addRecord = (bytes: Uint8Array, fields: CsvFields, recordStart: number, recordEnd: number, line: number): void => {
    const plan = this.plan;
    const counts = this.counts;
    counts.rows++;
    if (fields.count !== plan.fieldCount) {
      return this.bad(bytes, recordStart, recordEnd, line, `expected ${plan.fieldCount} fields but found ${fields.count}`);
    }
    const { starts, ends } = fields;
    const userStart = starts[plan.user]!;
    const userEnd = ends[plan.user]!;
    const itemStart = starts[plan.item]!;
    const itemEnd = ends[plan.item]!;
    if (userEnd - userStart > MAX_ID_BYTES) return this.bad(bytes, recordStart, recordEnd, line, `user id longer than ${MAX_ID_BYTES} bytes`);
    if (itemEnd - itemStart > MAX_ID_BYTES) return this.bad(bytes, recordStart, recordEnd, line, `item id longer than ${MAX_ID_BYTES} bytes`);

    let weight = 1;
    if (plan.weight >= 0) {
      weight = parseNumberBytes(bytes, starts[plan.weight]!, ends[plan.weight]!);
      if (!isFloat32Finite(weight)) return this.bad(bytes, recordStart, recordEnd, line, `weight "${fieldText(bytes, fields, plan.weight, this.encoding)}" is not a finite number`);
    }
    let time = 0;
    if (plan.time >= 0) {
      time = parseTimeBytes(bytes, starts[plan.time]!, ends[plan.time]!);
      if (time !== time) return this.bad(bytes, recordStart, recordEnd, line, `time "${fieldText(bytes, fields, plan.time, this.encoding)}" is not epoch seconds or milliseconds, ISO 8601 or YYYY-MM-DD HH:MM:SS`);
    }
    if (this.events !== null) {
      const code = this.events.intern(bytes, starts[plan.event]!, ends[plan.event]!);
      if (code === this.eventCounts.length) {
        this.eventCounts.push(0);
        const name = fieldText(bytes, fields, plan.event, this.encoding);
        this.eventWeightByCode.push(plan.eventWeights!.get(name) ?? NaN);
      }
      this.eventCounts[code]!++;
      const eventWeight = this.eventWeightByCode[code]!;
      if (eventWeight !== eventWeight) {
        counts.unweightedEvent++;
        return;
      }
      weight *= eventWeight;
    }
    if (userEnd === userStart) {
      counts.emptyUser++;
      return;
    }
    if (itemEnd === itemStart) {
      counts.emptyItem++;
      return;
    }
    if (!(weight > 0)) {
      counts.nonPositiveWeight++;
      return;
    }
    const row = this.length;
    if (row === this.capacity) this.grow();
    if (fields.escaped[plan.user] === 1) this.users.set(row, this.scratch, 0, this.unescape(bytes, userStart, userEnd));
    else this.users.set(row, bytes, userStart, userEnd);
    const item = fields.escaped[plan.item] === 1 ? this.items.set(row, this.scratch, 0, this.unescape(bytes, itemStart, itemEnd)) : this.items.set(row, bytes, itemStart, itemEnd);
    this.weights[row] = weight;
    if (this.times !== null) this.times[row] = time;
    if (this.titles !== null && !this.titles.has(item)) {
      const title = fieldText(bytes, fields, plan.title, this.encoding).trim();
      if (title !== '') this.titles.set(item, title);
    }
    this.length = row + 1;
    counts.kept++;
  };

  /**
   * The columns, trimmed (`views`: views of rows [0, length), never copies); the builder is spent
   * afterwards.
   */
  finish(views = false): ParsedEvents {
    const n = this.length;
    let eventCounts: Map<string, number> | null = null;
    if (this.events !== null) {
      eventCounts = new Map();
      const names = this.events.strings(this.encoding);
      names.forEach((name, code) => eventCounts!.set(name, this.eventCounts[code]!));
    }
    const events: RawInteractions = {
      length: n,
      users: this.users.finish(n, views),
      items: this.items.finish(n, views),
      weights: views ? this.weights.subarray(0, n) : trim(this.weights, n),
      times: this.times === null ? null : views ? this.times.subarray(0, n) : trim(this.times, n),
    };
    return { events, counts: this.counts, eventCounts, titles: this.titles };
  }

  private bad(bytes: Uint8Array, recordStart: number, recordEnd: number, line: number, problem: string): void {
    if (this.plan.onBadRow === 'error') {
      throw new BadRowError(problem, line, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(this.encoding, recordStart, Math.min(recordEnd, recordStart + 200)));
    }
    this.counts.skippedBadRows++;
    if (this.counts.skippedExamples.length < SKIPPED_EXAMPLES) this.counts.skippedExamples.push({ line, problem });
  }

  /** Copies a quoted field's bytes into the scratch buffer with `""` made `"`; returns the length. */
  private unescape(bytes: Uint8Array, start: number, end: number): number {
    let n = 0;
    for (let p = start; p < end; p++) {
      this.scratch[n++] = bytes[p]!;
      if (bytes[p] === 0x22) p++;
    }
    return n;
  }

  /**
   * Appends a row of integer ids (both sides must still be integer sides): for a reader with
   * rules of its own (the MovieLens presets), which counts nothing.
   */
  pushIntegerRow(user: number, item: number, weight: number, time: number): void {
    const row = this.length;
    if (row === this.capacity) this.grow();
    this.users.values[row] = user;
    this.items.values[row] = item;
    this.weights[row] = weight;
    if (this.times !== null) this.times[row] = time;
    this.length = row + 1;
  }

  /** Grows the columns by half, keeping rows [0, length). */
  grow(): void {
    const capacity = Math.ceil(this.capacity * 1.5) + 16;
    this.users.grow(capacity, this.length);
    this.items.grow(capacity, this.length);
    const weights = new Float32Array(capacity);
    weights.set(this.weights.subarray(0, this.length));
    this.weights = weights;
    if (this.times !== null) {
      const times = new Float64Array(capacity);
      times.set(this.times.subarray(0, this.length));
      this.times = times;
    }
    this.capacity = capacity;
  }
}

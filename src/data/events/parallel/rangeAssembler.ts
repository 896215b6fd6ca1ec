/**
 * The parsed ranges of a parallel parse put together in file order as they arrive, in any order,
 * from any thread: each is copied into the result's columns as soon as every range before it is
 * in, so the result is written once, while the threads still parse, and equals the serial parse
 * (same rows, string tables, titles and counts; skipped rows' lines made absolute).
 */
import { largeFloat32Array, largeFloat64Array, largeInt32Array } from '../../../matrix/largeArrays.js';
import type { IdColumn } from '../../rawInteractions.js';
import { emptyCounts, type LoadCounts, type ParsedEvents, type PreallocatedColumns } from '../eventColumnsBuilder.js';
import type { RangeResult } from './chunkMessages.js';

/** How many skipped rows' examples the counts keep (as the serial parse does). */
const SKIPPED_EXAMPLES = 5;

/**
 * One side's ids joined range after range into a column of the result: integers copied while
 * every range has integer ids; from the first range with strings on, one string table, the
 * integers placed so far converted in place (in row order, so the table's order is the serial
 * parse's: first appearance in the file).
 */
export class IdColumnJoiner {
  private table: string[] | null = null;
  private readonly codeOf = new Map<string, number>();
  /** Per parsing thread: its codes' codes in the column (see remapOf). */
  private readonly sources = new Map<number, { remap: Int32Array; size: number }>();
  /** Called once when the side turns to strings: `intCode(id)` gives an integer id's code. */
  onSwitchToStrings: ((intCode: (id: number) => number) => void) | null = null;

  /**
   * Writes `part`'s ids at `out[at...]` (`out` holding the rows before `at`); returns how the
   * part's own keys (int id or local code) map to the column's.
   * @example new IdColumnJoiner().append({ kind: 'int', values: Int32Array.of(4) }, out, 0)(4) // 4
   */
  append(part: IdColumn, out: Int32Array, at: number, source?: number, tableFrom = 0): (key: number) => number {
    if (part.kind === 'string' && this.table === null) this.switchToStrings(out, at);
    if (this.table === null) {
      out.set((part as Extract<IdColumn, { kind: 'int' }>).values, at);
      return (id) => id;
    }
    if (part.kind === 'int') {
      this.internInts(part.values, out, at);
      return (id) => this.intern(String(id));
    }
    const remap = this.remapOf(part.table, source, tableFrom);
    const codes = part.codes;
    for (let j = 0; j < codes.length; j++) out[at + j] = remap[codes[j]!]!;
    return (code) => remap[code]!;
  }

  /** The joined column: `out`'s first `length` rows. */
  column(out: Int32Array, length: number): IdColumn {
    const codes = out.subarray(0, length);
    return this.table === null ? { kind: 'int', values: codes } : { kind: 'string', codes, table: this.table };
  }

  /**
   * How a part's codes map to the column's. A part of a `source` thread (whose interner is kept
   * across its ranges) brings only the strings that thread had not seen, codes `tableFrom` on,
   * and its ranges arrive here in that thread's order (file order), so each thread's map only
   * grows; its new strings are interned in their order, first appearance in this part, as the
   * serial parse would. Without `source`, the part's table is all of its strings.
   */
  private remapOf(table: readonly string[], source: number | undefined, tableFrom: number): Int32Array {
    if (source === undefined) {
      const remap = new Int32Array(table.length);
      for (let code = 0; code < table.length; code++) remap[code] = this.intern(table[code]!);
      return remap;
    }
    let state = this.sources.get(source);
    if (state === undefined) {
      state = { remap: new Int32Array(Math.max(1024, table.length)), size: 0 };
      this.sources.set(source, state);
    }
    if (tableFrom !== state.size) throw new Error(`thread ${source}'s strings resumed at ${tableFrom}, not ${state.size}`);
    if (state.size + table.length > state.remap.length) {
      const grown = new Int32Array(Math.max(state.remap.length * 2, state.size + table.length));
      grown.set(state.remap.subarray(0, state.size));
      state.remap = grown;
    }
    for (let k = 0; k < table.length; k++) state.remap[state.size + k] = this.intern(table[k]!);
    state.size += table.length;
    return state.remap;
  }

  private switchToStrings(out: Int32Array, placed: number): void {
    this.table = [];
    this.internInts(out.subarray(0, placed), out, 0);
    this.onSwitchToStrings?.((id) => this.intern(String(id)));
  }

  /** Each of `values` as the code of its decimal string, at `out[at...]` (may be `values` itself). */
  private internInts(values: Int32Array, out: Int32Array, at: number): void {
    let last = -1;
    let lastCode = -1;
    for (let j = 0; j < values.length; j++) {
      const id = values[j]!;
      if (id !== last || lastCode < 0) {
        last = id;
        lastCode = this.intern(String(id));
      }
      out[at + j] = lastCode;
    }
  }

  private intern(id: string): number {
    let code = this.codeOf.get(id);
    if (code === undefined) {
      code = this.table!.length;
      this.table!.push(id);
      this.codeOf.set(id, code);
    }
    return code;
  }
}

/**
 * Ranges in, the joined events out. The columns start at `capacity` rows (untouched rows cost
 * address space only) and grow by half when the rows outgrow them.
 * @example
 * ```ts
 * const assembler = new RangeAssembler(rangeCount, capacity, plan.time >= 0, dataLine);
 * assembler.add(result, () => pool.push(columns)); // in any order
 * const parsed = assembler.finish(); // once assembler.complete
 * ```
 */
export class RangeAssembler {
  private columns: PreallocatedColumns;
  private rows = 0;
  private next = 0;
  private stop = -1;
  private lineOffset: number;
  private aligned = true;
  private readonly waiting = new Map<number, { readonly result: RangeResult; readonly release: () => void }>();
  private readonly users = new IdColumnJoiner();
  private readonly items = new IdColumnJoiner();
  private readonly counts: LoadCounts = emptyCounts();
  private eventCounts: Map<string, number> | null = null;
  private titles: Map<number, string> | null = null;

  constructor(
    private readonly rangeCount: number,
    capacity: number,
    withTimes: boolean,
    dataLine: number,
  ) {
    this.columns = {
      users: largeInt32Array(capacity),
      items: largeInt32Array(capacity),
      weights: largeFloat32Array(capacity),
      times: withTimes ? largeFloat64Array(capacity) : null,
    };
    this.lineOffset = dataLine - 1;
    this.items.onSwitchToStrings = (intCode) => {
      if (this.titles === null) return;
      const byCode = new Map<number, string>();
      for (const [id, title] of this.titles) byCode.set(intCode(id), title);
      this.titles = byCode;
    };
  }

  /** Every range is in. */
  get complete(): boolean {
    return this.next === this.rangeCount;
  }

  /** Takes a parsed range; its columns are copied (and `release` called) once the ranges before it are in. */
  add(result: RangeResult, release: () => void): void {
    this.waiting.set(result.range, { result, release });
    for (let entry = this.waiting.get(this.next); entry !== undefined; entry = this.waiting.get(this.next)) {
      this.waiting.delete(this.next);
      this.place(entry.result);
      entry.release();
      this.next++;
    }
  }

  /**
   * The joined events; null when the ranges did not meet end to end (a range's records were cut
   * at different line starts by the threads on either side: a quoted line end).
   */
  finish(): ParsedEvents | null {
    if (!this.complete) throw new Error(`ranges missing: ${this.next} of ${this.rangeCount} placed`);
    if (!this.aligned) return null;
    const n = this.rows;
    const { weights, times } = this.columns;
    return {
      events: {
        length: n,
        users: this.users.column(this.columns.users, n),
        items: this.items.column(this.columns.items, n),
        weights: weights.subarray(0, n),
        times: times === null ? null : times.subarray(0, n),
      },
      counts: this.counts,
      eventCounts: this.eventCounts,
      titles: this.titles,
    };
  }

  private place(range: RangeResult): void {
    if (range.range > 0 && range.start !== this.stop) this.aligned = false;
    this.stop = range.stop;
    const part = range.parsed;
    const { events } = part;
    const at = this.rows;
    this.reserve(at + events.length);
    const { users, items, weights, times } = this.columns;
    this.users.append(events.users, users, at, range.source, range.tableFrom.users);
    const itemKey = this.items.append(events.items, items, at, range.source, range.tableFrom.items);
    weights.set(events.weights, at);
    if (times !== null) times.set(events.times!, at);
    this.rows = at + events.length;

    const counts = this.counts;
    for (const key of ['rows', 'kept', 'emptyUser', 'emptyItem', 'nonPositiveWeight', 'unweightedEvent', 'skippedBadRows'] as const) counts[key] += part.counts[key];
    for (const example of part.counts.skippedExamples) {
      if (counts.skippedExamples.length < SKIPPED_EXAMPLES) counts.skippedExamples.push({ line: example.line + this.lineOffset, problem: example.problem });
    }
    this.lineOffset += range.lines;
    if (part.eventCounts !== null) {
      this.eventCounts ??= new Map();
      for (const [event, n] of part.eventCounts) this.eventCounts.set(event, (this.eventCounts.get(event) ?? 0) + n);
    }
    if (part.titles !== null) {
      this.titles ??= new Map();
      for (const [key, title] of part.titles) {
        const merged = itemKey(key);
        if (!this.titles.has(merged)) this.titles.set(merged, title);
      }
    }
  }

  /** Room for `rows` rows: new columns half as large again, the rows so far copied, when they are short. */
  private reserve(rows: number): void {
    const old = this.columns;
    if (rows <= old.users.length) return;
    const capacity = Math.max(rows, Math.ceil(old.users.length * 1.5));
    const grown: PreallocatedColumns = {
      users: largeInt32Array(capacity),
      items: largeInt32Array(capacity),
      weights: largeFloat32Array(capacity),
      times: old.times === null ? null : largeFloat64Array(capacity),
    };
    const n = this.rows;
    grown.users.set(old.users.subarray(0, n));
    grown.items.set(old.items.subarray(0, n));
    grown.weights.set(old.weights.subarray(0, n));
    if (grown.times !== null) grown.times.set(old.times!.subarray(0, n));
    this.columns = grown;
  }
}

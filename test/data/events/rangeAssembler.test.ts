import { describe, expect, it } from 'vitest';
import type { RangeResult } from '../../../src/data/events/parallel/chunkMessages.js';
import { RangeAssembler } from '../../../src/data/events/parallel/rangeAssembler.js';
import { emptyCounts } from '../../../src/data/events/eventColumnsBuilder.js';
import type { IdColumn } from '../../../src/data/rawInteractions.js';

const ints = (...values: number[]): IdColumn => ({ kind: 'int', values: Int32Array.from(values) });
const strings = (codes: number[], table: string[]): IdColumn => ({ kind: 'string', codes: Int32Array.from(codes), table });

/** Range `range` of bytes [start, stop) holding these rows; `lines` lines read; optional titles and skipped rows. */
function range(
  index: number,
  start: number,
  stop: number,
  users: IdColumn,
  items: IdColumn,
  weights: number[],
  extra: { titles?: Map<number, string>; skipped?: { line: number; problem: string }[]; lines?: number; source?: number; tableFrom?: { users: number; items: number } } = {},
): RangeResult {
  const counts = emptyCounts();
  counts.rows = weights.length + (extra.skipped?.length ?? 0);
  counts.kept = weights.length;
  counts.skippedBadRows = extra.skipped?.length ?? 0;
  counts.skippedExamples.push(...(extra.skipped ?? []));
  return {
    kind: 'done',
    range: index,
    // A thread of its own per range unless said: every string table starts at code 0.
    source: extra.source ?? 100 + index,
    tableFrom: extra.tableFrom ?? { users: 0, items: 0 },
    start,
    stop,
    lines: extra.lines ?? counts.rows,
    inRegion: true,
    parsed: {
      events: { length: weights.length, users, items, weights: Float32Array.from(weights), times: Float64Array.from(weights, (w) => w * 10) },
      counts,
      eventCounts: null,
      titles: extra.titles ?? null,
    },
  };
}

describe('RangeAssembler', () => {
  it('places ranges arriving in any order in file order, releasing each once it is copied', () => {
    const assembler = new RangeAssembler(3, 2, true, 2);
    const released: number[] = [];
    assembler.add(range(2, 20, 30, ints(7), ints(8), [6], { skipped: [{ line: 1, problem: 'bad' }], lines: 2 }), () => released.push(2));
    assembler.add(range(1, 10, 20, ints(5, 5), ints(6, 1), [4, 5]), () => released.push(1));
    expect(released).toEqual([]);
    expect(assembler.complete).toBe(false);
    expect(() => assembler.finish()).toThrow('ranges missing: 0 of 3 placed');
    assembler.add(range(0, 0, 10, ints(1, 2), ints(3, 4), [1, 2], { lines: 3 }), () => released.push(0));
    expect(released).toEqual([0, 1, 2]);
    expect(assembler.complete).toBe(true);
    const parsed = assembler.finish()!;
    expect(parsed.events.length).toBe(5);
    // Capacity 2 at the start: grown twice, the rows kept.
    expect(parsed.events.users).toEqual(ints(1, 2, 5, 5, 7));
    expect(parsed.events.items).toEqual(ints(3, 4, 6, 1, 8));
    expect([...parsed.events.weights]).toEqual([1, 2, 4, 5, 6]);
    expect([...parsed.events.times!]).toEqual([10, 20, 40, 50, 60]);
    expect(parsed.counts.kept).toBe(5);
    expect(parsed.counts.skippedBadRows).toBe(1);
    // Data from line 2; ranges 0 and 1 read 3 + 2 lines, so range 2's line 1 is line 7 of the file.
    expect(parsed.counts.skippedExamples).toEqual([{ line: 7, problem: 'bad' }]);
  });

  it('turns a side to one string table at the first range with strings, earlier integer rows and titles included', () => {
    const assembler = new RangeAssembler(3, 16, false, 1);
    assembler.add(range(0, 0, 1, ints(9, 3, 9), ints(40, 41, 40), [1, 1, 1], { titles: new Map([[40, 'forty'], [41, 'forty-one']]) }), () => {});
    assembler.add(range(1, 1, 2, strings([0, 1], ['b', '3']), strings([0, 1], ['sku', '40']), [1, 1], { titles: new Map([[0, 'a sku'], [1, 'not kept: 40 has one']]) }), () => {});
    assembler.add(range(2, 2, 3, ints(7), ints(41), [1]), () => {});
    const { events, titles } = assembler.finish()!;
    // First appearance in the file: 9, 3, then b (3 again), then 7.
    expect(events.users).toEqual(strings([0, 1, 0, 2, 1, 3], ['9', '3', 'b', '7']));
    expect(events.items).toEqual(strings([0, 1, 0, 2, 0, 1], ['40', '41', 'sku']));
    expect(titles).toEqual(new Map([[0, 'forty'], [1, 'forty-one'], [2, 'a sku']]));
  });

  it("maps a thread's codes kept across its ranges, each range bringing only the strings new to that thread", () => {
    const assembler = new RangeAssembler(3, 16, false, 1);
    // Thread 1 parses ranges 0 and 2 with one interner (codes 0-1, then 2); thread 0 range 1.
    assembler.add(range(2, 2, 3, strings([1, 2, 0], ['c']), ints(1, 1, 1), [1, 1, 1], { source: 1, tableFrom: { users: 2, items: 0 } }), () => {});
    assembler.add(range(0, 0, 1, strings([0, 1, 0], ['a', 'b']), ints(1, 1, 1), [1, 1, 1], { source: 1 }), () => {});
    assembler.add(range(1, 1, 2, strings([0, 1], ['c', 'd']), ints(1, 1), [1, 1], { source: 0 }), () => {});
    const { events } = assembler.finish()!;
    // First appearance in the file: a, b (range 0), c, d (range 1); range 2 adds nothing new.
    expect(events.users).toEqual(strings([0, 1, 0, 2, 3, 1, 2, 0], ['a', 'b', 'c', 'd']));
    // A range that does not continue its thread's codes is a bug, said at once.
    const wrong = new RangeAssembler(2, 16, false, 1);
    wrong.add(range(0, 0, 1, strings([0], ['a']), ints(1), [1], { source: 1 }), () => {});
    expect(() => wrong.add(range(1, 1, 2, strings([0], ['b']), ints(1), [1], { source: 1, tableFrom: { users: 0, items: 0 } }), () => {})).toThrow("thread 1's strings resumed at 0, not 1");
  });

  it('gives null when neighbouring ranges do not meet (a record cut at different line starts)', () => {
    const assembler = new RangeAssembler(2, 4, false, 1);
    assembler.add(range(0, 0, 10, ints(1), ints(1), [1]), () => {});
    assembler.add(range(1, 12, 20, ints(2), ints(2), [1]), () => {});
    expect(assembler.finish()).toBeNull();
  });
});

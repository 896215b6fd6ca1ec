/**
 * The compiled record loop (compiledRecordScanner.ts), which scanRecordsFast runs over plain
 * records when both id sides are integers, against the full rules applied to every record: for
 * the MovieLens layouts (tab, `::`, comma; any rating kept, times in seconds, quotes as data) and
 * for event layouts with the fields in any order and a field to skip. The files mix what the loop
 * takes with what it must hand back (leading zeros, ids over 2^31-1, long numbers, other
 * notations, blank lines, CR LF, wrong field counts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plainRecordLoop } from '../../../src/data/events/compiledRecordScanner.js';
import { createCsvFields, scanCsvRecords } from '../../../src/data/events/csvRecordScanner.js';
import { EventColumnsBuilder, type EventFieldPlan, type ParsedEvents } from '../../../src/data/events/eventColumnsBuilder.js';
import { fastPlan, scanRecordsFast } from '../../../src/data/events/fastRecordScanner.js';
import { createEventScan } from '../../../src/data/events/readDelimitedEvents.js';
import { RATINGS_PLAN, ratingsFastPlan, ratingsLineReader, type RatingsLayout } from '../../../src/data/readRatingsFile.js';
import { feedInChunks } from './feedInChunks.js';

const LIMITS = { numRuns: 200, interruptAfterTimeLimit: 6000 };

/** Runs `f`, giving its result or the error it threw. */
function outcome<T>(f: () => T): T | Error {
  try {
    return f();
  } catch (error) {
    return error as Error;
  }
}

/** `counts`: whether to compare the event rules' counts too (the ratings reader keeps none). */
function expectSame(actual: ParsedEvents | Error, expected: ParsedEvents | Error, counts = true): void {
  if (expected instanceof Error) {
    expect(actual).toBeInstanceOf(Error);
    expect((actual as Error).message).toBe(expected.message);
    return;
  }
  if (actual instanceof Error) throw actual;
  if (counts) expect(actual.counts).toEqual(expected.counts);
  expect(actual.events).toEqual(expected.events);
}

const LAYOUTS: RatingsLayout[] = [
  { separator: '\t', separatorName: 'tab-separated', encoding: 'latin1' },
  { separator: '::', separatorName: '"::"-separated', encoding: 'latin1' },
  { separator: ',', separatorName: 'comma-separated', encoding: 'utf8' },
];

const id = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 2147483647 }).map(String) },
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 999 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('0', '007', '2147483648', '99999999999', '-3', '1.0', '') },
);
const number = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 2 ** 41 }).map(String) },
  { weight: 4, arbitrary: fc.integer({ min: -20, max: 40 }).map((h) => String(h / 4)) },
  { weight: 1, arbitrary: fc.constantFrom('-0', '4.', '.5', '1e3', '+2', '123456789012345', '1234567890123456', '12345678901.2345', '12345678901.23456', '0.000001', '100000000000', '-100000000000', '') },
);

describe('the compiled record loop, MovieLens layouts', () => {
  it('gives the columns (or the error) of the full rules on every line, for any chunking', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...LAYOUTS),
        fc.array(
          fc.oneof(
            { weight: 10, arbitrary: fc.tuple(id, id, number, number) },
            { weight: 1, arbitrary: fc.constantFrom<string[]>([''], ['1', '2', '3'], ['1', '2', '3', '4', '5']) },
          ),
          { minLength: 1, maxLength: 40 },
        ),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.array(fc.nat({ max: 900 }), { maxLength: 6 }),
        fc.integer({ min: 1, max: 50 }),
        (layout, rows, eol, finalEol, cuts, capacity) => {
          const text = rows.map((fields) => fields.join(layout.separator)).join(eol) + (finalEol ? eol : '');
          const bytes = Buffer.from(text, 'latin1');
          const expected = outcome(() => {
            // The full rules on every line (blank lines skipped, as the scanner does).
            const builder = new EventColumnsBuilder(RATINGS_PLAN, 16);
            const slow = ratingsLineReader('ratings', layout, builder);
            let line = 1;
            for (let p = 0; p < bytes.length; line++) {
              const lf = bytes.indexOf(0x0a, p);
              const lineEnd = lf < 0 ? bytes.length : lf;
              const blank = lineEnd === p || (lineEnd === p + 1 && bytes[p] === 0x0d);
              p = blank ? lineEnd + 1 : slow(bytes, p, bytes.length, true, line);
            }
            return builder.finish();
          });
          const actual = outcome(() => {
            const builder = new EventColumnsBuilder(RATINGS_PLAN, capacity);
            const slow = ratingsLineReader('ratings', layout, builder);
            const plan = ratingsFastPlan(layout);
            feedInChunks(bytes, cuts, (data, final, line) => scanRecordsFast(data, 0, data.length, final, line, plan, builder, slow));
            return builder.finish();
          });
          expectSame(actual, expected, false);
        },
      ),
      LIMITS,
    );
  });
});

describe('the compiled record loop, event layouts', () => {
  it('reads integer-id files with the fields in any order and one to skip as the RFC 4180 scanner and the event rules do', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray([0, 1, 2, 3, 4], { minLength: 5, maxLength: 5 }),
        fc.array(fc.tuple(id, number, id, number, fc.constantFrom('x', '', 'a b', '"q"', '9')), { minLength: 1, maxLength: 30 }),
        fc.constantFrom('\n', '\r\n'),
        fc.array(fc.nat({ max: 600 }), { maxLength: 4 }),
        fc.integer({ min: 1, max: 40 }),
        (order, rows, eol, cuts, capacity) => {
          // order[k]: the column of field k (user, weight, item, time, skipped).
          const plan: EventFieldPlan = { fieldCount: 5, user: order[0]!, weight: order[1]!, item: order[2]!, time: order[3]!, title: -1, event: -1, eventWeights: null, onBadRow: 'skip' };
          const text = rows.map((fields) => order.map((_, column) => fields[order.indexOf(column)]).join(',')).join(eol) + eol;
          const bytes = Buffer.from(text, 'utf8');
          const expected = outcome(() => {
            const builder = new EventColumnsBuilder(plan, 16);
            scanCsvRecords(bytes, 0, bytes.length, 0x2c, true, 1, createCsvFields(), builder.addRecord);
            return builder.finish();
          });
          const actual = outcome(() => {
            const builder = new EventColumnsBuilder(plan, capacity);
            const scan = createEventScan(plan, 0x2c, builder);
            feedInChunks(bytes, cuts, (data, final, line) => scan(data, 0, final, line));
            return builder.finish();
          });
          expectSame(actual, expected);
        },
      ),
      LIMITS,
    );
  });
});

describe('plainRecordLoop', () => {
  const plan = fastPlan(4, { user: 0, item: 1, weight: 2, time: 3 }, 0x2c, -1, true, true, 'auto');
  const columns = () => ({ users: new Int32Array(8), items: new Int32Array(8), weights: new Float32Array(8), times: new Float64Array(8) });

  it('stops at the start of the first record it does not take, with the rows before it written', () => {
    const bytes = Buffer.from('1,2,3,1000000000\n4,5,0.5,1700000000000\n6,007,1,2\n8,9,1,2\n');
    const { users, items, weights, times } = columns();
    const out = new Int32Array(1);
    const stop = plainRecordLoop(plan)(bytes, 0, bytes.length, users, items, weights, times, 0, 8, out);
    expect(bytes.subarray(stop).toString()).toBe('6,007,1,2\n8,9,1,2\n');
    expect(out[0]).toBe(2);
    expect([...users.subarray(0, 2)]).toEqual([1, 4]);
    expect([...items.subarray(0, 2)]).toEqual([2, 5]);
    expect([...weights.subarray(0, 2)]).toEqual([3, 0.5]);
    // Epoch milliseconds become seconds, as in the generic loop.
    expect([...times.subarray(0, 2)]).toEqual([1000000000, 1700000000]);
  });

  it('stops at the capacity it is given and at the end of the whole records', () => {
    const bytes = Buffer.from('1,2,3,4\n5,6,7,8\n9,10,11,12');
    const { users, items, weights, times } = columns();
    const out = new Int32Array(1);
    const loop = plainRecordLoop(plan);
    expect(loop(bytes, 0, bytes.length, users, items, weights, times, 3, 4, out)).toBe(8);
    expect(out[0]).toBe(4);
    // The last record has no line end: it is left to the caller's full rules.
    const wholeEnd = bytes.lastIndexOf(0x0a) + 1;
    expect(loop(bytes, 0, wholeEnd, users, items, weights, times, 0, 8, out)).toBe(wholeEnd);
    expect(out[0]).toBe(2);
  });

  it('is made once per layout', () => {
    const same = fastPlan(4, { user: 0, item: 1, weight: 2, time: 3 }, 0x2c, -1, true, true, 'auto');
    const other = fastPlan(4, { user: 0, item: 1, weight: 2, time: 3 }, 0x09, -1, true, true, 'auto');
    expect(plainRecordLoop(same)).toBe(plainRecordLoop(plan));
    expect(plainRecordLoop(other)).not.toBe(plainRecordLoop(plan));
  });
});

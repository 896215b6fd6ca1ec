/**
 * The fast scanner against the full rules: scanning any event file through scanRecordsFast (which
 * hands the records it declines to the RFC 4180 scanner and the event rules) gives exactly the
 * columns, string tables and counts that the RFC 4180 scanner and the event rules give on every
 * record, for any chunking. The files mix what the fast loop takes (plain integers and strings,
 * plain decimals, epoch seconds and milliseconds) with what it must decline (quotes, leading zeros,
 * `17850.0`, exponents, ISO times, empty ids, weights <= 0, wrong field counts, CRLF).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCsvFields, scanCsvRecords } from '../../../src/data/events/csvRecordScanner.js';
import { EventColumnsBuilder, type EventFieldPlan, type ParsedEvents } from '../../../src/data/events/eventColumnsBuilder.js';
import { createEventScan } from '../../../src/data/events/readDelimitedEvents.js';
import { feedInChunks } from './feedInChunks.js';

const LIMITS = { numRuns: 300, interruptAfterTimeLimit: 6000 };

const PLAN: EventFieldPlan = { fieldCount: 4, user: 0, item: 2, weight: 1, time: 3, title: -1, event: -1, eventWeights: null, onBadRow: 'skip' };

function fast(bytes: Buffer, cuts: number[], capacity: number): ParsedEvents {
  const builder = new EventColumnsBuilder(PLAN, capacity);
  const scan = createEventScan(PLAN, 0x2c, builder);
  feedInChunks(bytes, cuts, (data, final, line) => scan(data, 0, final, line));
  return builder.finish();
}

function reference(bytes: Buffer): ParsedEvents {
  const builder = new EventColumnsBuilder(PLAN, 16);
  const fields = createCsvFields();
  scanCsvRecords(bytes, 0, bytes.length, 0x2c, true, 1, fields, builder.addRecord);
  return builder.finish();
}

const id = fc.oneof(
  fc.integer({ min: 0, max: 2147483647 }).map(String),
  fc.integer({ min: 0, max: 99 }).map(String),
  fc.constantFrom('0', '007', '17850.0', '2147483648', 'u1', 'u-7f3a', '85123A', 'é', '', '"q,1"', '"a""b"', '1.5', 'x.0'),
);
const weight = fc.oneof(
  fc.integer({ min: -3, max: 40 }).map((h) => String(h / 4)),
  fc.constantFrom('1', '0', '-2', '1e3', '.5', '3.', '+2', '2.50', 'abc', '', '123456789012345678', '"4"'),
);
const time = fc.oneof(
  fc.integer({ min: 0, max: 2 ** 41 }).map(String),
  fc.constantFrom('1000000000', '1000000000000', '-5', '1.5', '2010-12-01 08:26:00', '2024-05-01T10:00:00Z', '2024-13-01', 'soon', ''),
);
const row = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(id, weight, id, time).map((fields) => fields.join(',')) },
  { weight: 1, arbitrary: fc.constantFrom('', '1,2,3', '1,2,3,4,5', '"open quote,1,2,3', '1,"2"x,3,4') },
);

describe('scanRecordsFast against the full rules', () => {
  it('gives the columns, string tables and counts of the RFC 4180 scanner and the event rules, for any chunking', () => {
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 1, maxLength: 30 }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.array(fc.nat({ max: 600 }), { maxLength: 6 }),
        fc.integer({ min: 1, max: 40 }),
        (rows, eol, finalEol, cuts, capacity) => {
          const text = rows.join(eol) + (finalEol ? eol : '');
          const bytes = Buffer.from(text, 'utf8');
          let expected: ParsedEvents | Error;
          try {
            expected = reference(bytes);
          } catch (error) {
            expected = error as Error;
          }
          if (expected instanceof Error) {
            // A quote left open: the fast path must fail the same way.
            expect(() => fast(bytes, cuts, capacity)).toThrow(expected.message);
            return;
          }
          const actual = fast(bytes, cuts, capacity);
          expect(actual.counts).toEqual(expected.counts);
          expect(actual.events).toEqual(expected.events);
        },
      ),
      LIMITS,
    );
  });

  it('reads plain rows on the fast path (no call to the full rules)', () => {
    const text = 'u1,1.5,10,1000000000\nu2,2,11,1700000000000\n3,0.25,i-9,2\n';
    const builder = new EventColumnsBuilder(PLAN, 4);
    let declined = 0;
    const original = builder.addRecord;
    Object.defineProperty(builder, 'addRecord', { value: (...args: Parameters<typeof original>) => { declined++; original(...args); } });
    const scan = createEventScan(PLAN, 0x2c, builder);
    const result = scan(Buffer.from(text), 0, true, 1);
    // The first row turns the user side to strings (full rules); the third turns the items.
    expect(declined).toBe(2);
    expect(result.line).toBe(4);
    const parsed = builder.finish();
    expect(parsed.events.users).toEqual({ kind: 'string', codes: Int32Array.of(0, 1, 2), table: ['u1', 'u2', '3'] });
    expect([...parsed.events.weights]).toEqual([1.5, 2, 0.25]);
    expect([...parsed.events.times!]).toEqual([1000000000, 1700000000, 2]);
  });
});

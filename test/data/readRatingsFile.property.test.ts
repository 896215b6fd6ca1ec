/**
 * Property-based tests of the ratings reader (fast-check): valid files read back exactly whatever
 * the chunk size and line ends; any bytes at all end in ratings or a one-line DataFormatError
 * (never another error, never a raw control character); a bad line is reported at its number.
 * Each property is bounded in runs and time so `npm test` stays fast.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { readRatingsFile, type RatingsLayout } from '../../src/data/readRatingsFile.js';
import { DataFormatError } from '../../src/errors.js';

const TAB: RatingsLayout = { separator: '\t', separatorName: 'tab-separated', encoding: 'latin1' };
const COLONS: RatingsLayout = { separator: '::', separatorName: '"::"-separated', encoding: 'latin1' };
const LIMITS = { numRuns: 150, interruptAfterTimeLimit: 4000 };

const dir = mkdtempSync(join(tmpdir(), 'alsrec-prop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileCount = 0;
function writeTemp(content: string | Uint8Array): string {
  const path = join(dir, `f${fileCount++}.data`);
  writeFileSync(path, content);
  return path;
}

const rating = fc.record({
  user: fc.integer({ min: 0, max: 2147483647 }),
  item: fc.integer({ min: 0, max: 2147483647 }),
  // Half-stars and whole numbers, as MovieLens writes them; exact in float32.
  rating: fc.integer({ min: -20, max: 20 }).map((h) => h / 2),
  timestamp: fc.integer({ min: 0, max: 2 ** 40 }),
});

describe('readRatingsFile properties', () => {
  it('reads back every valid file exactly, for any line ends and blank lines', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(rating, { minLength: 1, maxLength: 40 }),
        fc.boolean(),
        fc.constantFrom(TAB, COLONS),
        fc.array(fc.nat({ max: 40 }), { maxLength: 3 }),
        async (rows, crlf, layout, blanks) => {
          const eol = crlf ? '\r\n' : '\n';
          const lines = rows.map((r) => [r.user, r.item, r.rating, r.timestamp].join(layout.separator));
          for (const at of blanks) lines.splice(Math.min(at, lines.length), 0, '');
          const columns = await readRatingsFile(writeTemp(lines.join(eol) + eol), layout);
          expect(columns.length).toBe(rows.length);
          expect([...columns.users.subarray(0, rows.length)]).toEqual(rows.map((r) => r.user));
          expect([...columns.items.subarray(0, rows.length)]).toEqual(rows.map((r) => r.item));
          expect([...columns.ratings.subarray(0, rows.length)]).toEqual(rows.map((r) => r.rating));
          expect([...columns.timestamps.subarray(0, rows.length)]).toEqual(rows.map((r) => r.timestamp));
        },
      ),
      LIMITS,
    );
  });

  it('ends any bytes in ratings or a DataFormatError naming the file, without raw control characters', async () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      // Mostly ratings-shaped text, so the parser gets past the first field.
      fc.array(fc.constantFrom('1', '2', '0', '9', '\t', '\n', '\r', '.', '-', 'e', '+', ' ', '\x1b', '\x00', '\xff'), { maxLength: 200 })
        .map((chars) => Buffer.from(chars.join(''), 'latin1')),
    );
    await fc.assert(
      fc.asyncProperty(bytes, async (content) => {
        const path = writeTemp(content);
        try {
          const columns = await readRatingsFile(path, TAB);
          for (let j = 0; j < columns.length; j++) {
            expect(columns.users[j]).toBeGreaterThanOrEqual(0);
            expect(columns.items[j]).toBeGreaterThanOrEqual(0);
            expect(Number.isFinite(columns.ratings[j])).toBe(true);
            expect(Number.isFinite(columns.timestamps[j])).toBe(true);
          }
        } catch (err) {
          expect(err).toBeInstanceOf(DataFormatError);
          const message = (err as Error).message;
          expect(message.startsWith(`${path}`)).toBe(true);
          expect(message).not.toMatch(/[\x00-\x08\x0a-\x1f\x7f-\x9f]/);
        }
      }),
      LIMITS,
    );
  });

  it('reports a bad line at its own line number', async () => {
    const bad = fc.constantFrom('x', '1\t2\t3', '1\t2\t3\t4\t5', '-1\t2\t3\t4', '1\t2\t1e3\t4', '1\t2\tNaN\t4', `1\t2\t1${'0'.repeat(39)}\t4`, '1\t\t3\t4');
    await fc.assert(
      fc.asyncProperty(fc.array(rating, { minLength: 1, maxLength: 20 }), fc.nat(), bad, async (rows, where, line) => {
        const lines = rows.map((r) => [r.user, r.item, r.rating, r.timestamp].join('\t'));
        const at = where % (lines.length + 1);
        lines.splice(at, 0, line);
        const path = writeTemp(lines.join('\n'));
        await expect(readRatingsFile(path, TAB)).rejects.toThrow(`${path}:${at + 1}: `);
      }),
      LIMITS,
    );
  });
});

/**
 * Property-based tests of the ratings people hand over (fast-check): `--ratings` text and update
 * files either parse into ids (non-empty text, trimmed) with finite, non-zero float32 ratings, or fail with the
 * one expected error kind; valid input reads back exactly. Bounded in runs and time.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRatingPairs, readNewRatingsCsv, readRatingPairsFile } from '../../src/cli/parseRatings.js';
import { DataFormatError, InvalidOptionError } from '../../src/errors.js';

const LIMITS = { numRuns: 200, interruptAfterTimeLimit: 4000 };
const FLOAT32_MAX = 3.4028234663852886e38;

const dir = mkdtempSync(join(tmpdir(), 'alsrec-prop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileCount = 0;
function writeTemp(content: string | Uint8Array): string {
  const path = join(dir, `r${fileCount++}.csv`);
  writeFileSync(path, content);
  return path;
}

/** Characters that make up ratings text, plus some that never should. */
const ratingsText = fc.array(fc.constantFrom('1', '5', '0', '9', ':', ',', '.', '-', '+', 'e', ' ', '\n', '\x1b', 'x'), { maxLength: 60 }).map((c) => c.join(''));

function assertValid(id: string, rating: number): void {
  expect(id.length > 0 && id.length <= 1024 && id === id.trim()).toBe(true);
  expect(Number.isFinite(rating) && rating !== 0 && Math.abs(rating) <= FLOAT32_MAX).toBe(true);
}

describe('ratings parser properties', () => {
  it('parseRatingPairs returns only valid pairs or throws InvalidOptionError', () => {
    fc.assert(
      fc.property(fc.oneof(ratingsText, fc.string({ maxLength: 40 })), (text) => {
        try {
          for (const r of parseRatingPairs('--ratings', text)) assertValid(r.itemId, r.rating);
        } catch (err) {
          expect(err).toBeInstanceOf(InvalidOptionError);
        }
      }),
      LIMITS,
    );
  });

  it('parseRatingPairs reads back generated pairs exactly', () => {
    const pairs = fc.uniqueArray(fc.tuple(fc.integer({ min: 0, max: 2147483647 }), fc.integer({ min: 1, max: 10 }).map((h) => h / 2)), {
      minLength: 1, maxLength: 20, selector: ([id]) => id,
    });
    fc.assert(
      fc.property(pairs, (list) => {
        const back = parseRatingPairs('--ratings', list.map(([id, r]) => `${id}:${r}`).join(','));
        expect(back.map((r) => [Number(r.itemId), r.rating])).toEqual(list);
      }),
      LIMITS,
    );
  });

  it('ratings files and update files give valid ratings or a DataFormatError naming the file', async () => {
    const content = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      ratingsText.map((t) => `movieId,rating\n${t}`),
      ratingsText.map((t) => `userId,movieId,rating\n${t.replace(/:/g, ',')}`),
    );
    await fc.assert(
      fc.asyncProperty(content, async (text) => {
        const path = writeTemp(text);
        try {
          for (const r of await readRatingPairsFile(path)) assertValid(r.itemId, r.rating);
        } catch (err) {
          expect(err).toBeInstanceOf(DataFormatError);
          expect((err as Error).message.startsWith(path)).toBe(true);
        }
        try {
          const news = await readNewRatingsCsv(path);
          for (let j = 0; j < news.users.length; j++) {
            assertValid(news.users[j]!, news.ratings[j]!);
            assertValid(news.items[j]!, news.ratings[j]!);
          }
        } catch (err) {
          expect(err).toBeInstanceOf(DataFormatError);
          expect((err as Error).message.startsWith(path)).toBe(true);
        }
      }),
      { numRuns: 100, interruptAfterTimeLimit: 4000 },
    );
  });
});

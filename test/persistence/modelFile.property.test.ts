/**
 * Property-based tests of the model file reader (fast-check): random corruptions (flipped bytes,
 * truncation, appended bytes, and edits with the checksum recomputed, as a crafted file would
 * have) end in a ModelFileError, or, for a crafted file that passes, in contents that satisfy
 * every rule of docs/model-format.md, checked here independently of the reader. Bounded in runs
 * and time.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeModelFile, encodeModelFile, ModelFileError, readModelFile, type ModelFileContents } from '../../src/persistence/modelFile.js';
import { IdMap } from '../../src/matrix/idMap.js';
import { concat, modelContents, stringIdContents } from './modelFixture.js';

const dir = mkdtempSync(join(tmpdir(), 'alsrec-prop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
/** The file the corruption properties start from: integer ids (version 1) or string ids (version 2). */
const ORIGINALS = { 'integer ids': concat(encodeModelFile(modelContents(6, 9, 3))), 'string ids': concat(encodeModelFile(stringIdContents(6, 9, 3))) };

/** A copy of `bytes` in a fresh 8-aligned buffer. */
function copy(bytes: Uint8Array): Uint8Array {
  return concat([bytes]);
}

function rehash(bytes: Uint8Array): Uint8Array {
  bytes.set(createHash('sha256').update(bytes.subarray(0, bytes.byteLength - 32)).digest(), bytes.byteLength - 32);
  return bytes;
}

/** The format's rules, checked without the reader's code. */
function assertFollowsTheRules(c: ModelFileContents): void {
  const k = c.options.factors;
  const U = c.users.ids.length;
  const I = c.items.ids.length;
  expect(c.userFactors.length).toBe(U * k);
  expect(c.itemFactors.length).toBe(I * k);
  for (const f of [...c.userFactors, ...c.itemFactors]) expect(Number.isFinite(f)).toBe(true);
  for (const side of [c.users, c.items]) {
    const ids = Array.from({ length: side.size }, (_, i) => side.id(i));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(side.kind === "int" ? (id as number) >= 0 && (id as number) <= 2147483647 : typeof id === "string" && id.length > 0).toBe(true);
  }
  const { indptr, indices, data } = c.liked;
  expect(indptr.length).toBe(U + 1);
  expect(indptr[0]).toBe(0);
  for (let u = 0; u < U; u++) {
    expect(indptr[u + 1]!).toBeGreaterThanOrEqual(indptr[u]!);
    for (let p = indptr[u]!; p < indptr[u + 1]!; p++) {
      expect(indices[p]! >= 0 && indices[p]! < I).toBe(true);
      if (p > indptr[u]!) expect(indices[p]!).toBeGreaterThan(indices[p - 1]!);
      expect(Number.isFinite(data[p]!)).toBe(true);
    }
  }
  expect(Number.isFinite(c.options.regularization) && c.options.regularization >= 0).toBe(true);
  expect(Number.isFinite(c.options.alpha) && c.options.alpha > 0).toBe(true);
}

/** Flips bits at random byte positions (uniform integers: fc.double would crowd them near 0, in the header). */
// Flips at distinct offsets, so that they never cancel out (two flips of byte 3 by 254 gave back
// the original file once, which the disk-reading property then wrongly expected to be refused).
const flipsOf = (ORIGINAL: Uint8Array) =>
  fc.uniqueArray(fc.tuple(fc.nat({ max: ORIGINAL.byteLength - 1 }), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4, selector: ([at]) => at });

function applyFlips(bytes: Uint8Array, edits: ReadonlyArray<[number, number]>): Uint8Array {
  const out = copy(bytes);
  for (const [at, mask] of edits) out[at]! ^= mask;
  return out;
}

function decodeOrModelFileError(bytes: Uint8Array): ModelFileContents | null {
  try {
    return decodeModelFile(bytes, 'm.alsrec');
  } catch (err) {
    expect(err).toBeInstanceOf(ModelFileError);
    expect((err as Error).message.startsWith('m.alsrec: ')).toBe(true);
    return null;
  }
}

describe.each(Object.entries(ORIGINALS))('model file reader properties (%s)', (_name, ORIGINAL) => {
  const flips = flipsOf(ORIGINAL);
  it('refuses any flipped byte, truncation or trailing bytes (the checksum or the header catches it)', () => {
    const corruption = fc.oneof(
      flips.map((edits) => applyFlips(ORIGINAL, edits)),
      fc.nat({ max: ORIGINAL.byteLength - 1 }).map((n) => copy(ORIGINAL.subarray(0, n))),
      fc.uint8Array({ minLength: 1, maxLength: 64 }).map((extra) => concat([ORIGINAL, extra])),
    );
    fc.assert(
      fc.property(corruption, (bytes) => {
        expect(decodeOrModelFileError(bytes)).toBeNull();
      }),
      { numRuns: 300, interruptAfterTimeLimit: 4000 },
    );
  });

  it('refuses crafted files (edited, checksum recomputed) or returns contents that follow every rule', () => {
    fc.assert(
      fc.property(flips, (edits) => {
        const contents = decodeOrModelFileError(rehash(applyFlips(ORIGINAL, edits)));
        if (contents !== null) assertFollowsTheRules(contents);
      }),
      { numRuns: 500, interruptAfterTimeLimit: 5000 },
    );
  });

  it('refuses crafted values written over aligned words (NaN, infinities, negative ids, huge counts) or returns valid contents', () => {
    const word = fc.oneof(
      fc.constantFrom(NaN, Infinity, -Infinity, 1e39, -1).map((v) => ({ float: true, v })),
      fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }).map((v) => ({ float: false, v })),
    );
    const edit = fc.tuple(fc.nat({ max: (ORIGINAL.byteLength - 32) / 4 - 1 }), word);
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
        const bytes = copy(ORIGINAL);
        const view = new DataView(bytes.buffer);
        for (const [at, { float, v }] of edits) {
          const offset = at * 4;
          if (float) view.setFloat32(offset, v, true);
          else view.setInt32(offset, v, true);
        }
        const contents = decodeOrModelFileError(rehash(bytes));
        if (contents !== null) assertFollowsTheRules(contents);
      }),
      { numRuns: 500, interruptAfterTimeLimit: 5000 },
    );
  });

  it('reads files from disk the same way: ModelFileError or valid contents', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(flips, fc.boolean(), fc.integer({ min: 8, max: 256 }), async (edits, crafted, readChunkBytes) => {
        const bytes = applyFlips(ORIGINAL, edits);
        const path = join(dir, `m${n++}.alsrec`);
        writeFileSync(path, crafted ? rehash(bytes) : bytes);
        try {
          assertFollowsTheRules(await readModelFile(path, { readChunkBytes, wholeReadMaxBytes: readChunkBytes % 2 === 0 ? 0 : undefined }));
          expect(crafted).toBe(true);
        } catch (err) {
          expect(err).toBeInstanceOf(ModelFileError);
          expect((err as Error).message.startsWith(`${path}: `)).toBe(true);
        }
      }),
      { numRuns: 80, interruptAfterTimeLimit: 4000 },
    );
  });
});

describe('string ids round trip', () => {
  const id = fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: 99999 }).map((n) => `00${n}`));
  it('reads back any unique string ids exactly (version 2), integer ids as version 1', () => {
    fc.assert(
      fc.property(fc.uniqueArray(id, { minLength: 7, maxLength: 7 }), fc.uniqueArray(id, { minLength: 11, maxLength: 11 }), fc.boolean(), (userIds, itemIds, intUsers) => {
        const base = modelContents(7, 11, 3);
        const contents = { ...base, users: intUsers ? base.users : IdMap.fromOrderedStringIds(userIds), items: IdMap.fromOrderedStringIds(itemIds), movies: new Map() };
        const bytes = concat(encodeModelFile(contents));
        expect(new DataView(bytes.buffer).getUint32(8, true)).toBe(2);
        const back = decodeModelFile(bytes, 'm.alsrec');
        expect(back.users.kind).toBe(intUsers ? 'int' : 'string');
        expect([...back.users.ids]).toEqual([...contents.users.ids]);
        expect(back.items.ids).toEqual(itemIds);
        assertFollowsTheRules(back);
      }),
      { numRuns: 150, interruptAfterTimeLimit: 4000 },
    );
    const ints = concat(encodeModelFile(modelContents(3, 4, 2)));
    expect(new DataView(ints.buffer).getUint32(8, true)).toBe(1);
  });
});

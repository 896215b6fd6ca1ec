import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  decodeModelFile,
  encodeModelFile,
  MODEL_FORMAT_VERSION,
  ModelFileError,
  readModelFile,
  writeModelFile,
} from '../../src/model/modelFile.js';
import { concat, modelContents } from './modelFixture.js';

/** Recomputes the SHA-256 trailer after a deliberate edit, so a later check is the one that fires. */
function rehash(bytes: Uint8Array): Uint8Array {
  const body = bytes.subarray(0, bytes.byteLength - 32);
  bytes.set(createHash('sha256').update(body).digest(), bytes.byteLength - 32);
  return bytes;
}

/** Offset of section `tag` per the section table. */
function sectionOffset(bytes: Uint8Array, tag: string): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const count = view.getUint32(12, true);
  for (let j = 0; j < count; j++) {
    const e = 32 + 24 * j;
    if (String.fromCharCode(...bytes.subarray(e, e + 4)) === tag) return Number(view.getBigUint64(e + 8, true));
  }
  throw new Error(`no section ${tag}`);
}

describe('model file encode/decode', () => {
  it('should throw for wrong magic bytes, naming the file', () => {
    const bytes = concat(encodeModelFile(modelContents()));
    bytes[1] = 0x42;
    expect(() => decodeModelFile(bytes, 'm.alsrec')).toThrow(new ModelFileError('m.alsrec', 'not an alsrec model file (wrong magic bytes)'));
    expect(() => decodeModelFile(Buffer.from('userId,movieId\n'), 'x.csv')).toThrow('x.csv: not an alsrec model file (wrong magic bytes)');
  });

  it('should throw for a truncated file', () => {
    const bytes = concat(encodeModelFile(modelContents()));
    const n = bytes.byteLength;
    expect(() => decodeModelFile(bytes.subarray(0, n - 5), 'm.alsrec')).toThrow(`m.alsrec: is truncated: its header declares ${n} bytes but the file has ${n - 5}`);
    expect(() => decodeModelFile(bytes.subarray(0, 20), 'm.alsrec')).toThrow('m.alsrec: is truncated: 20 bytes, less than the smallest possible model file');
    expect(() => decodeModelFile(bytes.subarray(0, 0), 'empty.alsrec')).toThrow('empty.alsrec: is truncated: 0 bytes');
  });

  it('should throw for a newer format version', () => {
    const bytes = concat(encodeModelFile(modelContents()));
    new DataView(bytes.buffer).setUint32(8, MODEL_FORMAT_VERSION + 1, true);
    expect(() => decodeModelFile(bytes, 'm.alsrec')).toThrow(
      `m.alsrec: was written by a newer alsrec (model format version ${MODEL_FORMAT_VERSION + 1}; this version reads up to ${MODEL_FORMAT_VERSION}); upgrade alsrec to load it`,
    );
  });

  it('should throw for a checksum mismatch', () => {
    const bytes = concat(encodeModelFile(modelContents()));
    bytes[sectionOffset(bytes, 'UFAC') + 2]! ^= 0x01;
    expect(() => decodeModelFile(bytes, 'm.alsrec')).toThrow('m.alsrec: checksum mismatch (SHA-256): the file is corrupted');
  });

  it('should throw when the factor array length disagrees with users x factors', () => {
    const good = modelContents(7, 11, 3);
    const bytes = concat(encodeModelFile({ ...good, userFactors: good.userFactors.subarray(0, 20) }));
    expect(() => decodeModelFile(bytes, 'm.alsrec')).toThrow('m.alsrec: dimensions disagree: section UFAC holds 20 values but users x factors (7 x 3) is 21');
  });

  it('should throw when the liked matrix has a column out of range', () => {
    const good = modelContents();
    const indices = good.liked.indices.slice();
    indices[0] = 999;
    const bytes = concat(encodeModelFile({ ...good, liked: { ...good.liked, indices } }));
    expect(() => decodeModelFile(bytes, 'm.alsrec')).toThrow(/^m\.alsrec: the liked matrix is invalid: row \d+ has column 999 out of range or out of order$/);
  });

  it('should throw for a repeated id and for invalid saved options', () => {
    const good = modelContents();
    const ids = good.users.ids.slice();
    ids[1] = ids[0]!;
    const repeated = { ...good, users: { ...good.users, ids, size: ids.length } as typeof good.users };
    expect(() => decodeModelFile(concat(encodeModelFile(repeated)), 'm.alsrec')).toThrow('m.alsrec: the user id map repeats an id');
    const bytes = concat(encodeModelFile(good));
    new DataView(bytes.buffer).setFloat64(sectionOffset(bytes, 'META') + 32, -1, true); // alpha
    expect(() => decodeModelFile(rehash(bytes), 'm.alsrec')).toThrow('m.alsrec: holds invalid training options: Expected a finite number > 0 for alpha but received -1 of type number');
  });

  it('should round-trip every field, with factors as views of one buffer', () => {
    const original = modelContents();
    const bytes = concat(encodeModelFile(original));
    expect(bytes.byteLength % 8).toBe(0);
    const back = decodeModelFile(bytes, 'm.alsrec');
    expect(back.options).toEqual(original.options);
    expect(back.users.ids).toEqual(original.users.ids);
    expect(back.items.ids).toEqual(original.items.ids);
    expect(back.liked).toEqual(original.liked);
    expect(back.userFactors).toEqual(original.userFactors);
    expect(back.itemFactors).toEqual(original.itemFactors);
    expect([...back.movies.values()]).toEqual([...original.movies.values()]);
    expect(back.evaluation).toEqual(original.evaluation);
    expect(back.userFactors.buffer).toBe(bytes.buffer);
    expect(back.itemFactors.buffer).toBe(bytes.buffer);
  });

  it("should keep the 64-byte META for Hu et al.'s objective and append the objective's fields otherwise", () => {
    const metaLength = (bytes: Uint8Array): number => {
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const sections = view.getUint32(12, true);
      for (let s = 0; s < sections; s++) {
        const at = 32 + 24 * s;
        if (String.fromCharCode(...bytes.subarray(at, at + 4)) === 'META') return Number(view.getBigUint64(at + 16, true));
      }
      throw new Error('no META');
    };
    const plain = concat(encodeModelFile(modelContents()));
    const original = modelContents();
    const spark = { ...original, options: { ...original.options, convention: 'spark' as const, regularizationExponent: 1, unobservedWeight: 0.25 } };
    const sparkBytes = concat(encodeModelFile(spark));
    expect(decodeModelFile(sparkBytes, 'm.alsrec').options).toEqual(spark.options);
    // A writer that does not know the objective fields (every file before them) reads as the defaults.
    const legacy = { ...original, options: { ...original.options, convention: undefined, regularizationExponent: undefined, unobservedWeight: undefined } };
    expect(decodeModelFile(concat(encodeModelFile(legacy)), 'm.alsrec').options).toMatchObject({ convention: 'implicit', regularizationExponent: 0, unobservedWeight: 1 });
    expect(metaLength(plain)).toBe(64);
    expect(metaLength(sparkBytes)).toBe(88);
  });

  it('should leave out optional sections when there are no titles and no evaluation', () => {
    const original = { ...modelContents(), movies: new Map(), evaluation: undefined };
    const back = decodeModelFile(concat(encodeModelFile(original)), 'm.alsrec');
    expect(back.movies.size).toBe(0);
    expect(back.evaluation).toBeUndefined();
  });

  it('should round-trip an empty model (no users, no movies)', () => {
    const empty = modelContents(0, 0, 2);
    const back = decodeModelFile(concat(encodeModelFile({ ...empty, movies: new Map() })), 'e.alsrec');
    expect(back.users.size).toBe(0);
    expect(back.liked.indptr).toEqual(Int32Array.of(0));
  });
});

describe('readModelFile / writeModelFile', () => {
  it('should name the file when it does not exist', async () => {
    await expect(readModelFile('/nonexistent/m.alsrec')).rejects.toThrow('/nonexistent/m.alsrec: no such model file');
  });

  it('should write atomically and read back what was written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'alsrec-mf-'));
    const path = join(dir, 'm.alsrec');
    await writeModelFile(path, modelContents());
    const back = await readModelFile(path);
    expect(back.userFactors).toEqual(modelContents().userFactors);
    expect(readdirSync(dir)).toEqual(['m.alsrec']);
  });

  it('should refuse a file cut short on disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'alsrec-mf-'));
    const path = join(dir, 'm.alsrec');
    await writeModelFile(path, modelContents());
    const full = readFileSync(path);
    writeFileSync(path, full.subarray(0, full.length - 40));
    await expect(readModelFile(path)).rejects.toThrow(`${path}: is truncated: its header declares ${full.length} bytes but the file has ${full.length - 40}`);
  });
});

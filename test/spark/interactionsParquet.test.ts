import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { encodeInteractionsParquet, readInteractionsParquet } from '../../src/spark/interactionsParquet.js';

const dir = mkdtempSync(join(tmpdir(), 'alsrec-interactions-'));
const ratings = {
  users: Int32Array.of(1, 1, 2, -5),
  items: Int32Array.of(10, 20, 10, 2147483647),
  ratings: Float32Array.of(5, 3.5, -1, 0.25),
  timestamps: Float64Array.of(881250949, 881250950, 0, 1700000000),
};

describe('interactions Parquet', () => {
  it('round-trips every column exactly', async () => {
    const file = join(dir, 'ok.parquet');
    writeFileSync(file, encodeInteractionsParquet(ratings, 'test'));
    expect(await readInteractionsParquet(file)).toEqual(ratings);
  });

  it('names a file without an item column', async () => {
    const file = join(dir, 'no-item.parquet');
    writeFileSync(file, new Uint8Array(parquetWriteBuffer({ columnData: [{ name: 'user', data: Int32Array.of(1), type: 'INT32' }, { name: 'rating', data: Float32Array.of(1), type: 'FLOAT' }] })));
    await expect(readInteractionsParquet(file)).rejects.toThrow(`${file}: has no "item" column (expected user, item, rating)`);
  });

  it('names a file whose ids are not int32', async () => {
    const file = join(dir, 'double-ids.parquet');
    writeFileSync(file, new Uint8Array(parquetWriteBuffer({ columnData: [{ name: 'user', data: [1.5], type: 'DOUBLE' }, { name: 'item', data: Int32Array.of(1), type: 'INT32' }, { name: 'rating', data: Float32Array.of(1), type: 'FLOAT' }] })));
    await expect(readInteractionsParquet(file)).rejects.toThrow(`${file}: column "user" is DOUBLE, expected int32 ids`);
  });

  it('names a truncated file', async () => {
    const file = join(dir, 'cut.parquet');
    const bytes = encodeInteractionsParquet(ratings, 'test');
    writeFileSync(file, bytes.subarray(0, bytes.length - 20));
    await expect(readInteractionsParquet(file)).rejects.toThrow(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: is not a readable Parquet file \\(.*\\); it may be truncated$`));
    expect(readFileSync(file).length).toBe(bytes.length - 20);
  });
});

import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parquetMetadata } from 'hyparquet';
import { DuckDBInstance } from '@duckdb/node-api';
import { ALS } from '../../src/als/model.js';
import { exportSparkModel } from '../../src/spark/exportSparkModel.js';
import { SPARK_FIXTURE, hasSparkFixture, partFiles, readSideIndependently, smallModel } from './sparkFixture.js';

function freshDir(): string {
  return mkdtempSync(join(tmpdir(), 'alsrec-spark-export-'));
}

function metadataOf(file: string) {
  const bytes = readFileSync(file);
  return parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/** Every (id, features) row of a side folder, read by DuckDB (an independent Parquet reader). */
async function readWithDuckDb(dir: string): Promise<Map<number, number[]>> {
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  try {
    const reader = await connection.runAndReadAll(`SELECT id, features FROM read_parquet('${dir.replace(/'/g, "''")}/*.parquet')`);
    const rows = new Map<number, number[]>();
    for (const row of reader.getRowObjectsJS()) {
      rows.set(row['id'] as number, [...(row['features'] as number[])]);
    }
    return rows;
  } finally {
    connection.closeSync();
    db.closeSync();
  }
}

function expectFactorsEqual(model: ALS, side: 'users' | 'items', rows: Map<number, number[]>): void {
  const s = model.state;
  const ids = (side === "users" ? s.users.ids : s.items.ids) as Int32Array;
  const F = side === 'users' ? s.userFactors : s.itemFactors;
  const k = model.options.factors;
  expect(rows.size).toBe(ids.length);
  let mismatches = 0;
  for (let r = 0; r < ids.length; r++) {
    const got = rows.get(ids[r] as number);
    for (let a = 0; a < k; a++) if (!Object.is(got?.[a], F[r * k + a])) mismatches++;
  }
  expect(mismatches).toBe(0);
}

describe('exportSparkModel', () => {
  it("writes Spark's layout: metadata line, _SUCCESS, snappy part files with Spark's schema and row metadata", async () => {
    const model = smallModel();
    const out = join(freshDir(), 'spark-model');
    await exportSparkModel(model, out);
    expect(readdirSync(out).sort()).toEqual(['itemFactors', 'metadata', 'userFactors']);
    expect(readdirSync(join(out, 'metadata')).sort()).toEqual(['_SUCCESS', 'part-00000']);
    const line = readFileSync(join(out, 'metadata', 'part-00000'), 'utf8');
    expect(line.endsWith('}\n')).toBe(true);
    const metadata = JSON.parse(line) as Record<string, unknown>;
    expect(Object.keys(metadata)).toEqual(['class', 'timestamp', 'sparkVersion', 'uid', 'paramMap', 'defaultParamMap', 'rank']);
    expect(metadata['class']).toBe('org.apache.spark.ml.recommendation.ALSModel');
    expect(metadata['rank']).toBe(4);
    for (const side of ['userFactors', 'itemFactors']) {
      const names = readdirSync(join(out, side)).sort();
      expect(names[0]).toMatch(/^_SUCCESS$/);
      expect(names.slice(1).every((n) => /^part-\d{5}-[0-9a-f-]{36}-c000\.snappy\.parquet$/.test(n))).toBe(true);
      for (const file of partFiles(join(out, side))) {
        const md = metadataOf(file);
        expect(md.schema).toEqual([
          { name: 'spark_schema', num_children: 2 },
          { type: 'INT32', repetition_type: 'REQUIRED', name: 'id' },
          { repetition_type: 'OPTIONAL', name: 'features', num_children: 1, converted_type: 'LIST', logical_type: { type: 'LIST' } },
          { repetition_type: 'REPEATED', name: 'list', num_children: 1 },
          { type: 'FLOAT', repetition_type: 'REQUIRED', name: 'element' },
        ]);
        expect(md.row_groups.flatMap((g) => g.columns.map((c) => c.meta_data?.codec))).toEqual(['SNAPPY', 'SNAPPY']);
        expect(md.key_value_metadata?.map((kv) => kv.key)).toEqual(['org.apache.spark.version', 'org.apache.spark.sql.parquet.row.metadata']);
      }
    }
  });

  it('round-trips: two independent readers and ALS.fromSpark see bit-identical factors', async () => {
    const model = smallModel(50, 30, 6, 7);
    const out = join(freshDir(), 'spark-model');
    await exportSparkModel(model, out);
    for (const [side, folder] of [['users', 'userFactors'], ['items', 'itemFactors']] as const) {
      expectFactorsEqual(model, side, await readSideIndependently(join(out, folder)));
      expectFactorsEqual(model, side, await readWithDuckDb(join(out, folder)));
    }
    const back = await ALS.fromSpark(out);
    expect(Buffer.from(back.userFactors.buffer).equals(Buffer.from(model.userFactors.buffer))).toBe(true);
    expect(Buffer.from(back.itemFactors.buffer).equals(Buffer.from(model.itemFactors.buffer))).toBe(true);
    expect([...back.state.users.ids]).toEqual([...model.state.users.ids]);
  });

  it('refuses an existing destination unless overwrite, and replaces it whole with overwrite', async () => {
    const out = join(freshDir(), 'spark-model');
    await exportSparkModel(smallModel(), out);
    await expect(exportSparkModel(smallModel(), out)).rejects.toThrow(`Cannot write ${out}: it already exists (Spark's save refuses too); remove it or pass --overwrite`);
    await exportSparkModel(smallModel(9, 5, 3, 2), out, { overwrite: true });
    expect((await ALS.fromSpark(out)).options.factors).toBe(3);
    expect(readdirSync(join(out, '..'))).toEqual(['spark-model']);
  });

  it('leaves nothing at the destination (and no temporary folder) when the write fails', async () => {
    const parent = freshDir();
    const out = join(parent, 'spark-model');
    await expect(exportSparkModel(smallModel(), out, { beforeRename: () => { throw new Error('disk full'); } })).rejects.toThrow('disk full');
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(parent)).toEqual([]);
  });
});

describe.skipIf(!hasSparkFixture)('export-spark of the real Spark 3.5.5 model', () => {
  let out: string;
  let imported: ALS;

  beforeAll(async () => {
    imported = await ALS.fromSpark(SPARK_FIXTURE);
    out = join(freshDir(), 'spark-model');
    await exportSparkModel(imported, out);
  }, 180_000);

  it("mirrors the fixture's Parquet schema and row metadata exactly", () => {
    for (const side of ['userFactors', 'itemFactors']) {
      const theirs = metadataOf(partFiles(join(SPARK_FIXTURE, side))[0]!);
      const ours = metadataOf(partFiles(join(out, side))[0]!);
      expect(ours.schema).toEqual(theirs.schema);
      expect(ours.key_value_metadata).toEqual(theirs.key_value_metadata);
    }
    const theirs = JSON.parse(readFileSync(join(SPARK_FIXTURE, 'metadata', 'part-00000'), 'utf8')) as Record<string, unknown>;
    const ours = JSON.parse(readFileSync(join(out, 'metadata', 'part-00000'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(ours)).toEqual(Object.keys(theirs));
    expect(Object.keys(ours['paramMap'] as object).sort()).toEqual(Object.keys(theirs['paramMap'] as object).sort());
    expect(ours['defaultParamMap']).toEqual(theirs['defaultParamMap']);
    expect(ours['rank']).toBe(theirs['rank']);
  });

  it('re-imports with bit-identical factors and the same ids', async () => {
    const back = await ALS.fromSpark(out);
    expect([...back.state.users.ids]).toEqual([...imported.state.users.ids]);
    expect([...back.state.items.ids]).toEqual([...imported.state.items.ids]);
    expect(Buffer.from(back.userFactors.buffer).equals(Buffer.from(imported.userFactors.buffer))).toBe(true);
    expect(Buffer.from(back.itemFactors.buffer).equals(Buffer.from(imported.itemFactors.buffer))).toBe(true);
  }, 60_000);

  it('is read by DuckDB with the same row counts and factors', async () => {
    expectFactorsEqual(imported, 'items', await readWithDuckDb(join(out, 'itemFactors')));
    const db = await DuckDBInstance.create(':memory:');
    const connection = await db.connect();
    const reader = await connection.runAndReadAll(`SELECT count(*)::INTEGER AS n, min(len(features))::INTEGER AS lo, max(len(features))::INTEGER AS hi FROM read_parquet('${out}/userFactors/*.parquet')`);
    expect(reader.getRowObjectsJS()).toEqual([{ n: 200_948, lo: 13, hi: 13 }]);
    connection.closeSync();
    db.closeSync();
  }, 60_000);
});

import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { ALS } from '../../src/als/model.js';
import { exportSparkModel } from '../../src/spark/exportSparkModel.js';
import { encodeFactorPart } from '../../src/spark/factorParquet.js';
import { runCaptured } from '../helpers/runCaptured.js';
import { partFiles, smallModel } from './sparkFixture.js';

let dir: string;
let metadataFile: string;

beforeEach(async () => {
  dir = join(mkdtempSync(join(tmpdir(), 'alsrec-spark-bad-')), 'model');
  await exportSparkModel(smallModel(7, 11, 4, 3), dir);
  metadataFile = join(dir, 'metadata', 'part-00000');
});

function editMetadata(edit: (m: Record<string, unknown>) => void): void {
  const m = JSON.parse(readFileSync(metadataFile, 'utf8')) as Record<string, unknown>;
  edit(m);
  writeFileSync(metadataFile, `${JSON.stringify(m)}\n`);
}

/** import-spark on `dir` must fail with exit 1, one line naming the file, and write nothing. */
async function expectCliRefusal(message: string): Promise<void> {
  const out = join(dir, '..', 'out.alsrec');
  const run = await runCaptured('import-spark', dir, '--out', out);
  expect(run.code).toBe(1);
  expect(run.stderr).toBe(`alsrec: ${message}\n`);
  expect(existsSync(out)).toBe(false);
  expect(readdirSync(join(dir, '..')).filter((n) => n !== 'model')).toEqual([]);
}

describe('import of a folder that is not a Spark ALSModel', () => {
  it('names a metadata file whose class is not ALSModel (the estimator, say)', async () => {
    editMetadata((m) => { m['class'] = 'org.apache.spark.ml.recommendation.ALS'; });
    const message = `${metadataFile}: "class" is "org.apache.spark.ml.recommendation.ALS", not an ALS model (expected "org.apache.spark.ml.recommendation.ALSModel")`;
    await expect(ALS.fromSpark(dir)).rejects.toThrow(message);
    await expectCliRefusal(message);
  });

  it('names a metadata file without a class', async () => {
    editMetadata((m) => { delete m['class']; });
    await expect(ALS.fromSpark(dir)).rejects.toThrow(`${metadataFile}: has no "class"; expected "org.apache.spark.ml.recommendation.ALSModel"`);
  });

  it('names a missing metadata file, and a metadata file that is not JSON', async () => {
    writeFileSync(metadataFile, 'not json\n');
    await expect(ALS.fromSpark(dir)).rejects.toThrow(`${metadataFile}: is not valid JSON`);
    rmSync(metadataFile);
    await expectCliRefusal(`${metadataFile}: is missing: not a saved Spark model (ALSModel.save writes metadata/part-00000)`);
  });

  it('names a missing side', async () => {
    rmSync(join(dir, 'itemFactors'), { recursive: true });
    await expectCliRefusal(`${join(dir, 'itemFactors')}: is missing (ENOENT); a Spark ALSModel has metadata/, userFactors/ and itemFactors/`);
  });

  it('names a part file whose rows have another rank than the metadata (mixed ranks)', async () => {
    const ids = Int32Array.of(500, 501);
    const bytes = encodeFactorPart(ids, new Float32Array(6), 3, 0, 2, { sparkVersion: '3.5.5', createdBy: 'test' });
    const file = join(dir, 'userFactors', 'part-00001-extra-c000.snappy.parquet');
    writeFileSync(file, bytes);
    await expectCliRefusal(`${file}: the row with id 500 has 3 features but the model's rank is 4 (mixed ranks)`);
  });

  it('checks dictionary-encoded part files (the general reader) the same way', async () => {
    const file = join(dir, 'userFactors', 'part-00001-dictionary-c000.snappy.parquet');
    // All-zero features make hyparquet-writer choose a dictionary, which the fast path leaves alone.
    writeFileSync(file, new Uint8Array(parquetWriteBuffer({
      schema: [
        { name: 'spark_schema', num_children: 2 },
        { type: 'INT32', repetition_type: 'REQUIRED', name: 'id' },
        { repetition_type: 'OPTIONAL', name: 'features', num_children: 1, converted_type: 'LIST' },
        { repetition_type: 'REPEATED', name: 'list', num_children: 1 },
        { type: 'FLOAT', repetition_type: 'REQUIRED', name: 'element' },
      ],
      columnData: [{ name: 'id', data: Int32Array.of(600, 601, 602) }, { name: 'features', data: [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0]] }],
    })));
    await expectCliRefusal(`${file}: the row with id 602 has 3 features but the model's rank is 4 (mixed ranks)`);
  });

  it('reads dictionary-encoded part files (the general reader) correctly', async () => {
    const file = join(dir, 'userFactors', 'part-00001-dictionary-c000.snappy.parquet');
    writeFileSync(file, new Uint8Array(parquetWriteBuffer({
      schema: [
        { name: 'spark_schema', num_children: 2 },
        { type: 'INT32', repetition_type: 'REQUIRED', name: 'id' },
        { repetition_type: 'OPTIONAL', name: 'features', num_children: 1, converted_type: 'LIST' },
        { repetition_type: 'REPEATED', name: 'list', num_children: 1 },
        { type: 'FLOAT', repetition_type: 'REQUIRED', name: 'element' },
      ],
      columnData: [{ name: 'id', data: Int32Array.of(601, 600) }, { name: 'features', data: [[0, 0.5, 0, 0], [0.5, 0, 0, 0]] }],
    })));
    const model = await ALS.fromSpark(dir);
    const at = model.state.users.index(600, 'user');
    expect([...model.userFactors.subarray(at * 4, at * 4 + 8)]).toEqual([0.5, 0, 0, 0, 0, 0.5, 0, 0]);
  });

  it('names a part file whose features are doubles, not floats', async () => {
    for (const f of partFiles(join(dir, 'itemFactors'))) rmSync(f);
    const file = join(dir, 'itemFactors', 'part-00000-double-c000.snappy.parquet');
    writeFileSync(file, new Uint8Array(parquetWriteBuffer({
      schema: [
        { name: 'spark_schema', num_children: 2 },
        { type: 'INT32', repetition_type: 'REQUIRED', name: 'id' },
        { repetition_type: 'OPTIONAL', name: 'features', num_children: 1, converted_type: 'LIST' },
        { repetition_type: 'REPEATED', name: 'list', num_children: 1 },
        { type: 'DOUBLE', repetition_type: 'REQUIRED', name: 'element' },
      ],
      columnData: [{ name: 'id', data: Int32Array.of(1) }, { name: 'features', data: [[0.5, 0.25, 0, 1]] }],
    })));
    await expectCliRefusal(`${file}: column "features" holds DOUBLE values, expected float (Spark factors are float32)`);
  });

  it('names both part files that hold the same id', async () => {
    const [first] = partFiles(join(dir, 'userFactors'));
    const second = join(dir, 'userFactors', 'part-00001-copy-c000.snappy.parquet');
    copyFileSync(first!, second);
    await expectCliRefusal(`${second}: id 1 appears in both ${first} and this file`);
  });

  it('names a truncated part file', async () => {
    const [file] = partFiles(join(dir, 'itemFactors'));
    truncateSync(file!, Math.floor(readFileSync(file!).byteLength / 2));
    const run = await runCaptured('import-spark', dir, '--out', join(dir, '..', 'out.alsrec'));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^alsrec: ${file!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: is not a readable Parquet file \\(.*\\); it may be truncated\\n$`));
    expect(existsSync(join(dir, '..', 'out.alsrec'))).toBe(false);
  });

  it('names a part file whose data pages are corrupted behind an intact footer', async () => {
    const [file] = partFiles(join(dir, 'userFactors'));
    const bytes = readFileSync(file!);
    bytes.fill(0xff, 4, 60);
    writeFileSync(file!, bytes);
    await expect(ALS.fromSpark(dir)).rejects.toThrow(`${file}: cannot be read as Parquet`);
  });

  it('refuses a path that is not a folder', async () => {
    await expect(ALS.fromSpark(metadataFile)).rejects.toThrow(`${metadataFile}: is not a folder (expected a Spark ALSModel folder with metadata/, userFactors/ and itemFactors/)`);
    expect(basename(metadataFile)).toBe('part-00000');
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { decodeFeatureColumn, IrregularRowError } from '../../src/spark/decodeFeatureColumn.js';
import { encodeFactorPart } from '../../src/spark/factorParquet.js';
import { SPARK_FIXTURE, hasSparkFixture, partFiles } from './sparkFixture.js';

function load(bytes: Uint8Array) {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return { buffer, metadata: parquetMetadata(buffer) };
}

/** The features of every row by hyparquet's general reader, flattened. */
async function generalRead(buffer: ArrayBuffer): Promise<number[]> {
  return (await parquetReadObjects({ file: buffer, columns: ['features'] })).flatMap((r) => r.features as number[]);
}

describe('decodeFeatureColumn (the fast path of import)', () => {
  it('decodes PLAIN pages written by export exactly as the general reader does', async () => {
    const ids = Int32Array.from({ length: 300 }, (_, j) => j);
    const factors = Float32Array.from({ length: 300 * 5 }, (_, j) => Math.sin(j) * 3);
    const { buffer, metadata } = load(encodeFactorPart(ids, factors, 5, 0, 300, { sparkVersion: '3.5.5', createdBy: 'test' }));
    const values = new Float32Array(300 * 5);
    expect(decodeFeatureColumn(buffer, metadata, 5, values)).toBe(true);
    expect([...values]).toEqual(await generalRead(buffer));
    expect([...values]).toEqual([...factors]);
  });

  it('reports the row of a list with another length', () => {
    const { buffer, metadata } = load(encodeFactorPart(Int32Array.of(1, 2, 3), new Float32Array(9).fill(1), 3, 0, 3, { sparkVersion: '3.5.5', createdBy: 'test' }));
    expect(() => decodeFeatureColumn(buffer, metadata, 4, new Float32Array(12))).toThrow(IrregularRowError);
    try {
      decodeFeatureColumn(buffer, metadata, 4, new Float32Array(12));
    } catch (err) {
      expect(err).toMatchObject({ row: 0, problem: 'length', length: 3 });
    }
  });

  it('leaves dictionary pages to the general reader (returns false)', () => {
    const { buffer, metadata } = load(new Uint8Array(parquetWriteBuffer({
      schema: [
        { name: 'spark_schema', num_children: 2 },
        { type: 'INT32', repetition_type: 'REQUIRED', name: 'id' },
        { repetition_type: 'OPTIONAL', name: 'features', num_children: 1, converted_type: 'LIST' },
        { repetition_type: 'REPEATED', name: 'list', num_children: 1 },
        { type: 'FLOAT', repetition_type: 'REQUIRED', name: 'element' },
      ],
      columnData: [{ name: 'id', data: Int32Array.of(1, 2) }, { name: 'features', data: [[0, 0], [0, 0]] }],
    })));
    expect(decodeFeatureColumn(buffer, metadata, 2, new Float32Array(4))).toBe(false);
  });

  it.skipIf(!hasSparkFixture)("takes the fast path on Spark's own files (data page v1, snappy) and agrees with the general reader", async () => {
    const file = partFiles(join(SPARK_FIXTURE, 'itemFactors'))[0]!;
    const { buffer, metadata } = load(readFileSync(file));
    const values = new Float32Array(Number(metadata.num_rows) * 13);
    expect(decodeFeatureColumn(buffer, metadata, 13, values)).toBe(true);
    expect([...values]).toEqual(await generalRead(buffer));
  });
});

/**
 * Writes a folder Spark's `ALSModel.load` accepts, laid out as `ALSModelWriter` saves one:
 *
 *   metadata/part-00000, metadata/_SUCCESS
 *   userFactors/part-NNNNN-<uuid>-c000.snappy.parquet, userFactors/_SUCCESS
 *   itemFactors/part-NNNNN-<uuid>-c000.snappy.parquet, itemFactors/_SUCCESS
 *
 * Hadoop's `.crc` side files are not written: its local file system verifies a checksum only when
 * a `.crc` file exists. The folder is built under a temporary name beside the destination and
 * renamed into place at the end, so a failure or a crash never leaves a half-written model at
 * the destination.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AlsrecError } from '../errors.js';
import { temporaryPathFor } from '../persistence/atomicWrite.js';
import { formatSparkModelMetadata } from './sparkModelMetadata.js';
import { encodeFactorPart } from './factorParquet.js';

/** Rows per part file: keeps each file near Spark's default 128 MB block at rank 100+. */
const ROWS_PER_PART = 1_000_000;

export interface SparkExportInput {
  readonly rank: number;
  readonly userIds: Int32Array;
  /** Row-major users x rank. */
  readonly userFactors: Float32Array;
  readonly itemIds: Int32Array;
  /** Row-major items x rank. */
  readonly itemFactors: Float32Array;
}

export interface SparkExportOptions {
  /** Replace an existing folder at the destination. Default false: refuse. */
  readonly overwrite?: boolean;
  /** Written in metadata and Parquet key-value metadata. Default 3.5.5. */
  readonly sparkVersion?: string;
  /** The Parquet files' created_by. */
  readonly createdBy?: string;
  /** Called after each part file (for progress). */
  readonly onPart?: (side: 'userFactors' | 'itemFactors', rowsWritten: number, rowsTotal: number) => void;
  /** Test hook: runs when every file is written, just before the rename into place. */
  readonly beforeRename?: () => void | Promise<void>;
}

/**
 * @throws AlsrecError when `out` exists (without `overwrite`) or cannot be written; nothing is
 *   left at `out` on failure.
 * @example await writeSparkModel('spark-model', { rank: 13, userIds, userFactors, itemIds, itemFactors });
 */
export async function writeSparkModel(out: string, input: SparkExportInput, options: SparkExportOptions = {}): Promise<void> {
  const exists = await stat(out).then(() => true, () => false);
  if (exists && !(options.overwrite ?? false)) {
    throw new AlsrecError(`Cannot write ${out}: it already exists (Spark's save refuses too); remove it or pass --overwrite`, 'ERR_ALSREC_WRITE');
  }
  const temporary = temporaryPathFor(out);
  try {
    await mkdir(temporary);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new AlsrecError(`Cannot write ${out}: ${code === 'ENOENT' ? 'its folder does not exist' : `${code} in its folder`}`, 'ERR_ALSREC_WRITE');
  }
  const sparkVersion = options.sparkVersion ?? '3.5.5';
  const createdBy = options.createdBy ?? 'alsrec';
  try {
    await mkdir(join(temporary, 'metadata'));
    await writeDurable(join(temporary, 'metadata', 'part-00000'), Buffer.from(formatSparkModelMetadata({ rank: input.rank, sparkVersion }), 'utf8'));
    await writeDurable(join(temporary, 'metadata', '_SUCCESS'), new Uint8Array(0));
    for (const [side, ids, factors] of [['userFactors', input.userIds, input.userFactors], ['itemFactors', input.itemIds, input.itemFactors]] as const) {
      const folder = join(temporary, side);
      await mkdir(folder);
      const job = randomUUID();
      const parts = Math.max(1, Math.ceil(ids.length / ROWS_PER_PART));
      for (let p = 0; p < parts; p++) {
        const start = p * ROWS_PER_PART;
        const end = Math.min(ids.length, start + ROWS_PER_PART);
        const bytes = encodeFactorPart(ids, factors, input.rank, start, end, { sparkVersion, createdBy });
        await writeDurable(join(folder, `part-${String(p).padStart(5, '0')}-${job}-c000.snappy.parquet`), bytes);
        options.onPart?.(side, end, ids.length);
        // Encoding is synchronous: let timers and I/O run between part files.
        await new Promise((resolve) => setImmediate(resolve));
      }
      await writeDurable(join(folder, '_SUCCESS'), new Uint8Array(0));
    }
    await options.beforeRename?.();
    if (exists) {
      const aside = temporaryPathFor(out);
      await rename(out, aside);
      await rename(temporary, out);
      await rm(aside, { recursive: true, force: true });
    } else {
      await rename(temporary, out);
    }
  } catch (err) {
    await rm(temporary, { recursive: true, force: true }).catch(() => undefined);
    throw err;
  }
  await syncFolder(dirname(out));
}

async function writeDurable(path: string, bytes: Uint8Array): Promise<void> {
  const handle = await open(path, 'wx', 0o644);
  try {
    let written = 0;
    while (written < bytes.byteLength) {
      const { bytesWritten } = await handle.write(bytes, written, bytes.byteLength - written);
      written += bytesWritten;
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r').catch(() => undefined);
  await handle?.sync().catch(() => undefined);
  await handle?.close().catch(() => undefined);
}

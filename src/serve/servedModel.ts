/**
 * One model as the server serves it: the fitted ALS, its fast top-n path, and what identifies it
 * to clients and operators (the SHA-256 of its model file, when it was trained and loaded). A
 * reload builds a new ServedModel and swaps it in whole (see modelHolder.ts); one is never
 * modified.
 */
import { stat } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { ALS } from '../als/model.js';
import { encodeModelFile, savedTrainingOptions } from '../persistence/modelFile.js';
import { MAX_N } from './apiSchemas.js';
import { ServingRecommender } from './servingRecommender.js';
import { ItemViews } from './itemView.js';

export interface ServedModel {
  readonly model: ALS;
  readonly serving: ServingRecommender;
  /** The items as the API shows them, by index, built once each (see itemView.ts). */
  readonly itemViews: ItemViews;
  /** The model file it was loaded from; null for a model given in memory. */
  readonly file: string | null;
  /** Hex SHA-256 of the model's file encoding (the checksum trailer `alsrec train --save` writes). */
  readonly checksum: string;
  /** The `ETag` of every cacheable response computed from this model. */
  readonly etag: string;
  /**
   * When the model was trained: the time its INFO section records (fit, update, or Spark's save
   * time for an import); for a file without INFO (written before it existed), the file's
   * modification time (`train --save` and `update --save` write a temporary file and rename it,
   * so that is when the training run saved it). Null when neither is known.
   */
  readonly trainedAt: Date | null;
  /** Where `trainedAt` comes from: the model's INFO section, the file's modification time, or nowhere. */
  readonly trainedAtSource: 'model' | 'file-mtime' | null;
  readonly loadedAt: Date;
  /** Seconds the load took (reading, validating, preparing the serving buffers). */
  readonly loadSeconds: number;
}

/**
 * Wraps a fitted model already in memory.
 * @example const served = serveModel(await new ALS().fit(data));
 */
export function serveModel(model: ALS, file: string | null = null, fileTime: Date | null = null, startedAt = performance.now()): ServedModel {
  const recorded = model.state.info?.trainedAt; // throws now, not on the first request, when the model is not fitted
  const trainedAt = recorded !== undefined ? new Date(recorded) : fileTime;
  const serving = new ServingRecommender(model, MAX_N);
  const checksum = modelChecksum(model);
  return {
    model,
    serving,
    itemViews: new ItemViews(model),
    file,
    checksum,
    etag: `"${checksum.slice(0, 32)}"`,
    trainedAt,
    trainedAtSource: recorded !== undefined ? 'model' : fileTime !== null ? 'file-mtime' : null,
    loadedAt: new Date(),
    loadSeconds: (performance.now() - startedAt) / 1000,
  };
}

/**
 * Loads and wraps the model saved at `file`.
 * @throws ModelFileError (from ALS.load) naming the file when it is missing or corrupt.
 * @example const served = await loadServedModel('model.alsrec');
 */
export async function loadServedModel(file: string): Promise<ServedModel> {
  const t0 = performance.now();
  const { mtime } = await stat(file).catch(() => ({ mtime: null }));
  const model = await ALS.load(file);
  return serveModel(model, file, mtime, t0);
}

/** The SHA-256 trailer of the model's file encoding, as hex. */
function modelChecksum(model: ALS): string {
  const s = model.state;
  const chunks = encodeModelFile({ ...s, options: savedTrainingOptions(model.options) });
  return Buffer.from(chunks[chunks.length - 1]!).toString('hex');
}

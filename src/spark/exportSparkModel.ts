/**
 * A fitted alsrec model as a Spark `ALSModel` folder (see writeSparkModel.ts for the layout).
 * alsrec ids are 32-bit integers, as Spark's are, so they are written as they are.
 */
import type { ALS } from '../als/model.js';
import type { SparkExportOptions } from './writeSparkModel.js';
import { AlsrecError } from '../errors.js';

/**
 * Writes `model`'s factors to the folder `out` so that `ALSModel.load(out)` reads them in Spark.
 * Re-importing the folder ({@link ALS.fromSpark}) gives bit-identical factors.
 * @throws AlsrecError when `out` exists (without `overwrite`) or cannot be written.
 * @example await exportSparkModel(await ALS.load('model.alsrec'), 'spark-model');
 */
export async function exportSparkModel(model: ALS, out: string, options: SparkExportOptions = {}): Promise<void> {
  const s = model.state;
  // Spark's ALSModel keys its factors by int ids: a string-id side has no Spark form.
  for (const [side, ids] of [['user', s.users], ['item', s.items]] as const) {
    if (ids.kind !== 'int') throw new AlsrecError(`Cannot export to Spark: the model's ${side} ids are strings, and Spark's ALSModel needs integer ids`, 'ERR_ALSREC_UNSUPPORTED');
  }
  // Loaded on first use: the Parquet writer is needed by this path only.
  const { writeSparkModel } = await import('./writeSparkModel.js');
  await writeSparkModel(out, {
    rank: model.options.factors,
    userIds: s.users.ids as Int32Array,
    userFactors: s.userFactors,
    itemIds: s.items.ids as Int32Array,
    itemFactors: s.itemFactors,
  }, options);
}

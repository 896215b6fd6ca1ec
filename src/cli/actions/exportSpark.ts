/**
 * What `alsrec export-spark` does (its options are declared in ../commands/exportSpark.ts): loads
 * the model and writes the Spark folder, with a progress bar over the part files.
 */
import { resolve } from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import { InvalidOptionError } from '../../errors.js';
import { ALS } from '../../als/model.js';
import { exportSparkModel } from '../../spark/exportSparkModel.js';
import { stderrLine } from '../trainFromCli.js';
import { count, seconds } from '../format.js';
import { packageVersion } from '../packageVersion.js';
import type { ExportSparkValues } from '../commands/exportSpark.js';

/**
 * Runs the command with the values commander parsed.
 * @example await runExportSpark({ model: 'model.alsrec', out: 'spark-model', progress: false });
 */
export async function runExportSpark(v: ExportSparkValues): Promise<void> {
  const started = performance.now();
  if (resolve(v.out) === resolve(v.model)) throw new InvalidOptionError('--out', `--out must not be the model file (${v.model})`);
  const model = await ALS.load(v.model);
  const s = model.state;
  const bar = new SingleBar({ stream: process.stderr, format: 'export-spark |{bar}| {value}/{total} rows' }, Presets.shades_classic);
  if (v.progress) bar.start(s.users.size + s.items.size, 0);
  try {
    await exportSparkModel(model, v.out, {
      overwrite: v.overwrite ?? false,
      createdBy: `alsrec version ${packageVersion()} (hyparquet-writer)`,
      onPart: (side, written) => {
        if (v.progress) bar.update(side === 'userFactors' ? written : s.users.size + written);
      },
    });
  } finally {
    if (v.progress) bar.stop();
  }
  stderrLine(`Wrote the Spark ALSModel ${v.out} (rank ${model.options.factors}): ${count(s.users.size)} users, ${count(s.items.size)} items (${seconds((performance.now() - started) / 1000)})`);
}

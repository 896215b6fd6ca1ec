/**
 * `alsrec export-spark --model m.alsrec --out DIR`: an alsrec model as a folder Spark's
 * `ALSModel.load` reads (metadata, snappy Parquet factors with Spark's schema, `_SUCCESS`).
 * The folder appears complete or not at all.
 */
import { resolve } from 'node:path';
import { Command } from 'commander';
import { Presets, SingleBar } from 'cli-progress';
import { InvalidOptionError } from '../../errors.js';
import { ALS } from '../../als/model.js';
import { stderrLine } from '../trainFromCli.js';
import { count, seconds } from '../format.js';
import { packageVersion } from '../packageVersion.js';

interface ExportSparkValues {
  model: string;
  out: string;
  overwrite?: boolean;
  progress: boolean;
}

export function exportSparkCommand(): Command {
  return new Command('export-spark')
    .description("write a model as a Spark MLlib ALSModel folder (load it with ALSModel.load)")
    .requiredOption('--model <file>', 'saved model (alsrec train --save, or import-spark)')
    .requiredOption('--out <dir>', 'folder to create')
    .option('--overwrite', 'replace an existing folder at --out')
    .option('--no-progress', 'no progress bar on stderr')
    .addHelpText('after', [
      '',
      'Example:',
      '  $ alsrec export-spark --model model.alsrec --out spark-model',
      '  then in PySpark: ALSModel.load("spark-model")',
      '',
    ].join('\n'))
    .action(async (v: ExportSparkValues) => {
      const started = performance.now();
      if (resolve(v.out) === resolve(v.model)) throw new InvalidOptionError('--out', `--out must not be the model file (${v.model})`);
      const model = await ALS.load(v.model);
      const { exportSparkModel } = await import('../../spark/exportSparkModel.js');
      const s = model.state;
      const total = s.users.size + s.items.size;
      const bar = new SingleBar({ stream: process.stderr, format: 'export-spark |{bar}| {value}/{total} rows' }, Presets.shades_classic);
      if (v.progress) bar.start(total, 0);
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
    });
}

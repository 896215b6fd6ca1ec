/**
 * `alsrec export-spark --model m.alsrec --out DIR`: an alsrec model as a folder Spark's
 * `ALSModel.load` reads (metadata, snappy Parquet factors with Spark's schema, `_SUCCESS`).
 * The folder appears complete or not at all. The work is in ../actions/exportSpark.ts, loaded
 * only when the command runs.
 */
import { Command } from 'commander';

export interface ExportSparkValues {
  model: string;
  out: string;
  overwrite?: boolean;
  progress: boolean;
}

export function exportSparkCommand(): Command {
  return new Command('export-spark')
    .description('write a model as a Spark MLlib ALSModel folder (load it with ALSModel.load)')
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
    .action(async (v: ExportSparkValues) => (await import('../actions/exportSpark.js')).runExportSpark(v));
}

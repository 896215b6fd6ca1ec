/**
 * `alsrec export-interactions --data DIR --out ratings.parquet`: a dataset's ratings as one
 * snappy Parquet file with the column names Spark's ALS reads by default (user, item, rating),
 * plus timestamp. Written atomically. The work is in ../actions/exportInteractions.ts, loaded
 * only when the command runs.
 */
import { Command } from 'commander';
import { addDataOption } from '../alsCliOptions.js';
import type { DataCliValues } from '../dataOptions.js';

export interface ExportInteractionsValues extends DataCliValues {
  out: string;
}

export function exportInteractionsCommand(): Command {
  const cmd = new Command('export-interactions').description("write a dataset's ratings as Parquet for Spark (columns user, item, rating, timestamp)");
  return addDataOption(cmd)
    .requiredOption('--out <file>', 'Parquet file to write (atomically)')
    .addHelpText('after', [
      '',
      'Example:',
      '  $ alsrec export-interactions --data data/ml-25m --out ratings.parquet',
      '  then in PySpark: ALS(implicitPrefs=True).fit(spark.read.parquet("ratings.parquet"))',
      '',
    ].join('\n'))
    .action(async (v: ExportInteractionsValues) => (await import('../actions/exportInteractions.js')).runExportInteractions(v));
}

/**
 * `alsrec export-interactions --data DIR --out ratings.parquet`: a dataset's ratings as one
 * snappy Parquet file with the column names Spark's ALS reads by default (user, item, rating),
 * plus timestamp. Written atomically.
 */
import { resolve } from 'node:path';
import { Command } from 'commander';
import { addDataOption } from '../alsCliOptions.js';
import { loadDataset, stderrLine } from '../trainFromCli.js';
import { InvalidOptionError } from '../../errors.js';
import { writeFileAtomic } from '../../model/atomicWrite.js';
import { count, seconds } from '../format.js';
import { packageVersion } from '../packageVersion.js';

interface ExportInteractionsValues {
  data?: string;
  out: string;
}

export function exportInteractionsCommand(): Command {
  const cmd = new Command('export-interactions').description('write a dataset\'s ratings as Parquet for Spark (columns user, item, rating, timestamp)');
  return addDataOption(cmd)
    .requiredOption('--out <file>', 'Parquet file to write (atomically)')
    .addHelpText('after', [
      '',
      'Example:',
      '  $ alsrec export-interactions --data data/ml-25m --out ratings.parquet',
      '  then in PySpark: ALS(implicitPrefs=True).fit(spark.read.parquet("ratings.parquet"))',
      '',
    ].join('\n'))
    .action(async (v: ExportInteractionsValues) => {
      const started = performance.now();
      if (!v.out.endsWith('.parquet')) throw new InvalidOptionError('--out', `--out must name a .parquet file but received "${v.out}"`);
      const { dataset } = await loadDataset(v, stderrLine);
      if (resolve(v.out).startsWith(`${resolve(dataset.dir)}/`)) throw new InvalidOptionError('--out', `--out must not be inside the dataset folder ${dataset.dir}`);
      // MovieLens ids are parsed as 32-bit integers on load (a non-integer id is refused there,
      // naming its file and line), which is what Spark's ALS needs.
      const { encodeInteractionsParquet } = await import('../../spark/interactionsParquet.js');
      const bytes = encodeInteractionsParquet(dataset.ratings, `alsrec version ${packageVersion()} (hyparquet-writer)`);
      await writeFileAtomic(v.out, [bytes]);
      stderrLine(`Wrote ${count(dataset.ratings.users.length)} ratings to ${v.out} (${count(bytes.byteLength)} bytes, ${seconds((performance.now() - started) / 1000)})`);
    });
}

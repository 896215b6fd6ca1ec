/**
 * What `alsrec import-spark` does (its options are declared in ../commands/importSpark.ts): reads
 * the Spark model folder and the optional side files, and writes the model file atomically.
 */
import { resolve } from 'node:path';
import { InvalidOptionError } from '../../errors.js';
import { importSparkModel, type FromSparkOptions } from '../../spark/importSparkModel.js';
import { stderrLine } from '../trainFromCli.js';
import { count, seconds } from '../format.js';
import type { ImportSparkValues } from '../commands/importSpark.js';

/**
 * Runs the command with the values commander parsed.
 * @example await runImportSpark('spark-model', { out: 'model.alsrec' });
 */
export async function runImportSpark(dir: string, v: ImportSparkValues): Promise<void> {
  const started = performance.now();
  if (resolve(v.out).startsWith(`${resolve(dir)}/`)) throw new InvalidOptionError('--out', `--out must not be inside the Spark model folder ${dir}`);
  const options: FromSparkOptions = { onWarning: (line) => stderrLine(`warning: ${line}`) };
  if (v.items !== undefined) options.items = v.items;
  if (v.interactions !== undefined) options.interactions = v.interactions;
  const model = await importSparkModel(dir, options);
  await model.save(v.out);
  const s = model.state;
  const summary = {
    model: v.out,
    rank: model.options.factors,
    users: s.users.size,
    items: s.items.size,
    interactions: s.liked.indptr[s.liked.rows]!,
    titles: s.movies.size,
    seconds: (performance.now() - started) / 1000,
  };
  if (v.json ?? false) process.stdout.write(`${JSON.stringify(summary)}\n`);
  stderrLine(`Imported the Spark model ${dir} (rank ${summary.rank}): ${count(summary.users)} users, ${count(summary.items)} items, `
    + `${count(summary.interactions)} interactions, ${count(summary.titles)} titles -> ${v.out} (${seconds(summary.seconds)})`);
}

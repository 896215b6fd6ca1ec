/**
 * `alsrec import-spark DIR --out m.alsrec`: a model saved by Apache Spark MLlib
 * (`ALSModel.save`) as an alsrec model file, optionally with item titles and the interactions
 * Spark trained on. Every command that takes `--model` then works on it.
 */
import { resolve } from 'node:path';
import { Command } from 'commander';
import { InvalidOptionError } from '../../errors.js';
import { stderrLine } from '../trainFromCli.js';
import { count, seconds } from '../format.js';

interface ImportSparkValues {
  out: string;
  items?: string;
  interactions?: string;
  json?: boolean;
}

export function importSparkCommand(): Command {
  return new Command('import-spark')
    .description('convert a Spark MLlib ALSModel folder (ALSModel.save) into an alsrec model file')
    .argument('<dir>', 'the folder Spark saved (metadata/, userFactors/, itemFactors/)')
    .requiredOption('--out <file>', 'model file to write (atomically)')
    .option('--items <file>', 'item titles: CSV with a header, id then title (e.g. MovieLens movies.csv)')
    .option('--interactions <file>', 'the ratings Spark trained on (.parquet from export-interactions, ratings.csv, ratings.dat or u.data): seen items are filtered, history is served')
    .option('--json', 'print a JSON summary on stdout')
    .addHelpText('after', [
      '',
      'Example:',
      '  $ alsrec import-spark spark-model/ --out model.alsrec --items ml-25m/movies.csv --interactions ml-25m/ratings.csv',
      '  $ alsrec recommend --model model.alsrec --user 1',
      '',
    ].join('\n'))
    .action(async (dir: string, v: ImportSparkValues) => {
      const started = performance.now();
      if (resolve(v.out).startsWith(`${resolve(dir)}/`)) throw new InvalidOptionError('--out', `--out must not be inside the Spark model folder ${dir}`);
      const { importSparkModel } = await import('../../spark/importSparkModel.js');
      const options: Parameters<typeof importSparkModel>[1] = { onWarning: (line) => stderrLine(`warning: ${line}`) };
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
    });
}

/**
 * `alsrec import-spark DIR --out m.alsrec`: a model saved by Apache Spark MLlib
 * (`ALSModel.save`) as an alsrec model file, optionally with item titles and the interactions
 * Spark trained on. Every command that takes `--model` then works on it. The work (and the
 * Parquet reader) is in ../actions/importSpark.ts, loaded only when the command runs.
 */
import { Command } from 'commander';

export interface ImportSparkValues {
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
    .action(async (dir: string, v: ImportSparkValues) => (await import('../actions/importSpark.js')).runImportSpark(dir, v));
}

/**
 * `alsrec explain --user 196 --item 50`: why the model scores an item for a user, split over the
 * items they rated (Hu, Koren & Volinsky 2008, section 5), from a saved model (`--model`) or a
 * model trained in-process; `--ratings`/`--ratings-file` explain for a user the model has never
 * seen. The work is in ../actions/explain.ts, loaded only when the command runs.
 */
import { Command } from 'commander';
import { addAlsOptions, type AlsCliValues } from '../alsCliOptions.js';
import { parseId, parseInteger } from '../parseOptionValue.js';

export interface ExplainValues extends AlsCliValues {
  model?: string;
  user?: string;
  ratings?: string;
  ratingsFile?: string;
  item: string;
  n: number;
  json?: boolean;
}

export function explainCommand(): Command {
  const cmd = new Command('explain').description('show which rated items make up a user\'s score for one item');
  addAlsOptions(cmd)
    .option('--model <file>', 'answer from a saved model (alsrec train --save) instead of training')
    .option('--user <id>', 'user id', (v) => parseId('--user', v))
    .option('--ratings <pairs>', 'a new user\'s ratings as itemId:rating pairs, e.g. "50:5,172:4"')
    .option('--ratings-file <path>', 'a new user\'s ratings, one itemId,rating line each')
    .requiredOption('--item <id>', 'the item to explain', (v) => parseId('--item', v))
    .option('-n, --n <n>', 'how many contributing items to list', (v) => parseInteger('-n', v, 1, 1000), 5)
    .option('--json', 'print JSON on stdout')
    .addHelpText('after', [
      '',
      'Examples:',
      '  $ alsrec explain --model model.alsrec --user 196 --item 50',
      '  $ alsrec explain --model model.alsrec --ratings "50:5,172:4" --item 181 -n 2 --json',
      '',
    ].join('\n'))
    .action(async (v: ExplainValues) => (await import('../actions/explain.js')).runExplain(v));
  return cmd;
}

/**
 * `alsrec recommend --user 196`: a user's top-N movies, from a saved model (`--model`) or a model
 * trained in-process; `--ratings`/`--ratings-file` answer for a user the model has never seen.
 * The work is in ../actions/recommend.ts, loaded only when the command runs.
 */
import { Command } from 'commander';
import { addAlsOptions, type AlsCliValues } from '../alsCliOptions.js';
import { parseId, parseInteger } from '../parseOptionValue.js';

export interface RecommendValues extends AlsCliValues {
  model?: string;
  user?: string;
  ratings?: string;
  ratingsFile?: string;
  n: number;
  json?: boolean;
}

export function recommendCommand(): Command {
  const cmd = new Command('recommend').description("print a user's top-N recommended movies");
  addAlsOptions(cmd)
    .option('--model <file>', 'answer from a saved model (alsrec train --save) instead of training')
    .option('--user <id>', 'user id', (v) => parseId('--user', v))
    .option('--ratings <pairs>', 'a new user\'s ratings as movieId:rating pairs, e.g. "50:5,172:4"')
    .option('--ratings-file <path>', 'a new user\'s ratings, one movieId,rating line each')
    .option('-n, --n <n>', 'how many', (v) => parseInteger('-n', v, 1, 1000), 10)
    .option('--json', 'print JSON on stdout')
    .addHelpText('after', [
      '',
      'Examples:',
      '  $ alsrec recommend --user 196 -n 10',
      '  $ alsrec recommend --model model.alsrec --user 196',
      '  $ alsrec recommend --model model.alsrec --ratings "50:5,172:4,181:5"',
      '',
    ].join('\n'))
    .action(async (v: RecommendValues) => (await import('../actions/recommend.js')).runRecommend(v));
  return cmd;
}


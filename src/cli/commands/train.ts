/**
 * `alsrec train`: the main job. Loads MovieLens, builds the matrix, trains ALS, prints user
 * 196's top recommendations and the temporal split summary; `--save` writes the model file.
 * The work is in ../actions/train.ts, loaded only when the command runs.
 */
import { Command } from 'commander';
import { addAlsOptions, type AlsCliValues } from '../alsCliOptions.js';
import { parseId, parseInteger } from '../parseOptionValue.js';

export interface TrainValues extends AlsCliValues {
  user: string;
  top: number;
  json?: boolean;
  loss?: boolean;
  save?: string;
}

export function trainCommand(): Command {
  const cmd = new Command('train').description('train ALS on MovieLens and print top-N recommendations for a user');
  addAlsOptions(cmd)
    .option('--user <id>', 'user to recommend for', (v) => parseId('--user', v), '196')
    .option('--top <n>', 'how many recommendations', (v) => parseInteger('--top', v, 1, 1000), 5)
    .option('--loss', 'compute the training loss after every iteration')
    .option('--json', 'print one JSON document on stdout (progress stays on stderr)')
    .option('--save <file>', 'save the trained model (e.g. model.alsrec) for recommend/similar --model')
    .addHelpText('after', '\nExamples:\n  $ alsrec train --data data/ml-100k --factors 50 --iterations 20 --user 196 --top 5\n  $ alsrec train --data data/ml-100k --save model.alsrec\n')
    .action(async (values: TrainValues) => (await import('../actions/train.js')).runTrain(values));
  return cmd;
}


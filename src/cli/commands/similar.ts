/**
 * `alsrec similar --item "Star Wars (1977)"`: items whose factors are closest by cosine, from a
 * saved model (`--model`) or a model trained in-process. `--movie`/`--movie-id` are kept as
 * aliases of `--item`/`--item-id`. The work is in ../actions/similar.ts, loaded only when the
 * command runs.
 */
import { Command } from 'commander';
import { addAlsOptions, type AlsCliValues } from '../alsCliOptions.js';
import { parseId, parseInteger } from '../parseOptionValue.js';

export interface SimilarValues extends AlsCliValues {
  model?: string;
  item?: string;
  itemId?: string;
  /** Alias of `item` (MovieLens wording). */
  movie?: string;
  /** Alias of `itemId`. */
  movieId?: string;
  n: number;
  json?: boolean;
}

export function similarCommand(): Command {
  const cmd = new Command('similar').description('print the items most similar to one item');
  addAlsOptions(cmd)
    .option('--model <file>', 'answer from a saved model (alsrec train --save) instead of training')
    .option('--item <title>', 'item title, case-insensitive (several matches are listed, not guessed)')
    .option('--item-id <id>', 'item id, as in the data (e.g. 50 or 85123A)', (v) => parseId('--item-id', v))
    .option('--movie <title>', 'alias of --item')
    .option('--movie-id <id>', 'alias of --item-id', (v) => parseId('--movie-id', v))
    .option('-n, --n <n>', 'how many', (v) => parseInteger('-n', v, 1, 1000), 10)
    .option('--json', 'print JSON on stdout')
    .addHelpText('after', '\nExamples:\n  $ alsrec similar --item "Star Wars (1977)" -n 5\n  $ alsrec similar --model model.alsrec --item-id 50\n')
    .action(async (v: SimilarValues) => (await import('../actions/similar.js')).runSimilar(v));
  return cmd;
}

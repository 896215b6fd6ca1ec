/**
 * `alsrec similar --movie "Star Wars (1977)"`: movies whose factors are closest by cosine, from a
 * saved model (`--model`) or a model trained in-process. The work is in ../actions/similar.ts,
 * loaded only when the command runs.
 */
import { Command } from 'commander';
import { addAlsOptions, type AlsCliValues } from '../alsCliOptions.js';
import { parseId, parseInteger } from '../parseOptionValue.js';

export interface SimilarValues extends AlsCliValues {
  model?: string;
  movie?: string;
  movieId?: number;
  n: number;
  json?: boolean;
}

export function similarCommand(): Command {
  const cmd = new Command('similar').description('print the movies most similar to one movie');
  addAlsOptions(cmd)
    .option('--model <file>', 'answer from a saved model (alsrec train --save) instead of training')
    .option('--movie <title>', 'movie title, case-insensitive (several matches are listed, not guessed)')
    .option('--movie-id <id>', 'movie id', (v) => parseId('--movie-id', v))
    .option('-n, --n <n>', 'how many', (v) => parseInteger('-n', v, 1, 1000), 10)
    .option('--json', 'print JSON on stdout')
    .addHelpText('after', '\nExamples:\n  $ alsrec similar --movie "Star Wars (1977)" -n 5\n  $ alsrec similar --model model.alsrec --movie-id 50\n')
    .action(async (v: SimilarValues) => (await import('../actions/similar.js')).runSimilar(v));
  return cmd;
}

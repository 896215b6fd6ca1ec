/**
 * `alsrec similar --movie "Star Wars (1977)"`: movies whose factors are closest by cosine, from a
 * saved model (`--model`) or a model trained in-process.
 */
import { Command } from 'commander';
import { addAlsOptions, type AlsCliValues } from '../alsCliOptions.js';
import { stderrLine, trainFromCli } from '../trainFromCli.js';
import { parseId, parseInteger } from '../parseOptionValue.js';
import { resolveMovieTitle } from '../../als/resolveMovieTitle.js';
import { AlsrecError, InvalidOptionError } from '../../errors.js';
import { loadModelFromCli, printRanked } from './recommend.js';

interface SimilarValues extends AlsCliValues {
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
    .action(async (v: SimilarValues) => {
      if ((v.movie === undefined) === (v.movieId === undefined)) {
        throw new InvalidOptionError('--movie', 'Give exactly one of --movie <title> or --movie-id <id>');
      }
      const model = v.model !== undefined ? await loadModelFromCli({ ...v, model: v.model }) : (await trainFromCli(v, stderrLine)).model;
      if (v.movie !== undefined && model.state.movies.size === 0) {
        throw new AlsrecError(`${v.model ?? 'The model'} holds no movie titles; use --movie-id <id>`, 'ERR_ALSREC_UNKNOWN_ID');
      }
      const id = v.movieId ?? resolveMovieTitle(model.state.movies, v.movie!).id;
      printRanked(model, model.similarItems(id, v.n), `Movies similar to ${model.title(id)}:`, v.json ?? false);
    });
  return cmd;
}

/** What `alsrec similar` does (its options are declared in ../commands/similar.ts). */
import { resolveMovieTitle } from '../../als/resolveMovieTitle.js';
import { AlsrecError, InvalidOptionError } from '../../errors.js';
import { stderrLine, trainFromCli } from '../trainFromCli.js';
import { loadModelFromCli, printRanked } from './recommend.js';
import type { SimilarValues } from '../commands/similar.js';

/**
 * Runs the command with the values commander parsed.
 * @example await runSimilar({ movie: 'Star Wars (1977)', n: 5 });
 */
export async function runSimilar(v: SimilarValues): Promise<void> {
  if ((v.movie === undefined) === (v.movieId === undefined)) {
    throw new InvalidOptionError('--movie', 'Give exactly one of --movie <title> or --movie-id <id>');
  }
  const model = v.model !== undefined ? await loadModelFromCli({ ...v, model: v.model }) : (await trainFromCli(v, stderrLine)).model;
  if (v.movie !== undefined && model.state.movies.size === 0) {
    throw new AlsrecError(`${v.model ?? 'The model'} holds no movie titles; use --movie-id <id>`, 'ERR_ALSREC_UNKNOWN_ID');
  }
  const id = v.movieId ?? resolveMovieTitle(model.state.movies, v.movie!).id;
  printRanked(model, model.similarItems(id, v.n), `Movies similar to ${model.title(id)}:`, v.json ?? false);
}

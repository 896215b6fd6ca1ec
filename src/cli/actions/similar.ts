/** What `alsrec similar` does (its options are declared in ../commands/similar.ts). */
import { resolveItemTitle } from '../../als/resolveItemTitle.js';
import { AlsrecError, InvalidOptionError } from '../../errors.js';
import { stderrLine, trainFromCli } from '../trainFromCli.js';
import { loadModelFromCli, printRanked } from './recommend.js';
import type { SimilarValues } from '../commands/similar.js';

/**
 * Runs the command with the values commander parsed.
 * @example await runSimilar({ item: 'Star Wars (1977)', n: 5 });
 */
export async function runSimilar(v: SimilarValues): Promise<void> {
  const title = v.item ?? v.movie;
  const itemId = v.itemId ?? v.movieId;
  const given = [v.item, v.movie, v.itemId, v.movieId].filter((x) => x !== undefined).length;
  if (given !== 1) {
    throw new InvalidOptionError('--item', 'Give exactly one of --item <title> or --item-id <id>');
  }
  const model = v.model !== undefined ? await loadModelFromCli({ ...v, model: v.model }) : (await trainFromCli(v, stderrLine)).model;
  if (title !== undefined && model.state.movies.size === 0) {
    throw new AlsrecError(`${v.model ?? 'The model'} holds no item titles; use --item-id <id>`, 'ERR_ALSREC_UNKNOWN_ID');
  }
  const id = itemId ?? resolveItemTitle(model.state.movies, title!).id;
  printRanked(model, model.similarItems(id, v.n), `Items similar to ${model.title(id)}:`, v.json ?? false);
}

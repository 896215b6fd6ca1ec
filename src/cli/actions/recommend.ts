/**
 * What `alsrec recommend` does (its options are declared in ../commands/recommend.ts), and the
 * saved-model loading and ranked-list printing the other model commands share.
 */
import { ALS, type Recommendation } from '../../als/model.js';
import { buildInteractions } from '../../matrix/interactions.js';
import { withExternalIds } from '../../data/withExternalIds.js';
import { assertModelMatchesData } from '../../als/checkModelMatchesData.js';
import { parseRatingPairs, readRatingPairsFile, type SourcedRating } from '../parseRatings.js';
import { AlsrecError, InvalidOptionError, UnknownIdError } from '../../errors.js';
import { confidenceProblem } from '../../als/confidenceMatrix.js';
import type { AlsCliValues } from '../alsCliOptions.js';
import { loadDataset, stderrLine, trainFromCli } from '../trainFromCli.js';
import type { RecommendValues } from '../commands/recommend.js';

/**
 * Runs `alsrec recommend` with the values commander parsed.
 * @example await runRecommend({ user: 196, n: 10, model: 'model.alsrec' });
 */
export async function runRecommend(v: RecommendValues): Promise<void> {
  const given = [v.user, v.ratings, v.ratingsFile].filter((x) => x !== undefined).length;
  if (given !== 1) {
    throw new InvalidOptionError('--user', 'Give exactly one of --user <id>, --ratings <pairs> or --ratings-file <path>');
  }
  // Parse the ratings before the (slower) model load or training, so a typo fails fast.
  const ratings = v.ratings !== undefined ? parseRatingPairs('--ratings', v.ratings)
    : v.ratingsFile !== undefined ? await readRatingPairsFile(v.ratingsFile) : null;
  const model = v.model !== undefined ? await loadModelFromCli({ ...v, model: v.model }) : (await trainFromCli(v, stderrLine)).model;
  if (ratings === null) {
    printRanked(model, model.recommend(v.user!, { n: v.n }), `Top-${v.n} recommendations for user_id ${v.user}:`, v.json ?? false);
  } else {
    printRanked(model, recommendForRatings(model, ratings, v.n), `Top-${v.n} recommendations for a new user with ${ratings.length} ratings:`, v.json ?? false);
  }
}

/** Options that shape training and so mean nothing for a saved model. */
const TRAINING_FLAGS: ReadonlyArray<[keyof AlsCliValues, string]> = [
  ['factors', '--factors'], ['regularization', '--regularization'], ['alpha', '--alpha'], ['iterations', '--iterations'],
  ['solver', '--solver'], ['cgSteps', '--cg-steps'], ['seed', '--seed'],
];

/**
 * Loads `--model`, refusing training options (the model keeps its own), and with `--data`
 * checks that the model was trained on that dataset.
 */
export async function loadModelFromCli(v: AlsCliValues & { model: string }): Promise<ALS> {
  for (const [key, flag] of TRAINING_FLAGS) {
    if (v[key] !== undefined) {
      throw new InvalidOptionError(flag, `${flag} has no effect with --model: a saved model keeps the options it was trained with`);
    }
  }
  const runtime: { backend?: AlsCliValues['backend']; threads?: number } = {};
  if (v.backend !== undefined) runtime.backend = v.backend;
  if (v.threads !== undefined) runtime.threads = v.threads;
  const model = await ALS.load(v.model, runtime);
  if (v.data !== undefined) {
    const { dataset } = await loadDataset(v, stderrLine);
    assertModelMatchesData(model, withExternalIds(buildInteractions(dataset), dataset), v.model, dataset.dir);
  }
  return model;
}

/** Recommendations for a new user; an unknown item is reported with the token that named it. */
function recommendForRatings(model: ALS, ratings: readonly SourcedRating[], n: number): Recommendation[] {
  assertNewUserRatings(model, ratings);
  return model.recommendForNewUser(ratings, { n });
}

/** Checks a new user's ratings against the model, naming the token at fault (`--ratings` or file:line). */
export function assertNewUserRatings(model: ALS, ratings: readonly SourcedRating[]): void {
  for (const r of ratings) {
    const items = model.state.items;
    if (!items.has(r.itemId)) throw new UnknownIdError('item', items.canonical(r.itemId) ?? r.itemId, r.source);
    const problem = confidenceProblem(model.options.alpha, r.rating, model.options.convention);
    if (problem !== null) throw new AlsrecError(`${r.source}: ${problem}; rescale the ratings`, 'ERR_ALSREC_DATA');
  }
}

/** Prints a ranked list of items, as a numbered table or JSON (ids exactly as the model holds them). */
export function printRanked(model: ALS, list: readonly Recommendation[], heading: string, json: boolean): void {
  const rows = list.map((r) => ({ itemId: r.itemId, title: model.title(r.itemId), score: r.score }));
  if (json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  const lines = [heading, ...rows.map((r, j) => `  ${String(j + 1).padStart(2)}. ${r.title} [${r.itemId}]  ${r.score.toFixed(4)}`)];
  process.stdout.write(`${lines.join('\n')}\n`);
}

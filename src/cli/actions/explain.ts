/** What `alsrec explain` does (its options are declared in ../commands/explain.ts). */
import type { ALS } from '../../als/model.js';
import type { Explanation } from '../../als/scoreExplanation.js';
import { InvalidOptionError } from '../../errors.js';
import { parseRatingPairs, readRatingPairsFile } from '../parseRatings.js';
import { stderrLine, trainFromCli } from '../trainFromCli.js';
import { assertNewUserRatings, loadModelFromCli } from './recommend.js';
import type { ExplainValues } from '../commands/explain.js';

/**
 * Runs `alsrec explain` with the values commander parsed.
 * @example await runExplain({ model: 'model.alsrec', user: 196, item: 50, n: 5 });
 */
export async function runExplain(v: ExplainValues): Promise<void> {
  const given = [v.user, v.ratings, v.ratingsFile].filter((x) => x !== undefined).length;
  if (given !== 1) {
    throw new InvalidOptionError('--user', 'Give exactly one of --user <id>, --ratings <pairs> or --ratings-file <path>');
  }
  // Parse the ratings before the (slower) model load or training, so a typo fails fast.
  const ratings = v.ratings !== undefined ? parseRatingPairs('--ratings', v.ratings)
    : v.ratingsFile !== undefined ? await readRatingPairsFile(v.ratingsFile) : null;
  const model = v.model !== undefined ? await loadModelFromCli({ ...v, model: v.model }) : (await trainFromCli(v, stderrLine)).model;
  let why: Explanation;
  if (ratings === null) {
    why = model.explain(v.user!, v.item, { n: v.n });
  } else {
    assertNewUserRatings(model, ratings);
    why = model.explainForNewUser(ratings, v.item, { n: v.n });
  }
  const who = ratings === null ? `user ${v.user}` : `a new user with ${ratings.length} ratings`;
  printExplanation(model, why, who, v.json ?? false);
}

/** The explanation as text, or JSON without the user weights (they are for reuse in-process). */
function printExplanation(model: ALS, why: Explanation, who: string, json: boolean): void {
  const contributions = why.contributions.map((c) => ({ itemId: c.itemId, title: model.title(c.itemId), contribution: c.contribution, share: c.share }));
  if (json) {
    const { itemId, score, modelScore, contributingItems } = why;
    process.stdout.write(`${JSON.stringify({ itemId, title: model.title(itemId), score, modelScore, contributingItems, contributions }, null, 2)}\n`);
    return;
  }
  const shown = contributions.reduce((a, c) => a + c.contribution, 0);
  const rest = why.contributingItems - contributions.length;
  const lines = [
    `Why ${who} gets ${model.title(why.itemId)} [${why.itemId}]: score ${why.score.toFixed(4)} (the model ranks by ${why.modelScore.toFixed(4)})`,
    'Because they rated:',
    ...contributions.map((c, j) => `  ${String(j + 1).padStart(2)}. ${c.title} [${c.itemId}]  ${signed(c.contribution)}  ${(100 * c.share).toFixed(1)}%`),
  ];
  if (rest > 0) lines.push(`  and ${rest} more rated item${rest === 1 ? '' : 's'}: ${signed(why.score - shown)}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

function signed(x: number): string {
  return `${x >= 0 ? '+' : ''}${x.toFixed(4)}`;
}

/**
 * `alsrec recommend --user 196`: a user's top-N movies.
 */
import { Command } from 'commander';
import { addAlsOptions, type AlsCliValues } from '../alsCliOptions.js';
import { stderrLine, trainFromCli } from '../trainFromCli.js';
import { parseInteger } from '../parseOptionValue.js';
import type { ALS, Recommendation } from '../../als/model.js';

interface RecommendValues extends AlsCliValues {
  user: number;
  n: number;
  json?: boolean;
}

export function recommendCommand(): Command {
  const cmd = new Command('recommend').description("print a user's top-N recommended movies");
  addAlsOptions(cmd)
    .requiredOption('--user <id>', 'user id', (v) => parseInteger('--user', v))
    .option('-n, --n <n>', 'how many', (v) => parseInteger('-n', v, 1, 1000), 10)
    .option('--json', 'print JSON on stdout')
    .addHelpText('after', '\nExample:\n  $ alsrec recommend --user 196 -n 10\n')
    .action(async (v: RecommendValues) => {
      const { model } = await trainFromCli(v, stderrLine);
      printRanked(model, model.recommend(v.user, { n: v.n }), `Top-${v.n} recommendations for user_id ${v.user}:`, v.json ?? false);
    });
  return cmd;
}

/** Prints a ranked list of movies, as a numbered table or JSON. */
export function printRanked(model: ALS, list: readonly Recommendation[], heading: string, json: boolean): void {
  const rows = list.map((r) => ({ movieId: r.itemId, title: model.title(r.itemId), score: r.score }));
  if (json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  const lines = [heading, ...rows.map((r, j) => `  ${String(j + 1).padStart(2)}. ${r.title} [${r.movieId}]  ${r.score.toFixed(4)}`)];
  process.stdout.write(`${lines.join('\n')}\n`);
}

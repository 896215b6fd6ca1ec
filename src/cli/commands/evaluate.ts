/**
 * `alsrec evaluate`: trains ALS on a split's train side for each seed and prints every metric
 * for ALS and the baselines (most popular, random) as mean ± std over the seeds. With `--model`,
 * evaluates a saved (or Spark-imported) model instead, against held-out interactions: `--data`
 * names a file of them, or a dataset folder whose split's test side is used. The work is in
 * ../actions/evaluate.ts and ../actions/evaluateModel.ts, loaded only when the command runs.
 */
import { Command, Option } from 'commander';
import { SPLIT_NAMES, type SplitName } from '../../eval/splitNames.js';
import { addAlsOptions, type AlsCliValues } from '../alsCliOptions.js';
import { parseInteger, parseList, parseNumber } from '../parseOptionValue.js';
import { BASELINE_NAMES, DEFAULT_EASE_MAX_BYTES, DEFAULT_EASE_REGULARIZATION, DEFAULT_KNN_NEIGHBOURS, KNN_WEIGHTINGS, parseBaselines, type BaselineName, type KnnWeighting } from '../../eval/baselineSettings.js';

export interface SplitCliValues {
  split: SplitName;
  leaveK?: number;
  pick?: 'latest' | 'random';
  fraction?: number;
  cutoff?: number;
}

export interface EvaluateValues extends AlsCliValues, SplitCliValues {
  k: number[];
  seeds: number[];
  baselines: BaselineName[];
  knnWeighting: KnnWeighting;
  knnNeighbours: number;
  easeRegularization: number;
  easeMaxBytes: number;
  report?: boolean;
  folds: number;
  json?: boolean;
  model?: string;
}

/** The split options `evaluate` and `tune` share. */
export function addSplitOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--split <name>', 'how to hold out test ratings').choices([...SPLIT_NAMES]).default('leave-last-out'))
    .option('--leave-k <k>', 'leave-k-out: ratings held out per user (default 5)', (v) => parseInteger('--leave-k', v, 1))
    .addOption(new Option('--pick <how>', "leave-k-out: which ratings (default 'latest')").choices(['latest', 'random']))
    .option('--fraction <f>', 'random: share of ratings held out (default 0.2)', (v) => parseNumber('--fraction', v))
    .option('--cutoff <timestamp>', 'time-cutoff: ratings at or after it go to test (default: the 80th percentile timestamp)', (v) => parseNumber('--cutoff', v));
}

export function evaluateCommand(): Command {
  const cmd = new Command('evaluate').description('train ALS on a train/test split and compare its ranking metrics with baselines (most popular, random, ItemKNN, EASE); --report builds the quality table');
  addSplitOptions(addAlsOptions(cmd))
    .option('--k <list>', 'cut-offs K', (v) => parseList('--k', v, (o, s) => parseInteger(o, s, 1, 10_000)), [5, 10, 20])
    .option('--seeds <list>', 'seeds (ALS initial factors, random baseline, seeded splits)', (v) => parseList('--seeds', v, (o, s) => parseInteger(o, s, 0, 2 ** 32 - 1)), [0, 1, 2, 3, 4])
    .addOption(new Option('--baselines <list>', `baselines beside ALS, any of ${BASELINE_NAMES.join(', ')}`).argParser((v) => parseBaselines(v)).default(['popular', 'random'], 'popular,random'))
    .addOption(new Option('--knn-weighting <w>', 'ItemKNN weighting (as implicit)').choices([...KNN_WEIGHTINGS]).default('cosine'))
    .option('--knn-neighbours <k>', 'ItemKNN neighbours per item', (v) => parseInteger('--knn-neighbours', v, 1), DEFAULT_KNN_NEIGHBOURS)
    .option('--ease-regularization <lambda>', 'EASE lambda', (v) => parseNumber('--ease-regularization', v), DEFAULT_EASE_REGULARIZATION)
    .option('--ease-max-bytes <n>', 'refuse EASE when its dense item-item matrices (20 bytes x items²) exceed this', (v) => parseInteger('--ease-max-bytes', v, 1), DEFAULT_EASE_MAX_BYTES)
    .option('--report', 'the quality table: ALS (seed configuration), ALS tuned, ItemKNN tuned, EASE tuned, most popular, random (K = 10), tuned on --folds validation folds of train; Markdown (or --json)')
    .option('--folds <n>', '--report: temporal validation folds of each search', (v) => parseInteger('--folds', v, 1, 20), 3)
    .option('--json', 'print one JSON document on stdout (progress stays on stderr)')
    .option('--model <file>', 'evaluate this saved model (train --save, import-spark) instead of training: --data is then a file of held-out interactions (.parquet, ratings.csv, ratings.dat, u.data; split too if --split is given) or a dataset folder whose --split test side (first of --seeds) is held out')
    .addHelpText('after', '\nExamples:\n  $ alsrec evaluate --split leave-last-out --k 5,10,20 --seeds 0,1,2,3,4\n  $ alsrec evaluate --baselines popular,random,itemknn,ease --knn-weighting bm25 --knn-neighbours 100\n  $ alsrec evaluate --report --seeds 0,1,2,3,4 --backend native\n  $ alsrec evaluate --model spark.alsrec --data test.parquet --k 10\n')
    .action(async (v: EvaluateValues, command: Command) => {
      if (v.model !== undefined) return (await import('../actions/evaluateModel.js')).runEvaluateModel({ ...v, model: v.model }, (name) => command.getOptionValueSource(name) === 'cli');
      return (await import('../actions/evaluate.js')).runEvaluate(v);
    });
  return cmd;
}

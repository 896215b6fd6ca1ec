/**
 * `alsrec evaluate`: trains ALS on a split's train side for each seed and prints every metric
 * for ALS and the baselines (most popular, random) as mean ± std over the seeds. The work is in
 * ../actions/evaluate.ts, loaded only when the command runs.
 */
import { Command, Option } from 'commander';
import { SPLIT_NAMES, type SplitName } from '../../eval/splitNames.js';
import { addAlsOptions, type AlsCliValues } from '../alsCliOptions.js';
import { parseInteger, parseList, parseNumber } from '../parseOptionValue.js';

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
  json?: boolean;
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
  const cmd = new Command('evaluate').description('train ALS on a train/test split and compare its ranking metrics with most-popular and random baselines');
  addSplitOptions(addAlsOptions(cmd))
    .option('--k <list>', 'cut-offs K', (v) => parseList('--k', v, (o, s) => parseInteger(o, s, 1, 10_000)), [5, 10, 20])
    .option('--seeds <list>', 'seeds (ALS initial factors, random baseline, seeded splits)', (v) => parseList('--seeds', v, (o, s) => parseInteger(o, s, 0, 2 ** 32 - 1)), [0, 1, 2, 3, 4])
    .option('--json', 'print one JSON document on stdout (progress stays on stderr)')
    .addHelpText('after', '\nExample:\n  $ alsrec evaluate --split leave-last-out --k 5,10,20 --seeds 0,1,2,3,4\n')
    .action(async (v: EvaluateValues) => (await import('../actions/evaluate.js')).runEvaluate(v));
  return cmd;
}

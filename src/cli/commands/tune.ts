/**
 * `alsrec tune`: searches ALS hyperparameters on a validation split carved from train only, then
 * reports the chosen configuration's test metrics beside the seed configuration's. The work is in
 * ../actions/tune.ts, loaded only when the command runs.
 */
import { Command, Option } from 'commander';
import { DEFAULT_FOLDS, DEFAULT_SEARCH_SPACE, DEFAULT_TRIALS, SEARCHED, type SearchSpace } from '../../eval/searchSpace.js';
import { parseBaselines, type BaselineName } from '../../eval/baselineSettings.js';
import type { SearchStrategy } from '../../eval/searchOnValidation.js';
import { addAlsOptions, type AlsCliValues } from '../alsCliOptions.js';
import { parseInteger, parseList, parseNumber } from '../parseOptionValue.js';
import { finiteAtLeast } from '../../als/options.js';
import { addSplitOptions, type SplitCliValues } from './evaluate.js';

export interface TuneValues extends AlsCliValues, SplitCliValues {
  strategy: SearchStrategy;
  trials: number;
  searchSeed: number;
  metric: string;
  seeds: number[];
  validationSeeds: number[];
  minStandardErrors: number;
  folds: number;
  agreement: number;
  baselines: BaselineName[];
  factorsList?: number[];
  regularizationList?: number[];
  alphaList?: number[];
  recencyHalfLifeList?: number[];
  iterationsList?: number[];
  json?: boolean;
}

const intList = (name: string) => (v: string) => parseList(name, v, (o, s) => parseInteger(o, s, 0));
const numList = (name: string) => (v: string) => parseList(name, v, parseNumber);
const seedList = (name: string) => (v: string) => parseList(name, v, (o, s) => parseInteger(o, s, 0, 2 ** 32 - 1));

export function tuneCommand(): Command {
  const cmd = new Command('tune').description('search ALS hyperparameters on a validation split of train, then compare the choice with the seed configuration on test');
  addSplitOptions(addAlsOptions(cmd))
    .addOption(new Option('--strategy <how>', 'coordinate (one setting at a time from the seed configuration, repeated while it helps), random (--trials points) or grid (every point)').choices(['coordinate', 'random', 'grid']).default('coordinate'))
    .option('--trials <n>', 'coordinate and random search: at most this many configurations besides the seed configuration', (v) => parseInteger('--trials', v, 1), DEFAULT_TRIALS)
    .option('--search-seed <n>', 'seed of the random search', (v) => parseInteger('--search-seed', v, 0), 0)
    .option('--metric <name>', 'validation metric to maximise, e.g. ndcg@10, hitRate@10, map@10, auc', 'ndcg@10')
    .option('--seeds <list>', 'seeds of the final test comparison', seedList('--seeds'), [0, 1, 2, 3, 4])
    .option('--min-standard-errors <z>', 'choose the configuration whose paired per-user gain over the seed configuration, minus z standard errors, is largest; keep the seed configuration unless that bound is above 0 (0: take the leader)', (v) => finiteAtLeast('--min-standard-errors', parseNumber('--min-standard-errors', v), 0), 2)
    .option('--folds <n>', "temporal validation folds: fold f holds out each user's f-th latest train rating, training on what came before", (v) => parseInteger('--folds', v, 1, 20), DEFAULT_FOLDS)
    .option('--validation-seeds <list>', 'seeds each trial is fitted with on validation (the trial scores their mean)', seedList('--validation-seeds'), [0])
    .option('--agreement <n>', 'validation-to-test agreement: also test the n best configurations by validation and report their rank correlation (0: off)', (v) => parseInteger('--agreement', v, 0, 50), 5)
    .addOption(new Option('--baselines <list>', 'also tune and test these baselines on the same folds: itemknn, ease (tuned), popular, random').argParser((v) => parseBaselines(v)).default([], 'none'))
    .option('--factors-list <list>', `factors searched (default ${DEFAULT_SEARCH_SPACE.factors.join(',')})`, intList('--factors-list'))
    .option('--regularization-list <list>', `regularization searched (default ${DEFAULT_SEARCH_SPACE.regularization.join(',')})`, numList('--regularization-list'))
    .option('--alpha-list <list>', `alpha searched (default ${DEFAULT_SEARCH_SPACE.alpha.join(',')})`, numList('--alpha-list'))
    .option('--recency-half-life-list <list>', `recency half-lives searched, in days, 0 = off (default ${DEFAULT_SEARCH_SPACE.recencyHalfLife.join(',')})`, numList('--recency-half-life-list'))
    .option('--iterations-list <list>', `iterations searched (default ${DEFAULT_SEARCH_SPACE.iterations.join(',')})`, intList('--iterations-list'))
    .option('--json', 'print one JSON document on stdout (progress stays on stderr)')
    .addHelpText(
      'after',
      '\nThe seed configuration (factors 50, regularization 0.01, alpha 1, no recency weighting, iterations 20) is\n' +
        'always tried first; --factors/--regularization/--alpha/--recency-half-life/--iterations are ignored (the\n' +
        'search sets them); --solver, --cg-steps, --backend and --threads apply to every fit. Validation is the\n' +
        '--folds temporal folds of the train split (1 = its leave-last-out).\n' +
        `The default space is log-spaced (${spaceSize(DEFAULT_SEARCH_SPACE)} points), so --strategy random is a log-uniform search;\n` +
        `a default run makes at most ${DEFAULT_TRIALS} trials x ${DEFAULT_FOLDS} folds fits (ML-100K: 94 x 3, native backend).\n` +
        'The choice maximises the lower confidence bound gain - z x SE of the paired per-user gain over the seed\n' +
        'configuration (z = --min-standard-errors), pooled over the folds; the seed configuration is kept (and\n' +
        'reported as chosen) unless that bound is above 0.\n' +
        '\nExamples:\n  $ alsrec tune --trials 40 --metric ndcg@10 --seeds 0,1,2,3,4\n  $ alsrec tune --backend native --baselines popular,random,itemknn,ease\n',
    )
    .action(async (v: TuneValues) => (await import('../actions/tune.js')).runTune(v));
  return cmd;
}

/** The number of points in the grid of `space`. */
function spaceSize(space: SearchSpace): number {
  return SEARCHED.reduce((size, name) => size * space[name].length, 1);
}

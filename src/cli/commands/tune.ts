/**
 * `alsrec tune`: searches ALS hyperparameters on a validation split carved from train only, then
 * reports the chosen configuration's test metrics beside the seed configuration's.
 */
import { Command, Option } from 'commander';
import { Presets, SingleBar } from 'cli-progress';
import { buildInteractions } from '../../matrix/interactions.js';
import { ALS } from '../../als/model.js';
import { evaluate, type Evaluation } from '../../eval/evaluate.js';
import { summarizeSeeds, parseMetricKey } from '../../eval/summarizeSeeds.js';
import { splitByName } from '../../eval/splitByName.js';
import {
  DEFAULT_SEARCH_SPACE,
  DEFAULT_TRIALS,
  SEARCHED,
  SEED_CONFIG,
  searchOnValidation,
  spaceValues,
  plannedTrials,
  type AlsConfig,
  type SearchSpace,
  type SearchStrategy,
  type Trial,
} from '../../eval/searchOnValidation.js';
import { addAlsOptions, alsOptionsFrom, type AlsCliValues } from '../alsCliOptions.js';
import { loadDataset, stderrLine } from '../trainFromCli.js';
import { parseInteger, parseList, parseNumber } from '../parseOptionValue.js';
import { finiteAtLeast, oneOf, type Convention } from '../../als/options.js';
import { describeObjective } from '../../als/objective.js';
import { count, seconds } from '../format.js';
import { addSplitOptions, meanStdCells, metricsTable, sides, splitParameters, type SplitCliValues } from './evaluate.js';

interface TuneValues extends AlsCliValues, SplitCliValues {
  strategy: SearchStrategy;
  trials: number;
  searchSeed: number;
  metric: string;
  seeds: number[];
  validationSeeds: number[];
  minStandardErrors: number;
  factorsList?: number[];
  regularizationList?: number[];
  alphaList?: number[];
  recencyHalfLifeList?: number[];
  iterationsList?: number[];
  conventionList?: Convention[];
  regularizationExponentList?: number[];
  unobservedWeightList?: number[];
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
    .option('--metric <name>', 'validation metric to maximise, e.g. ndcg@10, hitRate@10, map@10, auc', (v) => parseMetricKey(v, '--metric').key, 'ndcg@10')
    .option('--seeds <list>', 'seeds of the final test comparison', seedList('--seeds'), [0, 1, 2, 3, 4])
    .option('--min-standard-errors <z>', 'keep the seed configuration unless the validation leader beats it by more than z paired standard errors (0: take the leader)', (v) => finiteAtLeast('--min-standard-errors', parseNumber('--min-standard-errors', v), 0), 2)
    .option('--validation-seeds <list>', 'seeds each trial is fitted with on validation (the trial scores their mean)', seedList('--validation-seeds'), [0, 1])
    .option('--factors-list <list>', `factors searched (default ${DEFAULT_SEARCH_SPACE.factors.join(',')})`, intList('--factors-list'))
    .option('--regularization-list <list>', `regularization searched (default ${DEFAULT_SEARCH_SPACE.regularization.join(',')})`, numList('--regularization-list'))
    .option('--alpha-list <list>', `alpha searched (default ${DEFAULT_SEARCH_SPACE.alpha.join(',')})`, numList('--alpha-list'))
    .option('--recency-half-life-list <list>', `recency half-lives searched, in days, 0 = off (default ${DEFAULT_SEARCH_SPACE.recencyHalfLife.join(',')})`, numList('--recency-half-life-list'))
    .option('--iterations-list <list>', `iterations searched (default ${DEFAULT_SEARCH_SPACE.iterations.join(',')})`, intList('--iterations-list'))
    .option('--convention-list <list>', `objective conventions searched, implicit and/or spark (default ${DEFAULT_SEARCH_SPACE.convention!.join(',')})`, (v) => parseList('--convention-list', v, (o, s) => oneOf(o, s, ['implicit', 'spark'] as const)))
    .option('--regularization-exponent-list <list>', `frequency-scaled regularization exponents (nu) searched, 0 = off (default ${DEFAULT_SEARCH_SPACE.regularizationExponent!.join(',')})`, numList('--regularization-exponent-list'))
    .option('--unobserved-weight-list <list>', `unobserved weights (a0) searched (default ${DEFAULT_SEARCH_SPACE.unobservedWeight!.join(',')})`, numList('--unobserved-weight-list'))
    .option('--json', 'print one JSON document on stdout (progress stays on stderr)')
    .addHelpText(
      'after',
      '\nThe seed configuration (factors 50, regularization 0.01, alpha 1, no recency weighting, iterations 20,\n' +
        'convention implicit, no frequency scaling, unobserved weight 1) is always tried first;\n' +
        '--factors/--regularization/--alpha/--recency-half-life/--iterations/--convention/--regularization-exponent/\n' +
        '--unobserved-weight are ignored (the\n' +
        'search sets them); --solver, --cg-steps, --backend and --threads apply to every fit. Validation is the\n' +
        'temporal leave-last-out of the train split.\n' +
        `The default space is log-spaced (${spaceSize(DEFAULT_SEARCH_SPACE)} points), so --strategy random is a log-uniform search;\n` +
        `a default run (coordinate search, at most ${DEFAULT_TRIALS} trials x 2 validation seeds, native backend) takes under a minute on ML-100K.\n` +
        'The validation leader is chosen only when its paired per-user gain over the seed configuration exceeds\n' +
        '--min-standard-errors standard errors; otherwise the seed configuration is kept (and reported as chosen).\n' +
        '\nExample:\n  $ alsrec tune --trials 40 --metric ndcg@10 --seeds 0,1,2,3,4\n',
    )
    .action(async (v: TuneValues) => runTune(v));
  return cmd;
}

async function runTune(v: TuneValues): Promise<void> {
  const started = performance.now();
  const { dataset } = await loadDataset(v, stderrLine);
  const all = buildInteractions(dataset);
  const split = splitByName(dataset.ratings, v.split, v.seeds[0] ?? 0, splitParameters(v));
  const space: SearchSpace = {
    factors: v.factorsList ?? DEFAULT_SEARCH_SPACE.factors,
    regularization: v.regularizationList ?? DEFAULT_SEARCH_SPACE.regularization,
    alpha: v.alphaList ?? DEFAULT_SEARCH_SPACE.alpha,
    recencyHalfLife: v.recencyHalfLifeList ?? DEFAULT_SEARCH_SPACE.recencyHalfLife,
    iterations: v.iterationsList ?? DEFAULT_SEARCH_SPACE.iterations,
    convention: v.conventionList ?? DEFAULT_SEARCH_SPACE.convention!,
    regularizationExponent: v.regularizationExponentList ?? DEFAULT_SEARCH_SPACE.regularizationExponent!,
    unobservedWeight: v.unobservedWeightList ?? DEFAULT_SEARCH_SPACE.unobservedWeight!,
  };
  const { factors: _f, regularization: _r, alpha: _a, recencyHalfLife: _h, iterations: _i, seed: _s, convention: _c, regularizationExponent: _n, unobservedWeight: _w, ...base } = alsOptionsFrom(v);
  const search = { strategy: v.strategy, trials: v.trials, seed: v.searchSeed, space };
  const trialCount = plannedTrials(search);
  const steps = trialCount + 2 * v.seeds.length;
  const progress = new Progress(steps);
  stderrLine(`${split.description}: ${count(split.train.users.length)} train, ${count(split.test.users.length)} test ratings`);
  stderrLine(`searching ${v.strategy === 'coordinate' ? 'at most ' : ''}${trialCount} configurations (${v.strategy}) on a temporal leave-last-out of train, by ${v.metric}; then ${2 * v.seeds.length} fits for the test comparison`);

  // The search sees the train ratings only.
  const result = await searchOnValidation(split.train, {
    ...search,
    metric: v.metric,
    validationSeeds: v.validationSeeds,
    minStandardErrors: v.minStandardErrors,
    base,
    onTrial: (t, j, n) => progress.step(`trial ${j}/${n} ${describe(t.config)}: ${v.metric} ${t.value.toFixed(4)}`),
  });

  progress.setTotal(result.trials.length + 2 * v.seeds.length);

  // Only now is test used: each configuration fitted on all of train, per seed.
  const { train, test } = sides(split, all);
  const { k } = parseMetricKey(v.metric);
  const ks = [...new Set([10, ...(k === null ? [] : [k])])];
  const runs: Record<'seed' | 'chosen', Evaluation[]> = { seed: [], chosen: [] };
  const chosenIsSeed = result.best.config === SEED_CONFIG;
  for (const seed of v.seeds) {
    for (const [name, config] of [['seed', SEED_CONFIG], ['chosen', result.best.config]] as const) {
      if (name === 'chosen' && chosenIsSeed) {
        runs.chosen.push(runs.seed[runs.seed.length - 1]!); // the same fit: nothing to redo
      } else {
        const model = await new ALS({ ...base, ...config, seed }).fit(train);
        runs[name].push(await evaluate(model, train, test, { k: ks }));
      }
      progress.step(`test seed ${seed}, ${name} configuration`);
    }
  }
  progress.stop();
  const seedMetrics = summarizeSeeds(runs.seed);
  const chosenMetrics = summarizeSeeds(runs.chosen);
  const gains = Object.fromEntries(Object.keys(seedMetrics).map((key) => [key, chosenMetrics[key]!.mean / seedMetrics[key]!.mean - 1]));
  const total = (performance.now() - started) / 1000;

  if (v.json) {
    const doc = {
      split: { name: v.split, description: split.description, train: split.train.users.length, test: split.test.users.length },
      validation: { ...result.validation, metric: result.metric, seeds: v.validationSeeds },
      search: { ...search, minStandardErrors: result.minStandardErrors, trials: result.trials, leader: result.leader.config },
      chosen: result.best.config,
      seedConfiguration: SEED_CONFIG,
      seeds: v.seeds,
      test: { seedConfiguration: seedMetrics, chosen: chosenMetrics, relativeGain: gains },
      seconds: total,
    };
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    return;
  }
  const out: string[] = [];
  out.push(`Split: ${split.description}; validation (leave-last-out of train): ${count(result.validation.train)} / ${count(result.validation.test)} ratings`);
  out.push(`Search: ${result.trials.length} configurations by validation ${result.metric} (mean over validation seeds ${v.validationSeeds.join(',')})`);
  const ranked = [...result.trials].sort((a, b) => b.value - a.value);
  for (const t of ranked.slice(0, 5)) out.push(`  ${t.value.toFixed(4)}  ${describe(t.config)}${versusSeed(t)}`);
  const seedTrial = result.trials[0]!;
  out.push(`  seed configuration on validation: ${seedTrial.value.toFixed(4)}`);
  if (result.best !== result.leader) {
    out.push(`  the leader's gain is within ${result.minStandardErrors} standard errors of the seed configuration's: keeping the seed configuration`);
  }
  out.push(`Chosen: ${describe(result.best.config)}`);
  out.push(`Test (seeds ${v.seeds.join(',')}; mean ± sample std):`);
  out.push(`  seed configuration: ${describe(SEED_CONFIG)}`);
  out.push(...metricsTable([
    { name: 'seed configuration', cells: meanStdCells(seedMetrics) },
    { name: 'chosen', cells: meanStdCells(chosenMetrics) },
    { name: 'change', cells: Object.fromEntries(Object.entries(gains).map(([key, g]) => [key, Number.isFinite(g) ? `${g >= 0 ? '+' : ''}${(g * 100).toFixed(1)}%` : '-'])) },
  ]));
  out.push(`Total time: ${seconds(total)}`);
  process.stdout.write(`${out.join('\n')}\n`);
}

/** ` (+0.0043 ± 0.0045 vs seed)`: the paired per-user gain on validation and its standard error. */
function versusSeed(t: Trial): string {
  if (t.vsSeed === null) return '';
  const { gain, standardError } = t.vsSeed;
  return `  (${gain >= 0 ? '+' : ''}${gain.toFixed(4)} ± ${standardError.toFixed(4)} vs seed)`;
}

function spaceSize(space: SearchSpace): number {
  return SEARCHED.reduce((size, name) => size * spaceValues(space, name).length, 1);
}

function describe(c: AlsConfig): string {
  const recency = c.recencyHalfLife > 0 ? `recency half-life ${c.recencyHalfLife} days` : 'no recency weighting';
  return `factors ${c.factors}, regularization ${c.regularization}, alpha ${c.alpha}, ${recency}, iterations ${c.iterations}${describeObjective(c)}`;
}

/** A cli-progress bar with an ETA on a terminal; one line per step otherwise (logs, tests). */
class Progress {
  private readonly bar: SingleBar | null;
  private done = 0;
  private readonly started = performance.now();

  constructor(private total: number) {
    this.bar = process.stderr.isTTY
      ? new SingleBar({ stream: process.stderr, format: 'tune [{bar}] {value}/{total} | ETA {eta_formatted} | {step}', hideCursor: true }, Presets.shades_classic)
      : null;
    this.bar?.start(total, 0, { step: '' });
  }

  step(text: string): void {
    this.done++;
    if (this.bar !== null) {
      this.bar.increment(1, { step: text });
      return;
    }
    const elapsed = (performance.now() - this.started) / 1000;
    const eta = (elapsed / this.done) * (this.total - this.done);
    stderrLine(`[${this.done}/${this.total}, ETA ${seconds(eta)}] ${text}`);
  }

  /** A new total, when the work turned out smaller than planned (a coordinate search that converged). */
  setTotal(total: number): void {
    this.total = total;
    this.bar?.setTotal(total);
  }

  stop(): void {
    this.bar?.stop();
  }
}

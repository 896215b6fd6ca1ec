/** What `alsrec tune` does (its options are declared in ../commands/tune.ts). */
import { Presets, SingleBar } from 'cli-progress';
import { buildInteractions } from '../../matrix/interactions.js';
import { ALS } from '../../als/model.js';
import { evaluate, type Evaluation } from '../../eval/evaluate.js';
import { summarizeSeeds, parseMetricKey } from '../../eval/summarizeSeeds.js';
import { splitByName } from '../../eval/splitByName.js';
import {
  DEFAULT_SEARCH_SPACE,
  SEED_CONFIG,
  searchOnValidation,
  plannedTrials,
  type AlsConfig,
  type SearchSpace,
  type Trial,
} from '../../eval/searchOnValidation.js';
import { alsOptionsFrom } from '../alsCliOptions.js';
import { loadDataset, stderrLine } from '../trainFromCli.js';
import { count, seconds } from '../format.js';
import { meanStdCells, metricsTable, sides, splitParameters } from './evaluate.js';
import type { TuneValues } from '../commands/tune.js';

/**
 * Runs `alsrec tune` with the values commander parsed.
 * @example await runTune(values); // values as tuneCommand() parses them, e.g. from `alsrec tune --trials 40`
 */
export async function runTune(options: TuneValues): Promise<void> {
  // --metric is checked here rather than by its option parser, which would load the metrics code
  // for every command line (even `alsrec --version`); it is still the first thing checked.
  const v = { ...options, metric: parseMetricKey(options.metric, '--metric').key };
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
  };
  const { factors: _f, regularization: _r, alpha: _a, recencyHalfLife: _h, iterations: _i, seed: _s, ...base } = alsOptionsFrom(v);
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


function describe(c: AlsConfig): string {
  const recency = c.recencyHalfLife > 0 ? `recency half-life ${c.recencyHalfLife} days` : 'no recency weighting';
  return `factors ${c.factors}, regularization ${c.regularization}, alpha ${c.alpha}, ${recency}, iterations ${c.iterations}`;
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

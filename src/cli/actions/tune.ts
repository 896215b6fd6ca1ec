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
import { validationFolds } from '../../eval/foldSearch.js';
import { describeBaselineConfig, fitBaseline, tuneBaseline, type EaseConfig, type KnnConfig } from '../../eval/baselines.js';
import { validationTestAgreement, type Agreement } from '../../eval/validationTestAgreement.js';
import type { MeanStd } from '../../eval/summarizeSeeds.js';
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
  const extraTests = Math.max(0, v.agreement - 2) * v.seeds.length;
  const steps = trialCount + 2 * v.seeds.length + extraTests;
  const progress = new Progress(steps);
  stderrLine(`${split.description}: ${count(split.train.users.length)} train, ${count(split.test.users.length)} test ratings`);
  stderrLine(`searching ${v.strategy === 'coordinate' ? 'at most ' : ''}${trialCount} configurations (${v.strategy}) on ${v.folds} temporal validation fold(s) of train, by ${v.metric}; then ${2 * v.seeds.length} fits for the test comparison`);

  // The search sees the train ratings only.
  const result = await searchOnValidation(split.train, {
    ...search,
    metric: v.metric,
    validationSeeds: v.validationSeeds,
    folds: v.folds,
    minStandardErrors: v.minStandardErrors,
    base,
    onTrial: (t, j, n) => progress.step(`trial ${j}/${n} ${describe(t.config)}: ${v.metric} ${t.value.toFixed(4)}`),
  });

  progress.setTotal(result.trials.length + 2 * v.seeds.length + extraTests);

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
  // Validation-to-test agreement: the best few configurations by validation, on test too.
  const { key: metricKey } = parseMetricKey(v.metric);
  const agreement: Agreement<AlsConfig> | null =
    v.agreement >= 2
      ? await validationTestAgreement(result.trials, v.agreement, metricKey, { seedConfig: SEED_CONFIG, chosen: result.best.config, onTest: { seed: runs.seed, chosen: runs.chosen } }, async (config) => {
          const evals: Evaluation[] = [];
          for (const seed of v.seeds) {
            evals.push(await evaluate(await new ALS({ ...base, ...config, seed }).fit(train), train, test, { k: ks, auc: metricKey === 'auc' }));
            progress.step(`agreement: test seed ${seed}, ${describe(config)}`);
          }
          return evals;
        })
      : null;
  progress.stop();
  const baselineRows = await tuneBaselinesOnTest(v, split.train, train, test, ks, metricKey);
  const seedMetrics = summarizeSeeds(runs.seed);
  const chosenMetrics = summarizeSeeds(runs.chosen);
  const gains = Object.fromEntries(Object.keys(seedMetrics).map((key) => [key, chosenMetrics[key]!.mean / seedMetrics[key]!.mean - 1]));
  const total = (performance.now() - started) / 1000;

  if (v.json) {
    const doc = {
      split: { name: v.split, description: split.description, train: split.train.users.length, test: split.test.users.length },
      validation: { ...result.validation, metric: result.metric, seeds: v.validationSeeds },
      search: { ...search, minStandardErrors: result.minStandardErrors, trials: result.trials, leader: result.leader.config },
      agreement,
      baselines: baselineRows,
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
  out.push(`Split: ${split.description}; validation: ${result.validation.folds.length} temporal fold(s) of train, ${result.validation.folds.map((f) => `${count(f.train)} / ${count(f.test)}`).join(', ')} ratings`);
  out.push(`Search: ${result.trials.length} configurations by validation ${result.metric} (mean over folds and validation seeds ${v.validationSeeds.join(',')}; choice by gain - ${result.minStandardErrors} SE)`);
  const ranked = [...result.trials].sort((a, b) => b.value - a.value);
  for (const t of ranked.slice(0, 5)) out.push(`  ${t.value.toFixed(4)}  ${describe(t.config)}${versusSeed(t)}`);
  const seedTrial = result.trials[0]!;
  out.push(`  seed configuration on validation: ${seedTrial.value.toFixed(4)}`);
  if (result.best === result.trials[0] && result.leader !== result.trials[0]) {
    out.push(`  no configuration's gain clears ${result.minStandardErrors} standard errors: keeping the seed configuration`);
  } else if (result.best !== result.leader) {
    out.push(`  chosen by the lower bound, not the leader: ${versusSeed(result.best).trim()}`);
  }
  out.push(`Chosen: ${describe(result.best.config)}`);
  out.push(`Test (seeds ${v.seeds.join(',')}; mean ± sample std):`);
  out.push(`  seed configuration: ${describe(SEED_CONFIG)}`);
  out.push(...metricsTable([
    { name: 'seed configuration', cells: meanStdCells(seedMetrics) },
    { name: 'chosen', cells: meanStdCells(chosenMetrics) },
    { name: 'change', cells: Object.fromEntries(Object.entries(gains).map(([key, g]) => [key, Number.isFinite(g) ? `${g >= 0 ? '+' : ''}${(g * 100).toFixed(1)}%` : '-'])) },
  ]));
  if (agreement !== null) out.push(...agreementLines(agreement, metricKey));
  if (baselineRows.length > 0) {
    out.push('Baselines on test (tuned ones chosen on the same folds):');
    for (const b of baselineRows) out.push(`  ${b.name.padEnd(12)} ${metricKey} ${meanStdCellText(b.test[metricKey])}${b.chosen ? `  (${b.chosen})` : ''}`);
  }
  out.push(`Total time: ${seconds(total)}`);
  process.stdout.write(`${out.join('\n')}\n`);
}

/** ` (+0.0043 ± 0.0045 vs seed, bound −0.0047)`: the paired per-user gain on validation, its standard error and lower bound. */
function versusSeed(t: Trial): string {
  if (t.vsSeed === null) return '';
  const { gain, standardError, lowerBound } = t.vsSeed;
  return `  (${gain >= 0 ? '+' : ''}${gain.toFixed(4)} ± ${standardError.toFixed(4)} vs seed, bound ${lowerBound.toFixed(4)})`;
}

function meanStdCellText(m: { mean: number; std: number } | undefined): string {
  return m === undefined ? '-' : `${m.mean.toFixed(4)} ± ${m.std.toFixed(4)}`;
}

function agreementLines(a: Agreement<AlsConfig>, key: string): string[] {
  const lines = [`Validation vs test (${a.rows.length} configurations; Spearman rank correlation ${Number.isNaN(a.spearman) ? '-' : a.spearman.toFixed(2)}):`];
  for (const r of a.rows) lines.push(`  validation ${r.validation.toFixed(4)}  test ${r.test.toFixed(4)}  ${describe(r.config)}${r.role ? `  [${r.role}]` : ''}`);
  if (a.chosenGain !== null) {
    const g = a.chosenGain;
    lines.push(`  chosen vs seed configuration, ${key}: validation ${g.validation >= 0 ? '+' : ''}${(g.validation * 100).toFixed(1)}%, test ${g.test >= 0 ? '+' : ''}${(g.test * 100).toFixed(1)}%`);
  }
  return lines;
}

interface BaselineRow {
  readonly name: string;
  /** The chosen hyperparameters, for the tuned baselines. */
  readonly chosen: string | null;
  readonly config: KnnConfig | EaseConfig | null;
  readonly test: Record<string, MeanStd>;
}

/** Tunes itemknn/ease on the folds of `trainRatings` (train only), then fits the choice on train and tests it. */
async function tuneBaselinesOnTest(v: TuneValues, trainRatings: Parameters<typeof validationFolds>[0], train: Parameters<typeof fitBaseline>[1], test: Parameters<typeof fitBaseline>[1], ks: number[], key: string): Promise<BaselineRow[]> {
  if (v.baselines.length === 0) return [];
  const { k } = parseMetricKey(key);
  const folds = validationFolds(trainRatings, v.folds);
  const easeBase = { backend: v.backend ?? 'auto', ...(v.threads !== undefined ? { threads: v.threads } : {}) } as const;
  const rows: BaselineRow[] = [];
  for (const name of v.baselines) {
    let config: KnnConfig | EaseConfig | null = null;
    if (name === 'itemknn' || name === 'ease') {
      const r = await tuneBaseline(name, folds, { key, k, z: v.minStandardErrors, budget: v.trials, easeBase, onTrial: (t, j) => stderrLine(`${name} trial ${j}: ${describeBaselineConfig(t.config)}: ${key} ${t.value.toFixed(4)}`) });
      config = r.best.config;
    }
    const evals: Evaluation[] = [];
    const seeds = name === 'random' ? v.seeds : [v.seeds[0] ?? 0]; // the others are deterministic
    for (const seed of seeds) {
      const rec = await fitBaseline(name, train, seed, { ...(config && 'weighting' in config ? { knn: config } : {}), ...(config && !('weighting' in config) ? { ease: config } : {}), easeBase });
      evals.push(await evaluate(rec, train, test, { k: ks }));
    }
    rows.push({ name: evals[0]!.model, chosen: config ? describeBaselineConfig(config) : null, config, test: summarizeSeeds(evals) });
  }
  return rows;
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

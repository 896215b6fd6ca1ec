/**
 * The README's quality table for one dataset and split: ALS with the seed configuration, ALS
 * tuned, ItemKNN tuned, EASE tuned, most popular and random, with HitRate@10, NDCG@10, MAP@10,
 * coverage@10 and fit time as mean ± std over seeds. Every tuned row is chosen on temporal
 * validation folds of the train split only (foldSearch.ts); test is used once per row and seed.
 */
import type { RatingColumns } from '../data/dataset.js';
import type { Interactions } from '../matrix/interactions.js';
import { ALS } from '../als/model.js';
import type { AlsOptions } from '../als/options.js';
import { evaluate, type Evaluation } from './evaluate.js';
import { meanStd, summarizeSeeds, type MeanStd } from './summarizeSeeds.js';
import { SEED_CONFIG, searchOnValidation, type AlsConfig } from './searchOnValidation.js';
import { validationFolds } from './foldSearch.js';
import { fitBaseline, tuneBaseline, describeBaselineConfig, type EaseBase, type EaseConfig, type KnnConfig } from './baselines.js';
import type { Recommender } from './recommender.js';

export interface QualityRow {
  readonly model: string;
  /** The hyperparameters used (chosen on validation for the tuned rows). */
  readonly configuration: string;
  readonly hitRate: MeanStd;
  readonly ndcg: MeanStd;
  readonly map: MeanStd;
  readonly coverage: MeanStd;
  /** Seconds per fit. */
  readonly fitSeconds: MeanStd;
}

export interface QualityReportOptions {
  /** Seeds of the test runs (ALS initialisation, random baseline). */
  readonly seeds: readonly number[];
  /** Validation folds of every search. Default 3. */
  readonly folds?: number;
  /** Metric every search maximises. Default `ndcg@10`. */
  readonly metric?: string;
  /** Trials of each search after the seed configuration (ALS, ItemKNN, EASE). Default 100. */
  readonly trials?: number;
  /** Options every ALS fit shares (backend, threads, solver). */
  readonly base?: AlsOptions;
  readonly easeBase?: EaseBase;
  /** Progress lines. */
  readonly log?: (line: string) => void;
}

/**
 * Builds the rows. `trainRatings` are the split's train ratings (the searches see only them);
 * `train`/`test` the split's interactions over shared id maps.
 *
 * @example const rows = await qualityReport(split.train, train, test, { seeds: [0, 1, 2, 3, 4] });
 */
export async function qualityReport(trainRatings: RatingColumns, train: Interactions, test: Interactions, o: QualityReportOptions): Promise<QualityRow[]> {
  const log = o.log ?? (() => {});
  const metric = o.metric ?? 'ndcg@10';
  const [key, kText] = metric.split('@');
  const k = kText === undefined ? null : Number(kText);
  const folds = o.folds ?? 3;
  const trials = o.trials ?? 100;
  const rows: QualityRow[] = [];
  const measure = async (model: string, configuration: string, seeds: readonly number[], fit: (seed: number) => Promise<Recommender | ALS>): Promise<void> => {
    const evals: Evaluation[] = [];
    const fits: number[] = [];
    for (const seed of seeds) {
      const t0 = performance.now();
      const rec = await fit(seed);
      fits.push((performance.now() - t0) / 1000);
      evals.push(await evaluate(rec, train, test, { k: 10, auc: false }));
    }
    const s = summarizeSeeds(evals);
    rows.push({ model, configuration, hitRate: s['hitRate@10']!, ndcg: s['ndcg@10']!, map: s['map@10']!, coverage: s['coverage@10']!, fitSeconds: meanStd(fits) });
    log(`${model}: NDCG@10 ${s['ndcg@10']!.mean.toFixed(4)}`);
  };
  const fitAls = (config: AlsConfig) => (seed: number) => new ALS({ ...o.base, ...config, seed }).fit(train);

  await measure('ALS (seed configuration)', describeAls(SEED_CONFIG), o.seeds, fitAls(SEED_CONFIG));
  log(`tuning ALS on ${folds} validation folds by ${metric}`);
  const als = await searchOnValidation(trainRatings, { folds, metric, trials, ...(o.base ? { base: o.base } : {}), onTrial: (t, j, n) => log(`  ALS trial ${j}/${n}: ${metric} ${t.value.toFixed(4)}`) });
  await measure('ALS tuned', describeAls(als.best.config), o.seeds, fitAls(als.best.config));
  const validation = validationFolds(trainRatings, folds);
  for (const name of ['itemknn', 'ease'] as const) {
    log(`tuning ${name} on ${folds} validation folds by ${metric}`);
    const r = await tuneBaseline(name, validation, { key: key === 'auc' ? 'auc' : metric, k, z: 2, budget: trials, ...(o.easeBase ? { easeBase: o.easeBase } : {}) });
    const config = r.best.config;
    const fit = () => fitBaseline(name, train, 0, name === 'itemknn' ? { knn: config as KnnConfig } : { ease: config as EaseConfig, ...(o.easeBase ? { easeBase: o.easeBase } : {}) });
    // Deterministic: one fit, but timed over the seeds' count of repetitions for a fair fit time.
    await measure(name === 'itemknn' ? 'ItemKNN tuned' : 'EASE tuned', describeBaselineConfig(config), o.seeds.slice(0, 3), fit);
  }
  await measure('most popular', '', o.seeds.slice(0, 1), (seed) => fitBaseline('popular', train, seed));
  await measure('random', '', o.seeds, (seed) => fitBaseline('random', train, seed));
  return rows;
}

/** The rows as a Markdown table (means ± sample std over seeds). */
export function qualityTableMarkdown(rows: readonly QualityRow[]): string {
  // A deterministic row repeated over seeds has std 0 up to rounding: no ± then.
  const cell = (m: MeanStd, digits = 4) => (m.values.length > 1 && m.std >= 0.5 * 10 ** -digits ? `${m.mean.toFixed(digits)} ± ${m.std.toFixed(digits)}` : m.mean.toFixed(digits));
  const lines = ['| model | HitRate@10 | NDCG@10 | MAP@10 | coverage@10 | fit time (s) | configuration |', '|---|---|---|---|---|---|---|'];
  for (const r of rows) lines.push(`| ${r.model} | ${cell(r.hitRate)} | ${cell(r.ndcg)} | ${cell(r.map)} | ${cell(r.coverage, 3)} | ${r.fitSeconds.mean.toFixed(3)} | ${r.configuration} |`);
  return lines.join('\n');
}

/** Every setting of the configuration, e.g. `factors 64, regularization 10, alpha 1, ...` (recency half-life in days, 0 = off). */
function describeAls(c: AlsConfig): string {
  return Object.entries(c).map(([name, value]) => `${name} ${String(value)}`).join(', ');
}

/**
 * Hyperparameter search for ALS on a validation split carved from the train ratings only.
 *
 * The search function takes the train ratings and nothing else, so the test ratings cannot
 * influence the choice: validation is the temporal leave-last-out of train, and even the id maps
 * are built from train.
 */
import type { RatingColumns } from '../data/dataset.js';
import { ALS } from '../als/model.js';
import { DEFAULT_ALS_OPTIONS, finiteAtLeast, integerIn, oneOf, resolveAlsOptions, type AlsOptions } from '../als/options.js';
import { mulberry32 } from '../als/initialFactors.js';
import { buildInteractions } from '../matrix/interactions.js';
import { invalidOption } from '../errors.js';
import { temporalLeaveLastOut } from './temporalLeaveLastOut.js';
import { evaluate, type Evaluation } from './evaluate.js';
import { metricsByKey, parseMetricKey } from './summarizeSeeds.js';

/** The four searched hyperparameters. */
export interface AlsConfig {
  readonly factors: number;
  readonly regularization: number;
  readonly alpha: number;
  readonly iterations: number;
}

/** The values tried for each hyperparameter. */
export interface SearchSpace {
  readonly factors: readonly number[];
  readonly regularization: readonly number[];
  readonly alpha: readonly number[];
  readonly iterations: readonly number[];
}

/** The configuration everything is compared against: the library defaults. */
export const SEED_CONFIG: AlsConfig = {
  factors: DEFAULT_ALS_OPTIONS.factors,
  regularization: DEFAULT_ALS_OPTIONS.regularization,
  alpha: DEFAULT_ALS_OPTIONS.alpha,
  iterations: DEFAULT_ALS_OPTIONS.iterations,
};

/**
 * Wide, log-spaced value lists: 6 × 10 × 7 × 5 = 2100 points, so random search over them is a
 * discrete log-uniform search. The ranges cover the regions tried on ML-100K's validation split
 * (docs/metrics.md, "Tuning"): regularization up to 300 and alpha up to 40 (Hu et al.'s value), where
 * strong regularization is meant to offset large confidences; few factors and few iterations (early
 * stopping as regularization). Factors stop at 128 to keep a default run within a few minutes.
 */
export const DEFAULT_SEARCH_SPACE: SearchSpace = {
  factors: [8, 16, 32, 64, 96, 128],
  regularization: [0.001, 0.01, 0.1, 0.3, 1, 3, 10, 30, 100, 300],
  alpha: [0.03, 0.1, 0.3, 1, 3, 10, 40],
  iterations: [3, 5, 10, 20, 40],
};

/** Random-search budget of {@link searchOnValidation} and `alsrec tune` (besides the seed configuration). */
export const DEFAULT_TRIALS = 40;

export interface Trial {
  readonly config: AlsConfig;
  /** The metric on validation (mean over the validation seeds). */
  readonly value: number;
  /**
   * Paired comparison with the seed configuration on the validation users: the mean per-user gain
   * of the metric and its standard error (sample std of the per-user differences / sqrt(users)).
   * Null for the seed configuration itself and for a catalogue-level metric (coverage).
   */
  readonly vsSeed: { readonly gain: number; readonly standardError: number } | null;
  readonly seconds: number;
}

export interface SearchOptions {
  /** 'random' (default): `trials` points sampled without replacement; 'grid': every point. */
  strategy?: 'grid' | 'random';
  /** Random-search budget (besides the seed configuration, always tried first). Default {@link DEFAULT_TRIALS}. */
  trials?: number;
  /** Seed of the random sampling. Default 0. */
  seed?: number;
  /** Metric maximised on validation, e.g. `ndcg@10` (default), `hitRate@10`, `auc`. */
  metric?: string;
  space?: SearchSpace;
  /** ALS seeds each trial is fitted with; the metric is their mean. Default [0]. */
  validationSeeds?: readonly number[];
  /**
   * The validation leader replaces the seed configuration only when its paired per-user gain over
   * it exceeds this many standard errors. Default 2; 0 takes the leader whenever it scores higher.
   * A guard against choosing noise: with one held-out rating for each of ML-100K's 943 users, the
   * standard error of NDCG@10 differences is a few thousandths, as large as the gains on offer.
   */
  minStandardErrors?: number;
  /** Options every fit shares (backend, threads, solver, cgSteps). */
  base?: AlsOptions;
  /** Called after each trial (for progress). */
  onTrial?: (trial: Trial, index: number, total: number) => void;
}

export interface SearchResult {
  readonly metric: string;
  /** The chosen trial: {@link leader}, or the seed configuration when the leader's gain is not significant. */
  readonly best: Trial;
  /** The trial with the highest validation metric (the first wins ties). */
  readonly leader: Trial;
  readonly minStandardErrors: number;
  /** Every trial in the order run; the first is {@link SEED_CONFIG}. */
  readonly trials: readonly Trial[];
  /** Ratings in the validation split of train. */
  readonly validation: { readonly train: number; readonly test: number };
}

/**
 * Tries ALS configurations on a temporal leave-last-out of `train` and returns the best by
 * `metric`. Only train ratings are passed in: test data cannot leak into the choice.
 *
 * @example
 * const split = temporalLeaveLastOut(dataset.ratings);
 * const { best } = await searchOnValidation(split.train, { trials: 40, validationSeeds: [0, 1] });
 */
export async function searchOnValidation(train: RatingColumns, options: SearchOptions = {}): Promise<SearchResult> {
  const { key, k } = parseMetricKey(options.metric ?? 'ndcg@10');
  const configs = searchConfigs(options);
  const seeds = options.validationSeeds ?? [0];
  if (seeds.length === 0) throw invalidOption('validationSeeds', 'at least one seed', seeds);
  const minStandardErrors = finiteAtLeast('minStandardErrors', options.minStandardErrors ?? 2, 0);
  const validation = temporalLeaveLastOut(train);
  const maps = buildInteractions(train);
  const fitOn = buildInteractions(validation.train, maps);
  const heldOut = buildInteractions(validation.test, maps);
  const trials: Trial[] = [];
  let seedPerUser: Float64Array | null = null;
  for (const config of configs) {
    const t0 = performance.now();
    let sum = 0;
    let perUser: Float64Array | null = null;
    for (const seed of seeds) {
      const model = await new ALS({ ...options.base, ...config, seed }).fit(fitOn);
      const e = await evaluate(model, fitOn, heldOut, { k: k ?? 10, auc: key === 'auc' });
      sum += metricsByKey(e)[key]!;
      const values = perUserValues(e, key);
      if (values !== null) {
        perUser ??= new Float64Array(values.length);
        for (let u = 0; u < values.length; u++) perUser[u]! += values[u]! / seeds.length;
      }
    }
    const isSeedTrial = trials.length === 0; // searchConfigs puts the seed configuration first
    if (isSeedTrial) seedPerUser = perUser;
    const vsSeed = isSeedTrial || perUser === null || seedPerUser === null ? null : pairedGain(perUser, seedPerUser);
    const trial: Trial = { config, value: sum / seeds.length, vsSeed, seconds: (performance.now() - t0) / 1000 };
    trials.push(trial);
    options.onTrial?.(trial, trials.length, configs.length);
  }
  // The first best wins ties, so the seed configuration leads unless something beats it.
  const leader = trials.reduce((a, b) => (b.value > a.value ? b : a));
  const significant = leader.vsSeed === null || leader.vsSeed.gain > minStandardErrors * leader.vsSeed.standardError;
  const best = significant ? leader : trials[0]!;
  return { metric: key, best, leader, minStandardErrors, trials, validation: { train: validation.train.users.length, test: validation.test.users.length } };
}

/** The per-user values behind `key` (aligned with `perUser.userIds`), or null for coverage. */
function perUserValues(e: Evaluation, key: string): Float64Array | null {
  if (key === 'auc') return e.perUser.auc;
  const [name, k] = key.split('@') as [string, string];
  const atK = e.perUser.atK.find((m) => m.k === Number(k));
  return atK !== undefined && name in atK && name !== 'k' ? (atK[name as keyof typeof atK] as Float64Array) : null;
}

/** Mean of a - b over the users where both are defined, and its standard error. */
function pairedGain(a: Float64Array, b: Float64Array): { gain: number; standardError: number } {
  const d: number[] = [];
  for (let u = 0; u < a.length; u++) if (!Number.isNaN(a[u]!) && !Number.isNaN(b[u]!)) d.push(a[u]! - b[u]!);
  const n = d.length;
  const mean = n > 0 ? d.reduce((s, x) => s + x, 0) / n : NaN;
  const variance = n > 1 ? d.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1) : NaN;
  return { gain: mean, standardError: Math.sqrt(variance / n) };
}

/**
 * The configurations a search tries, in order: {@link SEED_CONFIG} first, then every grid point
 * ('grid') or `trials` distinct points drawn by a seeded shuffle of the grid ('random').
 */
export function searchConfigs(options: Pick<SearchOptions, 'strategy' | 'trials' | 'seed' | 'space'> = {}): AlsConfig[] {
  const strategy = oneOf('strategy', options.strategy ?? 'random', ['grid', 'random'] as const);
  const space = options.space ?? DEFAULT_SEARCH_SPACE;
  for (const name of ['factors', 'regularization', 'alpha', 'iterations'] as const) {
    if (!Array.isArray(space[name]) || space[name].length === 0) throw invalidOption(`space.${name}`, 'a non-empty list of values', space[name]);
    // Each value goes through the ALS validators now, not at trial 12.
    for (const v of space[name]) resolveAlsOptions({ [name]: v } as AlsOptions);
  }
  const grid: AlsConfig[] = [];
  for (const factors of space.factors)
    for (const regularization of space.regularization)
      for (const alpha of space.alpha)
        for (const iterations of space.iterations) grid.push({ factors, regularization, alpha, iterations });
  const isSeed = (c: AlsConfig) => c.factors === SEED_CONFIG.factors && c.regularization === SEED_CONFIG.regularization && c.alpha === SEED_CONFIG.alpha && c.iterations === SEED_CONFIG.iterations;
  let points = grid.filter((c) => !isSeed(c));
  if (strategy === 'random') {
    const trials = integerIn('trials', options.trials ?? DEFAULT_TRIALS, 1, 100_000);
    const next = mulberry32(integerIn('seed', options.seed ?? 0, 0, 2 ** 32 - 1));
    for (let j = points.length - 1; j > 0; j--) {
      const swap = Math.floor(next() * (j + 1));
      [points[j], points[swap]] = [points[swap]!, points[j]!];
    }
    points = points.slice(0, trials);
  }
  return [SEED_CONFIG, ...points];
}

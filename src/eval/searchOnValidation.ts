/**
 * Hyperparameter search for ALS on a validation split carved from the train ratings only.
 *
 * The search function takes the train ratings and nothing else, so the test ratings cannot
 * influence the choice: validation is the temporal leave-last-out of train, and even the id maps
 * are built from train.
 */
import type { RatingColumns } from '../data/dataset.js';
import { ALS } from '../als/model.js';
import { DEFAULT_ALS_OPTIONS, integerIn, oneOf, resolveAlsOptions, type AlsOptions } from '../als/options.js';
import { mulberry32 } from '../als/initialFactors.js';
import { buildInteractions } from '../matrix/interactions.js';
import { invalidOption } from '../errors.js';
import { temporalLeaveLastOut } from './temporalLeaveLastOut.js';
import { evaluate } from './evaluate.js';
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

/** 4 × 5 × 5 × 3 = 300 points; random search samples a few of them. */
export const DEFAULT_SEARCH_SPACE: SearchSpace = {
  factors: [16, 32, 64, 128],
  regularization: [0.01, 0.1, 1, 10, 50],
  alpha: [0.5, 1, 2, 5, 10],
  iterations: [10, 20, 30],
};

export interface Trial {
  readonly config: AlsConfig;
  /** The metric on validation (mean over the validation seeds). */
  readonly value: number;
  readonly seconds: number;
}

export interface SearchOptions {
  /** 'random' (default): `trials` points sampled without replacement; 'grid': every point. */
  strategy?: 'grid' | 'random';
  /** Random-search budget (besides the seed configuration, always tried first). Default 16. */
  trials?: number;
  /** Seed of the random sampling. Default 0. */
  seed?: number;
  /** Metric maximised on validation, e.g. `ndcg@10` (default), `hitRate@10`, `auc`. */
  metric?: string;
  space?: SearchSpace;
  /** ALS seeds each trial is fitted with; the metric is their mean. Default [0]. */
  validationSeeds?: readonly number[];
  /** Options every fit shares (backend, threads, solver, cgSteps). */
  base?: AlsOptions;
  /** Called after each trial (for progress). */
  onTrial?: (trial: Trial, index: number, total: number) => void;
}

export interface SearchResult {
  readonly metric: string;
  readonly best: Trial;
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
 * const { best } = await searchOnValidation(split.train, { trials: 16 });
 */
export async function searchOnValidation(train: RatingColumns, options: SearchOptions = {}): Promise<SearchResult> {
  const { key, k } = parseMetricKey(options.metric ?? 'ndcg@10');
  const configs = searchConfigs(options);
  const seeds = options.validationSeeds ?? [0];
  if (seeds.length === 0) throw invalidOption('validationSeeds', 'at least one seed', seeds);
  const validation = temporalLeaveLastOut(train);
  const maps = buildInteractions(train);
  const fitOn = buildInteractions(validation.train, maps);
  const heldOut = buildInteractions(validation.test, maps);
  const trials: Trial[] = [];
  for (const config of configs) {
    const t0 = performance.now();
    let sum = 0;
    for (const seed of seeds) {
      const model = await new ALS({ ...options.base, ...config, seed }).fit(fitOn);
      const e = await evaluate(model, fitOn, heldOut, { k: k ?? 10, auc: key === 'auc' });
      sum += metricsByKey(e)[key]!;
    }
    const trial = { config, value: sum / seeds.length, seconds: (performance.now() - t0) / 1000 };
    trials.push(trial);
    options.onTrial?.(trial, trials.length, configs.length);
  }
  // The first best wins ties, so the seed configuration is kept unless something beats it.
  const best = trials.reduce((a, b) => (b.value > a.value ? b : a));
  return { metric: key, best, trials, validation: { train: validation.train.users.length, test: validation.test.users.length } };
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
    const trials = integerIn('trials', options.trials ?? 16, 1, 100_000);
    const next = mulberry32(integerIn('seed', options.seed ?? 0, 0, 2 ** 32 - 1));
    for (let j = points.length - 1; j > 0; j--) {
      const swap = Math.floor(next() * (j + 1));
      [points[j], points[swap]] = [points[swap]!, points[j]!];
    }
    points = points.slice(0, trials);
  }
  return [SEED_CONFIG, ...points];
}

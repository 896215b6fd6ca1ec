/**
 * Hyperparameter search for ALS on validation folds carved from the train ratings only.
 *
 * The search function takes the train ratings and nothing else, so the test ratings cannot
 * influence the choice: validation is a series of temporal folds of train (temporalFolds.ts),
 * and even the id maps are built from train. The engine (folds, paired gains, lower confidence
 * bound, coordinate search) is foldSearch.ts, shared with the baselines' tuning.
 */
import type { RatingColumns } from '../data/dataset.js';
import { ALS } from '../als/model.js';
import { DEFAULT_ALS_OPTIONS, finiteAtLeast, integerIn, oneOf, resolveAlsOptions, type AlsOptions } from '../als/options.js';
import { mulberry32 } from '../als/initialFactors.js';
import { invalidOption } from '../errors.js';
import { parseMetricKey } from './summarizeSeeds.js';
import { foldSearch, validationFolds, type FoldTrial } from './foldSearch.js';
import { DEFAULT_FOLDS, DEFAULT_SEARCH_SPACE, DEFAULT_TRIALS, SEARCHED, type AlsConfig, type SearchSpace } from './searchSpace.js';

export { DEFAULT_SEARCH_SPACE, DEFAULT_TRIALS, DEFAULT_FOLDS, SEARCHED, type AlsConfig, type SearchSpace } from './searchSpace.js';

/** The configuration everything is compared against: the library defaults. */
export const SEED_CONFIG: AlsConfig = {
  factors: DEFAULT_ALS_OPTIONS.factors,
  regularization: DEFAULT_ALS_OPTIONS.regularization,
  alpha: DEFAULT_ALS_OPTIONS.alpha,
  recencyHalfLife: DEFAULT_ALS_OPTIONS.recencyHalfLife,
  iterations: DEFAULT_ALS_OPTIONS.iterations,
};

/** One configuration's validation record (see {@link FoldTrial}). */
export type Trial = FoldTrial<AlsConfig>;

export type SearchStrategy = 'coordinate' | 'grid' | 'random';

export interface SearchOptions {
  /**
   * 'coordinate' (default): from the seed configuration, each hyperparameter in turn is tried at
   * every value of its list with the others held at the best so far, and the best value is kept;
   * passes repeat until one changes nothing or `trials` runs out. 'random': `trials` points
   * sampled without replacement. 'grid': every point.
   */
  strategy?: SearchStrategy;
  /** Budget of 'coordinate' and 'random' (besides the seed configuration, always tried first). Default {@link DEFAULT_TRIALS}. */
  trials?: number;
  /** Seed of the random sampling. Default 0. */
  seed?: number;
  /** Metric maximised on validation, e.g. `ndcg@10` (default), `hitRate@10`, `auc`. */
  metric?: string;
  space?: SearchSpace;
  /** ALS seeds each trial is fitted with; the metric is their mean. Default [0]. */
  validationSeeds?: readonly number[];
  /**
   * Temporal validation folds (default {@link DEFAULT_FOLDS}): fold f holds out each user's f-th
   * latest train rating, training on what came before it (temporalFolds.ts). 1 is the plain
   * leave-last-out of train.
   */
  folds?: number;
  /**
   * z of the lower confidence bound the choice maximises: each trial's paired per-user gain over
   * the seed configuration (pooled over the folds) minus z standard errors. The seed configuration
   * is kept unless some trial's bound is above 0. Default 2; 0 takes the validation leader whenever
   * it scores higher. A guard against choosing noise: with one held-out rating for each of
   * ML-100K's 943 users, the standard error of NDCG@10 differences is a few thousandths, as large
   * as the gains on offer.
   */
  minStandardErrors?: number;
  /** Options every fit shares (backend, threads, solver, cgSteps). */
  base?: AlsOptions;
  /** Called after each trial (for progress). */
  onTrial?: (trial: Trial, index: number, total: number) => void;
}

export interface SearchResult {
  readonly metric: string;
  /** The chosen trial: the best lower confidence bound on the gain over the seed configuration, when above 0; else the seed configuration. */
  readonly best: Trial;
  /** The trial with the highest validation metric (the first wins ties). */
  readonly leader: Trial;
  readonly minStandardErrors: number;
  /** Every trial in the order run; the first is {@link SEED_CONFIG}. */
  readonly trials: readonly Trial[];
  /** Ratings in the first (latest) validation fold, and in every fold. */
  readonly validation: { readonly train: number; readonly test: number; readonly folds: ReadonlyArray<{ readonly train: number; readonly test: number }> };
}

/**
 * Tries ALS configurations on temporal validation folds of `train` (fold 1: each user's last train
 * rating; fold 2: the one before, training truncated before it; ...) and returns the one whose
 * per-user gain over the seed configuration has the best lower confidence bound. Only train
 * ratings are passed in: test data cannot leak into the choice.
 *
 * @example
 * const split = temporalLeaveLastOut(dataset.ratings);
 * const { best } = await searchOnValidation(split.train, { trials: 40, folds: 3 });
 */
export async function searchOnValidation(train: RatingColumns, options: SearchOptions = {}): Promise<SearchResult> {
  const { key, k } = parseMetricKey(options.metric ?? 'ndcg@10');
  const planned = plannedTrials(options); // validates the strategy, budget and space
  const seeds = options.validationSeeds ?? [0];
  if (seeds.length === 0) throw invalidOption('validationSeeds', 'at least one seed', seeds);
  const z = finiteAtLeast('minStandardErrors', options.minStandardErrors ?? 2, 0);
  const folds = validationFolds(train, integerIn('folds', options.folds ?? DEFAULT_FOLDS, 1, 20));
  const strategy = options.strategy ?? 'coordinate';
  const space = options.space ?? DEFAULT_SEARCH_SPACE;
  const onTrial = options.onTrial;
  const result = await foldSearch<AlsConfig>({
    folds,
    seedConfig: SEED_CONFIG,
    plan: strategy === 'coordinate' ? { kind: 'coordinate', names: SEARCHED, space, budget: planned - 1 } : { kind: 'list', configs: searchConfigs(options).slice(1) },
    fit: (config, fitOn, seed) => new ALS({ ...options.base, ...config, seed }).fit(fitOn),
    seeds,
    key,
    k,
    z,
    ...(onTrial ? { onTrial: (t: Trial, j: number) => onTrial(t, j, planned) } : {}),
  });
  return { metric: key, ...result, minStandardErrors: z, validation: { ...folds[0]!.sizes, folds: folds.map((f) => f.sizes) } };
}

/**
 * How many trials a search runs at most, the seed configuration included: every point for
 * 'grid', 1 + `trials` for 'random' and 'coordinate' (which may stop earlier).
 */
export function plannedTrials(options: Pick<SearchOptions, 'strategy' | 'trials' | 'seed' | 'space'> = {}): number {
  const strategy = oneOf('strategy', options.strategy ?? 'coordinate', ['coordinate', 'grid', 'random'] as const);
  if (strategy !== 'coordinate') return searchConfigs(options).length;
  validateSpace(options.space ?? DEFAULT_SEARCH_SPACE);
  return 1 + integerIn('trials', options.trials ?? DEFAULT_TRIALS, 1, 100_000);
}

function validateSpace(space: SearchSpace): void {
  for (const name of SEARCHED) {
    if (!Array.isArray(space[name]) || space[name].length === 0) throw invalidOption(`space.${name}`, 'a non-empty list of values', space[name]);
    // Each value goes through the ALS validators now, not at trial 12.
    for (const v of space[name]) resolveAlsOptions({ [name]: v } as AlsOptions);
  }
}

/**
 * The configurations a search tries, in order: {@link SEED_CONFIG} first, then every grid point
 * ('grid') or `trials` distinct points drawn by a seeded shuffle of the grid ('random').
 */
export function searchConfigs(options: Pick<SearchOptions, 'strategy' | 'trials' | 'seed' | 'space'> = {}): AlsConfig[] {
  const strategy = oneOf('strategy', options.strategy ?? 'random', ['grid', 'random'] as const);
  const space = options.space ?? DEFAULT_SEARCH_SPACE;
  validateSpace(space);
  // The cartesian product, the last hyperparameter varying fastest.
  let grid: AlsConfig[] = [{} as AlsConfig];
  for (const name of SEARCHED) grid = grid.flatMap((partial) => space[name].map((value) => ({ ...partial, [name]: value })));
  const isSeed = (c: AlsConfig) => SEARCHED.every((name) => c[name] === SEED_CONFIG[name]);
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

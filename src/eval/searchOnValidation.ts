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
import { DEFAULT_SEARCH_SPACE, DEFAULT_TRIALS, SEARCHED, type AlsConfig, type SearchSpace } from './searchSpace.js';

export { DEFAULT_SEARCH_SPACE, DEFAULT_TRIALS, SEARCHED, type AlsConfig, type SearchSpace } from './searchSpace.js';

/** The configuration everything is compared against: the library defaults. */
export const SEED_CONFIG: AlsConfig = {
  factors: DEFAULT_ALS_OPTIONS.factors,
  regularization: DEFAULT_ALS_OPTIONS.regularization,
  alpha: DEFAULT_ALS_OPTIONS.alpha,
  recencyHalfLife: DEFAULT_ALS_OPTIONS.recencyHalfLife,
  iterations: DEFAULT_ALS_OPTIONS.iterations,
};

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
  const planned = plannedTrials(options); // validates the strategy, budget and space
  const seeds = options.validationSeeds ?? [0];
  if (seeds.length === 0) throw invalidOption('validationSeeds', 'at least one seed', seeds);
  const minStandardErrors = finiteAtLeast('minStandardErrors', options.minStandardErrors ?? 2, 0);
  const validation = temporalLeaveLastOut(train);
  const maps = buildInteractions(train);
  const fitOn = buildInteractions(validation.train, maps);
  const heldOut = buildInteractions(validation.test, maps);
  const trials: Trial[] = [];
  let seedPerUser: Float64Array | null = null;
  const run = async (config: AlsConfig): Promise<Trial> => {
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
    const isSeedTrial = trials.length === 0; // every strategy tries the seed configuration first
    if (isSeedTrial) seedPerUser = perUser;
    const vsSeed = isSeedTrial || perUser === null || seedPerUser === null ? null : pairedGain(perUser, seedPerUser);
    const trial: Trial = { config, value: sum / seeds.length, vsSeed, seconds: (performance.now() - t0) / 1000 };
    trials.push(trial);
    options.onTrial?.(trial, trials.length, planned);
    return trial;
  };
  if ((options.strategy ?? 'coordinate') === 'coordinate') {
    await coordinateSearch(options.space ?? DEFAULT_SEARCH_SPACE, planned - 1, run);
  } else {
    for (const config of searchConfigs(options)) await run(config);
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
 * How many trials a search runs at most, the seed configuration included: every point for
 * 'grid', 1 + `trials` for 'random' and 'coordinate' (which may stop earlier).
 */
export function plannedTrials(options: Pick<SearchOptions, 'strategy' | 'trials' | 'seed' | 'space'> = {}): number {
  const strategy = oneOf('strategy', options.strategy ?? 'coordinate', ['coordinate', 'grid', 'random'] as const);
  if (strategy !== 'coordinate') return searchConfigs(options).length;
  validateSpace(options.space ?? DEFAULT_SEARCH_SPACE);
  return 1 + integerIn('trials', options.trials ?? DEFAULT_TRIALS, 1, 100_000);
}

/**
 * Coordinate search from the seed configuration: for each hyperparameter in turn, every other
 * value of its list with the rest held at the best configuration so far; the best value stays.
 * Passes repeat until one changes nothing or `budget` trials (after the seed's) are spent.
 * Configurations are never tried twice.
 */
async function coordinateSearch(space: SearchSpace, budget: number, run: (config: AlsConfig) => Promise<Trial>): Promise<void> {
  const tried = new Map<string, Trial>();
  let best = await run(SEED_CONFIG);
  tried.set(JSON.stringify(SEED_CONFIG), best);
  let spent = 0;
  for (let changed = true; changed && spent < budget; ) {
    changed = false;
    for (const name of SEARCHED) {
      const passBest = best;
      for (const value of space[name]) {
        const config = { ...passBest.config, [name]: value };
        const id = JSON.stringify(config);
        if (tried.has(id)) continue;
        if (spent === budget) return;
        const trial = await run(config);
        spent++;
        tried.set(id, trial);
        if (trial.value > best.value) best = trial;
      }
      if (best !== passBest) changed = true;
    }
  }
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

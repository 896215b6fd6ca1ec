/**
 * The search engine behind `alsrec tune`, for any model: configurations are scored on several
 * temporal validation folds (`temporalFolds.ts`), each compared with the seed configuration user by
 * user, and the choice is the configuration with the best lower confidence bound on that gain.
 *
 * Why a lower bound: with one held-out rating per user the validation maximum among dozens of
 * configurations owes much to noise (the winner's curse). Pooling folds triples the signal, and
 * ranking by gain − z·SE prefers a configuration that wins steadily over one that wins big on a
 * few users.
 */
import type { ExternalId } from '../data/rawInteractions.js';
import type { RatingColumns } from '../data/dataset.js';
import type { ALS } from '../als/model.js';
import { buildInteractions, type Interactions } from '../matrix/interactions.js';
import { evaluate, type Evaluation } from './evaluate.js';
import { metricsByKey } from './summarizeSeeds.js';
import { temporalFolds } from './temporalFolds.js';
import type { Recommender } from './recommender.js';

/** A validation fold over shared id maps (the maps of the whole train split). */
export interface ValidationFold {
  readonly train: Interactions;
  readonly test: Interactions;
  /** Ratings on each side. */
  readonly sizes: { readonly train: number; readonly test: number };
}

/**
 * The folds of {@link temporalFolds} as interactions sharing one set of id maps.
 *
 * @example const folds = validationFolds(split.train, 3);
 */
export function validationFolds(train: RatingColumns, count: number): ValidationFold[] {
  const maps = buildInteractions(train);
  return temporalFolds(train, count).map((f) => ({
    train: buildInteractions(f.train, maps),
    test: buildInteractions(f.test, maps),
    sizes: { train: f.train.users.length, test: f.test.users.length },
  }));
}

/** Paired comparison with the seed configuration (see {@link FoldTrial.vsSeed}). */
export interface PairedGain {
  /** Mean over users of the user's gain, averaged over the folds where the user is held out. */
  readonly gain: number;
  /** Sample std of the per-user gains / √users. */
  readonly standardError: number;
  /** gain − z · standardError: what the choice maximises. */
  readonly lowerBound: number;
}

export interface FoldTrial<C> {
  readonly config: C;
  /**
   * The metric on validation: over the users held out in any fold, the mean of each user's value
   * averaged over their folds and the validation seeds (for coverage: the mean over folds).
   */
  readonly value: number;
  /** The metric on each fold (mean over validation seeds), fold 1 (latest) first. */
  readonly folds: readonly number[];
  /**
   * Paired comparison with the seed configuration, user by user, pooled over the folds. Null for
   * the seed configuration itself and for a catalogue-level metric (coverage).
   */
  readonly vsSeed: PairedGain | null;
  readonly seconds: number;
}

export interface FoldSearchOptions<C> {
  readonly folds: readonly ValidationFold[];
  /** Tried first; every gain is measured against it. */
  readonly seedConfig: C;
  /** 'coordinate' over `space` (in `names` order), or exactly `configs` (after the seed). */
  readonly plan: { readonly kind: 'coordinate'; readonly names: readonly (keyof C)[]; readonly space: { readonly [K in keyof C]?: readonly C[K][] }; readonly budget: number } | { readonly kind: 'list'; readonly configs: readonly C[] };
  /** Fits one configuration on a fold's train with an initialisation seed. */
  readonly fit: (config: C, train: Interactions, seed: number) => Promise<Recommender | ALS>;
  /** Initialisation seeds per fit (deterministic models need one). */
  readonly seeds: readonly number[];
  /** Metric key (`ndcg@10`, `auc`, ...) and its K (null for auc). */
  readonly key: string;
  readonly k: number | null;
  /** z of the lower bound. */
  readonly z: number;
  readonly onTrial?: (trial: FoldTrial<C>, index: number) => void;
}

export interface FoldSearchResult<C> {
  /** Every trial in the order run; the first is the seed configuration. */
  readonly trials: readonly FoldTrial<C>[];
  /** The highest validation value (the first wins ties). */
  readonly leader: FoldTrial<C>;
  /**
   * The trial with the highest lower bound when that bound is above 0 (a gain over the seed
   * configuration z standard errors clear of zero); otherwise the seed configuration. For a metric
   * without per-user values (coverage), the leader.
   */
  readonly best: FoldTrial<C>;
}

/**
 * Runs the search. Each trial costs folds × seeds fits.
 *
 * @example
 * const r = await foldSearch({ folds, seedConfig: { regularization: 100 }, plan: { kind: 'list', configs }, fit, seeds: [0], key: 'ndcg@10', k: 10, z: 2 });
 */
export async function foldSearch<C extends object>(o: FoldSearchOptions<C>): Promise<FoldSearchResult<C>> {
  const trials: FoldTrial<C>[] = [];
  let seedPerUser: Map<ExternalId, number> | null = null;
  const run = async (config: C): Promise<FoldTrial<C>> => {
    const t0 = performance.now();
    const perFold: number[] = [];
    // Per user id: the sum over folds of the fold's per-user value (mean over seeds), and the count.
    const sums = new Map<ExternalId, number>();
    const counts = new Map<ExternalId, number>();
    for (const fold of o.folds) {
      let sum = 0;
      let perUser: Float64Array | null = null;
      let ids: ArrayLike<ExternalId> | null = null;
      for (const seed of o.seeds) {
        const model = await o.fit(config, fold.train, seed);
        const e = await evaluate(model, fold.train, fold.test, { k: o.k ?? 10, auc: o.key === 'auc' });
        sum += metricsByKey(e)[o.key]!;
        const values = perUserValues(e, o.key);
        if (values !== null) {
          perUser ??= new Float64Array(values.length);
          ids = e.perUser.userIds;
          for (let u = 0; u < values.length; u++) perUser[u]! += values[u]! / o.seeds.length;
        }
      }
      perFold.push(sum / o.seeds.length);
      if (perUser !== null && ids !== null) {
        for (let u = 0; u < ids.length; u++) {
          if (Number.isNaN(perUser[u]!)) continue;
          sums.set(ids[u]!, (sums.get(ids[u]!) ?? 0) + perUser[u]!);
          counts.set(ids[u]!, (counts.get(ids[u]!) ?? 0) + 1);
        }
      }
    }
    const perUserMean = sums.size > 0 ? new Map([...sums].map(([id, s]) => [id, s / counts.get(id)!])) : null;
    const isSeedTrial = trials.length === 0;
    if (isSeedTrial) seedPerUser = perUserMean;
    // The mean over users of their fold-averaged values, so a gain over the seed configuration is
    // the difference of two values (every trial sees the same users in each fold); the plain mean
    // over folds when there are no per-user values (coverage).
    const value = perUserMean !== null ? mean([...perUserMean.values()]) : mean(perFold);
    const vsSeed = isSeedTrial || perUserMean === null || seedPerUser === null ? null : pairedGain(value - trials[0]!.value, perUserMean, seedPerUser, o.z);
    const trial: FoldTrial<C> = { config, value, folds: perFold, vsSeed, seconds: (performance.now() - t0) / 1000 };
    trials.push(trial);
    o.onTrial?.(trial, trials.length);
    return trial;
  };
  if (o.plan.kind === 'coordinate') {
    await coordinateSearch(o.seedConfig, o.plan.names, o.plan.space, o.plan.budget, run);
  } else {
    await run(o.seedConfig);
    for (const config of o.plan.configs) await run(config);
  }
  const leader = trials.reduce((a, b) => (b.value > a.value ? b : a));
  let best = trials[0]!;
  if (leader.vsSeed === null && leader !== trials[0]) {
    best = leader; // no per-user values (coverage): the leader, as before folds existed
  } else {
    for (const t of trials) if (t.vsSeed !== null && t.vsSeed.lowerBound > 0 && (best.vsSeed === null || t.vsSeed.lowerBound > best.vsSeed.lowerBound)) best = t;
  }
  return { trials, leader, best };
}

/**
 * Coordinate search from the seed configuration: for each hyperparameter in turn, every other
 * value of its list with the rest held at the best configuration so far (by validation value);
 * the best value stays. Passes repeat until one changes nothing or `budget` trials (after the
 * seed's) are spent. Configurations are never tried twice.
 */
async function coordinateSearch<C extends object>(
  seed: C,
  names: readonly (keyof C)[],
  space: { readonly [K in keyof C]?: readonly C[K][] },
  budget: number,
  run: (config: C) => Promise<FoldTrial<C>>,
): Promise<void> {
  const tried = new Set<string>();
  let best = await run(seed);
  tried.add(JSON.stringify(seed));
  let spent = 0;
  for (let changed = true; changed && spent < budget; ) {
    changed = false;
    for (const name of names) {
      const passBest = best;
      for (const value of space[name] ?? []) {
        const config = { ...passBest.config, [name]: value };
        const id = JSON.stringify(config);
        if (tried.has(id)) continue;
        if (spent === budget) return;
        const trial = await run(config);
        spent++;
        tried.add(id);
        if (trial.value > best.value) best = trial;
      }
      if (best !== passBest) changed = true;
    }
  }
}

/** The per-user values behind `key` (aligned with `perUser.userIds`), or null for coverage. */
function perUserValues(e: Evaluation, key: string): Float64Array | null {
  if (key === 'auc') return e.perUser.auc;
  const [name, k] = key.split('@') as [string, string];
  const atK = e.perUser.atK.find((m) => m.k === Number(k));
  return atK !== undefined && name in atK && name !== 'k' ? (atK[name as keyof typeof atK] as Float64Array) : null;
}

function mean(values: readonly number[]): number {
  return values.length > 0 ? values.reduce((s, x) => s + x, 0) / values.length : NaN;
}

/**
 * The gain (the difference of the two values: the mean of a − b over the users, computed so that
 * rounding cannot make a higher value a negative gain), the standard error of the per-user
 * differences, and the lower bound gain − z·SE.
 */
function pairedGain(gain: number, a: Map<ExternalId, number>, b: Map<ExternalId, number>, z: number): PairedGain {
  const d: number[] = [];
  for (const [id, va] of a) {
    const vb = b.get(id);
    if (vb !== undefined) d.push(va - vb);
  }
  const n = d.length;
  const mean = n > 0 ? d.reduce((s, x) => s + x, 0) / n : NaN;
  const variance = n > 1 ? d.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1) : NaN;
  const standardError = Math.sqrt(variance / n);
  return { gain, standardError, lowerBound: gain - z * standardError };
}

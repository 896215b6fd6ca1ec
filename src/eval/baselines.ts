/**
 * The baselines ALS is compared with, by name (`--baselines popular,random,itemknn,ease`), their
 * hyperparameters, and their tuning on the same validation folds as ALS (foldSearch.ts).
 */
import type { Interactions } from '../matrix/interactions.js';
import { DEFAULT_EASE_REGULARIZATION, DEFAULT_KNN_NEIGHBOURS, type BaselineName } from './baselineSettings.js';
import { mostPopular } from './mostPopular.js';
import { randomRecommender } from './randomRecommender.js';
import { fitItemKnn, KNN_WEIGHTINGS, type KnnWeighting } from './itemKnn.js';
import { fitEase, type EaseOptions } from './ease.js';
import { foldSearch, type FoldSearchResult, type FoldTrial, type ValidationFold } from './foldSearch.js';
import type { Recommender } from './recommender.js';

export { BASELINE_NAMES, parseBaselines, type BaselineName } from './baselineSettings.js';

export interface KnnConfig {
  readonly weighting: KnnWeighting;
  readonly neighbours: number;
  /** Days; 0 is off (as ALS's recencyHalfLife). */
  readonly recencyHalfLife: number;
}

export interface EaseConfig {
  readonly regularization: number;
  /** Days; 0 scores with the binary history. */
  readonly recencyHalfLife: number;
}

/** implicit's defaults (CosineRecommender, K = 20), no recency weighting. */
export const KNN_SEED_CONFIG: KnnConfig = { weighting: 'cosine', neighbours: DEFAULT_KNN_NEIGHBOURS, recencyHalfLife: 0 };
/** A middle λ of the range Steck reports (ML-20M: 500; smaller catalogs want less). */
export const EASE_SEED_CONFIG: EaseConfig = { regularization: DEFAULT_EASE_REGULARIZATION, recencyHalfLife: 0 };

export const KNN_SEARCH_SPACE = {
  weighting: KNN_WEIGHTINGS,
  neighbours: [5, 10, 20, 50, 100, 200, 400],
  recencyHalfLife: [0, 1, 3, 10, 30, 100],
} as const;
export const EASE_SEARCH_SPACE = {
  regularization: [1, 3, 10, 30, 100, 300, 1000, 3000],
  recencyHalfLife: [0, 1, 3, 10, 30, 100],
} as const;

/** Options the EASE fits share (backend, threads, memory limit). */
export type EaseBase = Pick<EaseOptions, 'backend' | 'threads' | 'maxBytes'>;

/**
 * A fitted baseline with fixed hyperparameters; `seed` seeds the random baseline only.
 *
 * @example const knn = await fitBaseline('itemknn', train, 0, { knn: { weighting: 'bm25', neighbours: 100, recencyHalfLife: 0 } });
 */
export async function fitBaseline(
  name: BaselineName,
  train: Interactions,
  seed: number,
  config: { knn?: KnnConfig; ease?: EaseConfig; easeBase?: EaseBase } = {},
): Promise<Recommender> {
  switch (name) {
    case 'popular':
      return mostPopular(train);
    case 'random':
      return randomRecommender(train, seed);
    case 'itemknn': {
      const c = config.knn ?? KNN_SEED_CONFIG;
      return { ...fitItemKnn(train, c), name: 'ItemKNN' };
    }
    case 'ease':
      return fitEase(train, { ...config.easeBase, ...(config.ease ?? EASE_SEED_CONFIG) });
  }
}

export interface BaselineSearchOptions {
  readonly key: string;
  readonly k: number | null;
  readonly z: number;
  /** Trials after the seed configuration (coordinate search). */
  readonly budget: number;
  readonly easeBase?: EaseBase;
  readonly onTrial?: (trial: FoldTrial<KnnConfig | EaseConfig>, index: number) => void;
}

/**
 * Tunes ItemKNN (weighting, K, recency half-life) or EASE (λ, recency half-life) on validation
 * folds by coordinate search from {@link KNN_SEED_CONFIG} / {@link EASE_SEED_CONFIG}, choosing
 * by the lower confidence bound exactly as ALS's search does. Both models are deterministic: one
 * fit per fold.
 *
 * @example const { best } = await tuneBaseline('ease', validationFolds(split.train, 3), { key: 'ndcg@10', k: 10, z: 2, budget: 40 });
 */
export async function tuneBaseline(name: 'itemknn' | 'ease', folds: readonly ValidationFold[], o: BaselineSearchOptions): Promise<FoldSearchResult<KnnConfig | EaseConfig>> {
  const common = { folds, seeds: [0], key: o.key, k: o.k, z: o.z, ...(o.onTrial ? { onTrial: o.onTrial } : {}) };
  if (name === 'itemknn') {
    return foldSearch<KnnConfig>({
      ...common,
      seedConfig: KNN_SEED_CONFIG,
      plan: { kind: 'coordinate', names: ['neighbours', 'weighting', 'recencyHalfLife'], space: KNN_SEARCH_SPACE, budget: o.budget },
      fit: async (config, train) => fitItemKnn(train, config),
    }) as Promise<FoldSearchResult<KnnConfig | EaseConfig>>;
  }
  return foldSearch<EaseConfig>({
    ...common,
    seedConfig: EASE_SEED_CONFIG,
    plan: { kind: 'coordinate', names: ['regularization', 'recencyHalfLife'], space: EASE_SEARCH_SPACE, budget: o.budget },
    fit: (config, train) => fitEase(train, { ...o.easeBase, ...config }),
  }) as Promise<FoldSearchResult<KnnConfig | EaseConfig>>;
}

/** `weighting bm25, K 100, recency half-life 10 days` / `regularization 300, no recency weighting`. */
export function describeBaselineConfig(config: KnnConfig | EaseConfig): string {
  const recency = config.recencyHalfLife > 0 ? `recency half-life ${config.recencyHalfLife} days` : 'no recency weighting';
  return 'weighting' in config ? `${config.weighting}, K ${config.neighbours}, ${recency}` : `regularization ${config.regularization}, ${recency}`;
}

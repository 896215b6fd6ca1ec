/**
 * The hyperparameter search space as plain data: what `alsrec tune` shows in its help without
 * loading the search itself (searchOnValidation.ts re-exports all of it).
 */

/** The searched hyperparameters. */
export interface AlsConfig {
  readonly factors: number;
  readonly regularization: number;
  readonly alpha: number;
  /** Days; 0 is no recency weighting (see AlsOptions.recencyHalfLife). */
  readonly recencyHalfLife: number;
  readonly iterations: number;
}

/** The values tried for each hyperparameter. */
export interface SearchSpace {
  readonly factors: readonly number[];
  readonly regularization: readonly number[];
  readonly alpha: readonly number[];
  readonly recencyHalfLife: readonly number[];
  readonly iterations: readonly number[];
}

/** The hyperparameters in the order of {@link SearchSpace} and the grid. */
export const SEARCHED = ['factors', 'regularization', 'alpha', 'recencyHalfLife', 'iterations'] as const;

/**
 * Wide, log-spaced value lists: 6 × 10 × 7 × 6 × 5 = 12,600 points, so random search over them is
 * a discrete log-uniform search. The ranges cover the regions tried on ML-100K's validation split
 * (docs/metrics.md, "Tuning"): regularization up to 300 and alpha up to 40 (Hu et al.'s value), where
 * strong regularization is meant to offset large confidences; few factors and few iterations (early
 * stopping as regularization); recency half-lives from a day to a season, and off. Factors stop at
 * 128 to keep a default run within a few minutes.
 */
export const DEFAULT_SEARCH_SPACE: SearchSpace = {
  factors: [8, 16, 32, 64, 96, 128],
  regularization: [0.001, 0.01, 0.1, 0.3, 1, 3, 10, 30, 100, 300],
  alpha: [0.03, 0.1, 0.3, 1, 3, 10, 40],
  recencyHalfLife: [0, 1, 3, 10, 30, 100],
  iterations: [3, 5, 10, 20, 40],
};

/** Search budget of {@link searchOnValidation} and `alsrec tune` (besides the seed configuration). */
export const DEFAULT_TRIALS = 100;

/** Temporal validation folds of `alsrec tune` and searchOnValidation (see temporalFolds.ts). */
export const DEFAULT_FOLDS = 3;

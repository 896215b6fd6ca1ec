/**
 * The hyperparameter search space as plain data: what `alsrec tune` shows in its help without
 * loading the search itself (searchOnValidation.ts re-exports all of it).
 */

import { DEFAULT_ALS_OPTIONS, type Convention } from '../als/options.js';

/** The searched hyperparameters. */
export interface AlsConfig {
  readonly factors: number;
  readonly regularization: number;
  readonly alpha: number;
  /** Days; 0 is no recency weighting (see AlsOptions.recencyHalfLife). */
  readonly recencyHalfLife: number;
  readonly iterations: number;
  /** The objective (docs/model.md): convention, nu and a0 (see AlsOptions). */
  readonly convention: Convention;
  readonly regularizationExponent: number;
  readonly unobservedWeight: number;
}

/** The values tried for each hyperparameter. */
export interface SearchSpace {
  readonly factors: readonly number[];
  readonly regularization: readonly number[];
  readonly alpha: readonly number[];
  readonly recencyHalfLife: readonly number[];
  readonly iterations: readonly number[];
  /** The objective's dimensions; a space without them keeps the library default (see spaceValues). */
  readonly convention?: readonly Convention[];
  readonly regularizationExponent?: readonly number[];
  readonly unobservedWeight?: readonly number[];
}

/** The hyperparameters in the order of {@link SearchSpace} and the grid. */
export const SEARCHED = ['factors', 'regularization', 'alpha', 'recencyHalfLife', 'iterations', 'convention', 'regularizationExponent', 'unobservedWeight'] as const;

/**
 * The values `space` lists for `name`; the library default alone when it lists none (so a space
 * written before the objective's dimensions searches what it did).
 * @example spaceValues({ ...DEFAULT_SEARCH_SPACE, convention: undefined }, 'convention'); // ['implicit']
 */
export function spaceValues<K extends (typeof SEARCHED)[number]>(space: SearchSpace, name: K): ReadonlyArray<AlsConfig[K]> {
  return (space[name] as ReadonlyArray<AlsConfig[K]> | undefined) ?? [DEFAULT_ALS_OPTIONS[name] as AlsConfig[K]];
}

/**
 * Wide, log-spaced value lists: 6 × 10 × 7 × 6 × 5 × 2 × 3 × 4 = 302,400 points, so random search over them is
 * a discrete log-uniform search. The ranges cover the regions tried on ML-100K's validation split
 * (docs/metrics.md, "Tuning"): regularization up to 300 and alpha up to 40 (Hu et al.'s value), where
 * strong regularization is meant to offset large confidences; few factors and few iterations (early
 * stopping as regularization); recency half-lives from a day to a season, and off. Factors stop at
 * 128 to keep a default run within a few minutes. The objective's dimensions (docs/model.md): both
 * conventions, frequency-scaled regularization off, nu = 0.5 and nu = 1 (Rendle et al. 2021 tune nu
 * in [0, 1]), and unobserved weights from 1 down to 0.03 (Rendle et al. find small a0 best); with
 * nu = 1, lambda_u is lambda times a row's weight, so only the small regularization values of the
 * list pair with it.
 */
export const DEFAULT_SEARCH_SPACE: SearchSpace = {
  factors: [8, 16, 32, 64, 96, 128],
  regularization: [0.001, 0.01, 0.1, 0.3, 1, 3, 10, 30, 100, 300],
  alpha: [0.03, 0.1, 0.3, 1, 3, 10, 40],
  recencyHalfLife: [0, 1, 3, 10, 30, 100],
  iterations: [3, 5, 10, 20, 40],
  convention: ['implicit', 'spark'],
  regularizationExponent: [0, 0.5, 1],
  unobservedWeight: [0.03, 0.1, 0.3, 1],
};

/** Search budget of {@link searchOnValidation} and `alsrec tune` (besides the seed configuration). */
export const DEFAULT_TRIALS = 100;

/** Temporal validation folds of `alsrec tune` and searchOnValidation (see temporalFolds.ts). */
export const DEFAULT_FOLDS = 3;

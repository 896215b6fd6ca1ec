/**
 * The baselines' names and default settings as plain data: what `alsrec evaluate` and `tune` show
 * in their help without loading the models (baselines.ts, itemKnn.ts and ease.ts use these).
 */
import { invalidOption } from '../errors.js';

export const BASELINE_NAMES = ['popular', 'random', 'itemknn', 'ease'] as const;
export type BaselineName = (typeof BASELINE_NAMES)[number];

export const KNN_WEIGHTINGS = ['cosine', 'tfidf', 'bm25'] as const;
export type KnnWeighting = (typeof KNN_WEIGHTINGS)[number];

/** Default cap on EASE's dense item-item memory: 2 GiB, about 10,000 items (20 bytes x items²). */
export const DEFAULT_EASE_MAX_BYTES = 2 ** 31;

/** implicit's default K (CosineRecommender, K = 20). */
export const DEFAULT_KNN_NEIGHBOURS = 20;
/** A middle λ of the range Steck reports (ML-20M: 500; smaller catalogs want less). */
export const DEFAULT_EASE_REGULARIZATION = 100;

/**
 * Parses `popular,random,itemknn,ease` (any subset, in any order; duplicates dropped).
 *
 * @example parseBaselines('ease,popular'); // ['ease', 'popular']
 */
export function parseBaselines(text: string, option = '--baselines'): BaselineName[] {
  const names = text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  for (const n of names) {
    if (!(BASELINE_NAMES as readonly string[]).includes(n)) throw invalidOption(option, `a comma-separated list of ${BASELINE_NAMES.join(', ')}`, text);
  }
  return [...new Set(names)] as BaselineName[];
}

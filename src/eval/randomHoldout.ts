/**
 * Random holdout: a seeded share of all ratings held out, irrespective of user or time.
 */
import type { RatingColumns } from '../data/dataset.js';
import { mulberry32 } from '../als/initialFactors.js';
import { integerIn } from '../als/options.js';
import { invalidOption } from '../errors.js';
import { partitionRatings, type Split } from './partitionRatings.js';

export interface RandomHoldoutOptions {
  /** Share of ratings held out, in (0, 1). Default 0.2. */
  fraction?: number;
  /** Default 0. */
  seed?: number;
}

/**
 * Exactly round(fraction × n) ratings, chosen uniformly at random (a seeded partial Fisher-Yates
 * shuffle of the rating positions), go to test. Per rating: a user may lose all their ratings to
 * test; the evaluator still ranks for them (with no train data, ALS scores every item 0).
 *
 * @example const { train, test } = randomHoldout(dataset.ratings, { fraction: 0.2, seed: 3 });
 */
export function randomHoldout(r: RatingColumns, options: RandomHoldoutOptions = {}): Split {
  const fraction = options.fraction ?? 0.2;
  if (typeof fraction !== 'number' || !(fraction > 0 && fraction < 1)) throw invalidOption('fraction', 'a number between 0 and 1 (exclusive)', fraction);
  const next = mulberry32(integerIn('seed', options.seed ?? 0, 0, 2 ** 32 - 1));
  const n = r.users.length;
  const testCount = Math.round(fraction * n);
  const pool = Int32Array.from({ length: n }, (_, j) => j);
  const isTest = new Uint8Array(n);
  for (let j = 0; j < testCount; j++) {
    const swap = j + Math.floor(next() * (n - j));
    const chosen = pool[swap]!;
    pool[swap] = pool[j]!;
    pool[j] = chosen;
    isTest[chosen] = 1;
  }
  return partitionRatings(r, isTest);
}

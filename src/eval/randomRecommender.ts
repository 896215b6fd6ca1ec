/**
 * The uniformly random baseline.
 */
import type { Interactions } from '../matrix/interactions.js';
import { integerIn } from '../als/options.js';
import { topNFromScores, type Recommender } from './recommender.js';

/**
 * Ranks each user's candidates in a seeded uniformly random order (train items excluded). The
 * score of (user row u, item i) is a hash of (seed, u, i) in [0, 1), so it does not depend on
 * which users are scored together or in what order.
 *
 * @example const random = randomRecommender(train, 7);
 */
export function randomRecommender(train: Interactions, seed = 0): Recommender {
  integerIn('seed', seed, 0, 2 ** 32 - 1);
  const m = train.matrix;
  const scoreUsers = (rows: Int32Array): Float32Array => {
    const S = new Float32Array(rows.length * m.cols);
    for (let r = 0; r < rows.length; r++) {
      const userKey = mix32(seed ^ mix32(rows[r]! + 0x9e3779b9));
      for (let i = 0; i < m.cols; i++) S[r * m.cols + i] = (mix32(userKey ^ Math.imul(i + 1, 0x85ebca6b)) >>> 8) / 16777216;
    }
    return S;
  };
  return {
    name: 'random',
    itemCount: m.cols,
    scoreUsers,
    topN: async (rows, n) => topNFromScores(scoreUsers(rows), m.cols, rows, n, m),
  };
}

/** MurmurHash3's 32-bit finalizer: a bijection on uint32 that mixes every input bit. */
function mix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

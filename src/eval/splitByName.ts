/**
 * The splits by the names the CLI uses, with their parameters, so `evaluate` and `tune` share them.
 */
import type { RatingColumns } from '../data/dataset.js';
import { oneOf } from '../als/options.js';
import type { Split } from './partitionRatings.js';
import { temporalLeaveLastOut } from './temporalLeaveLastOut.js';
import { leaveKOut } from './leaveKOut.js';
import { randomHoldout } from './randomHoldout.js';
import { timeCutoff, timestampQuantile } from './timeCutoff.js';
import { SPLIT_NAMES, type SplitName } from './splitNames.js';

export { SPLIT_NAMES, type SplitName } from './splitNames.js';

export interface SplitParameters {
  /** leave-k-out: ratings held out per user. Default 5. */
  leaveK?: number;
  /** leave-k-out: 'latest' or 'random'. Default 'latest'. */
  pick?: 'latest' | 'random';
  /** random: share of ratings held out. Default 0.2. */
  fraction?: number;
  /** time-cutoff: the timestamp; default the 0.8 quantile of the timestamps. */
  cutoff?: number;
}

export interface NamedSplit extends Split {
  /** One line saying what was held out, e.g. `leave-k-out (k 5, random, seed 2)`. */
  readonly description: string;
  /** Whether the split depends on the seed (otherwise every seed gets the same split). */
  readonly seeded: boolean;
  /** Ratings in neither train nor test (time-cutoff only), with a note saying why. */
  readonly droppedNote?: string;
}

/**
 * Splits `ratings` by name. Seeded splits (random holdout; leave-k-out with a random pick) use
 * `seed`; the others ignore it.
 *
 * @example splitByName(dataset.ratings, 'random', 3, { fraction: 0.1 })
 */
export function splitByName(ratings: RatingColumns, name: SplitName, seed: number, p: SplitParameters = {}): NamedSplit {
  switch (oneOf('split', name, SPLIT_NAMES)) {
    case 'leave-last-out':
      return { ...temporalLeaveLastOut(ratings), description: "temporal leave-last-out (each user's latest rating; ties to the larger movie id)", seeded: false };
    case 'leave-k-out': {
      const k = p.leaveK ?? 5;
      const pick = p.pick ?? 'latest';
      return {
        ...leaveKOut(ratings, { k, pick, seed }),
        description: `leave-${k}-out (${pick}${pick === 'random' ? `, seed ${seed}` : ''}; users with <= ${k} ratings stay in train)`,
        seeded: pick === 'random',
      };
    }
    case 'random': {
      const fraction = p.fraction ?? 0.2;
      return { ...randomHoldout(ratings, { fraction, seed }), description: `random holdout (${fraction} of ratings, seed ${seed})`, seeded: true };
    }
    case 'time-cutoff': {
      const at = p.cutoff ?? timestampQuantile(ratings, 0.8);
      const s = timeCutoff(ratings, at);
      return {
        train: s.train,
        test: s.test,
        description: `time cutoff (ratings at or after ${new Date(at * 1000).toISOString()} [${at}] to test)`,
        seeded: false,
        droppedNote: `${s.dropped.users.length} later ratings dropped: ${s.droppedUsers} users and ${s.droppedItems} movies unseen in train`,
      };
    }
  }
}

import type { RatingColumns } from '../data/dataset.js';

/** A train/test split of rating columns; together they hold every rating exactly once. */
export interface Split {
  readonly train: RatingColumns;
  readonly test: RatingColumns;
}

/** Splits `r` by a per-rating mask (1 → test), keeping each side in the original order. */
export function partitionRatings(r: RatingColumns, isTest: Uint8Array): Split {
  let testCount = 0;
  for (let j = 0; j < isTest.length; j++) testCount += isTest[j]!;
  const train = allocate(r.users.length - testCount);
  const test = allocate(testCount);
  let a = 0;
  let b = 0;
  for (let j = 0; j < r.users.length; j++) {
    const side = isTest[j] === 1 ? test : train;
    const at = isTest[j] === 1 ? b++ : a++;
    side.users[at] = r.users[j]!;
    side.items[at] = r.items[j]!;
    side.ratings[at] = r.ratings[j]!;
    side.timestamps[at] = r.timestamps[j]!;
  }
  return { train, test };
}

function allocate(n: number): RatingColumns {
  return { users: new Int32Array(n), items: new Int32Array(n), ratings: new Float32Array(n), timestamps: new Float64Array(n) };
}

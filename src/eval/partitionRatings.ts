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
  // Two tight loops, one per side, rather than a choice per rating: each writes its four columns
  // sequentially.
  let a = 0;
  let b = 0;
  const n = r.users.length;
  for (let j = 0; j < n; j++) {
    if (isTest[j] === 1) continue;
    train.users[a] = r.users[j]!;
    train.items[a] = r.items[j]!;
    train.ratings[a] = r.ratings[j]!;
    train.timestamps[a] = r.timestamps[j]!;
    a++;
  }
  for (let j = 0; j < n && b < testCount; j++) {
    if (isTest[j] !== 1) continue;
    test.users[b] = r.users[j]!;
    test.items[b] = r.items[j]!;
    test.ratings[b] = r.ratings[j]!;
    test.timestamps[b] = r.timestamps[j]!;
    b++;
  }
  return { train, test };
}

function allocate(n: number): RatingColumns {
  return { users: new Int32Array(n), items: new Int32Array(n), ratings: new Float32Array(n), timestamps: new Float64Array(n) };
}

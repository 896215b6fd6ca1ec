/** Small seeded rating columns for split and evaluation tests. */
import type { RatingColumns } from '../../src/data/dataset.js';
import { mulberry32 } from '../../src/als/initialFactors.js';

/**
 * `users` users (ids 1..users) rating distinct movies (ids 1..items) with probability `density`;
 * timestamps in a small range so some collide (ties exercise the tie rules). Rows are shuffled
 * so file order is not time order.
 */
export function syntheticRatings(users: number, items: number, density: number, seed: number): RatingColumns {
  const next = mulberry32(seed);
  const rows: Array<[number, number, number, number]> = [];
  for (let u = 1; u <= users; u++) {
    for (let i = 1; i <= items; i++) {
      if (next() < density) rows.push([u, i, 1 + Math.floor(next() * 5), 1000 + Math.floor(next() * 50)]);
    }
  }
  for (let j = rows.length - 1; j > 0; j--) {
    const s = Math.floor(next() * (j + 1));
    [rows[j], rows[s]] = [rows[s]!, rows[j]!];
  }
  return columns(rows);
}

/** Rating columns from [user, movie, rating, timestamp] rows. */
export function columns(rows: ReadonlyArray<readonly [number, number, number, number]>): RatingColumns {
  return {
    users: Int32Array.from(rows, (r) => r[0]),
    items: Int32Array.from(rows, (r) => r[1]),
    ratings: Float32Array.from(rows, (r) => r[2]),
    timestamps: Float64Array.from(rows, (r) => r[3]),
  };
}

/** `user:movie` keys of every rating, for partition checks. */
export function keys(r: RatingColumns): string[] {
  return Array.from(r.users, (u, j) => `${u}:${r.items[j]}:${r.ratings[j]}:${r.timestamps[j]}`);
}

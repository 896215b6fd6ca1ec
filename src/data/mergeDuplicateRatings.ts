/**
 * Duplicate (user, movie) ratings: the latest one wins. An open-addressing hash table over typed
 * arrays finds them in one pass (a JS Map tops out at 2^24 entries, and 25M ratings exceed that).
 */
import type { RatingColumnsBuilder } from './ratingColumnsBuilder.js';

/**
 * Keeps, for every (user, movie) pair, only the rating with the greatest timestamp (on equal
 * timestamps, the later row), removing the others in place. The survivors keep their relative
 * order. Returns how many rows were removed.
 *
 * Memory: one Int32Array of the next power of two >= 2n slots plus one byte a row, freed on return.
 *
 * @example
 * ```ts
 * const removed = mergeDuplicateRatings(builder); // builder.length shrinks by `removed`
 * ```
 */
export function mergeDuplicateRatings(columns: RatingColumnsBuilder): number {
  const n = columns.length;
  if (n < 2) return 0;
  const { users, items, timestamps } = columns;
  let capacity = 16;
  while (capacity < 2 * n) capacity *= 2;
  const mask = capacity - 1;
  // slots[h] = row + 1 of the winning row for the pair hashed to h, 0 when empty.
  const slots = new Int32Array(capacity);
  const drop = new Uint8Array(n);
  let removed = 0;
  for (let row = 0; row < n; row++) {
    const user = users[row];
    const item = items[row];
    let h = pairHash(user, item) & mask;
    for (;;) {
      const occupant = slots[h];
      if (occupant === 0) {
        slots[h] = row + 1;
        break;
      }
      const other = occupant - 1;
      if (users[other] === user && items[other] === item) {
        removed++;
        if (timestamps[row] >= timestamps[other]) {
          drop[other] = 1;
          slots[h] = row + 1;
        } else {
          drop[row] = 1;
        }
        break;
      }
      h = (h + 1) & mask;
    }
  }
  if (removed > 0) columns.compact(drop);
  return removed;
}

/** A 32-bit mix of the pair (murmur3 finaliser over a multiplicative combine). */
function pairHash(user: number, item: number): number {
  let h = Math.imul(user, 0x9e3779b1) ^ Math.imul(item, 0x85ebca77);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return h >>> 0;
}

/**
 * Growable rating columns: typed arrays that double when full, so a 25M-rating file costs four
 * typed arrays (20 bytes a rating) rather than 25M objects.
 */
import type { RatingColumns } from './dataset.js';

const INITIAL_CAPACITY = 1 << 16;

/**
 * Appends ratings column by column. Rows `[0, length)` of the public arrays are valid; the arrays
 * are replaced when they grow, so read them after the last {@link push}.
 *
 * @example
 * ```ts
 * const builder = new RatingColumnsBuilder();
 * builder.push(196, 242, 3, 881250949);
 * const columns = builder.finish(); // exact-length copies; the builder is left empty
 * ```
 */
export class RatingColumnsBuilder {
  users: Int32Array;
  items: Int32Array;
  ratings: Float32Array;
  timestamps: Float64Array;
  length = 0;

  constructor(capacity = INITIAL_CAPACITY) {
    const size = Math.max(1, capacity);
    this.users = new Int32Array(size);
    this.items = new Int32Array(size);
    this.ratings = new Float32Array(size);
    this.timestamps = new Float64Array(size);
  }

  /**
   * A builder over columns already filled (rows `[0, length)`), without copying them.
   * @example RatingColumnsBuilder.fromColumns(users, items, ratings, timestamps, n).finish()
   */
  static fromColumns(users: Int32Array, items: Int32Array, ratings: Float32Array, timestamps: Float64Array, length: number): RatingColumnsBuilder {
    const builder = new RatingColumnsBuilder(1);
    builder.users = users;
    builder.items = items;
    builder.ratings = ratings;
    builder.timestamps = timestamps;
    builder.length = length;
    return builder;
  }

  push(user: number, item: number, rating: number, timestamp: number): void {
    const row = this.length;
    if (row === this.users.length) this.grow();
    this.users[row] = user;
    this.items[row] = item;
    this.ratings[row] = rating;
    this.timestamps[row] = timestamp;
    this.length = row + 1;
  }

  /** Drops every row whose `drop` flag is set, keeping the others in order (in place). */
  compact(drop: Uint8Array): void {
    const { users, items, ratings, timestamps } = this;
    let kept = 0;
    for (let row = 0; row < this.length; row++) {
      if (drop[row] === 1) continue;
      users[kept] = users[row];
      items[kept] = items[row];
      ratings[kept] = ratings[row];
      timestamps[kept] = timestamps[row];
      kept++;
    }
    this.length = kept;
  }

  /**
   * Columns trimmed to {@link length}. Each is copied and the builder's own array dropped before
   * the next is copied, so peak memory is the builder plus one column, not twice the data. The
   * builder is empty afterwards.
   */
  finish(): RatingColumns {
    const n = this.length;
    const users = this.users.slice(0, n);
    this.users = new Int32Array(0);
    const items = this.items.slice(0, n);
    this.items = new Int32Array(0);
    const ratings = this.ratings.slice(0, n);
    this.ratings = new Float32Array(0);
    const timestamps = this.timestamps.slice(0, n);
    this.timestamps = new Float64Array(0);
    this.length = 0;
    return { users, items, ratings, timestamps };
  }

  private grow(): void {
    const size = Math.max(INITIAL_CAPACITY, this.users.length * 2);
    const users = new Int32Array(size);
    users.set(this.users);
    this.users = users;
    const items = new Int32Array(size);
    items.set(this.items);
    this.items = items;
    const ratings = new Float32Array(size);
    ratings.set(this.ratings);
    this.ratings = ratings;
    const timestamps = new Float64Array(size);
    timestamps.set(this.timestamps);
    this.timestamps = timestamps;
  }
}

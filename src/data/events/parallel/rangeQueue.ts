/**
 * The byte ranges of a parallel parse, claimed from both ends: the main thread takes ranges from
 * the front, so its rows form a prefix of the file's, written straight into the result's columns;
 * workers take them from the back, and only their rows are copied at the join. Whoever is faster
 * (the main thread while a worker starts, a worker on a machine where the main thread is slowed)
 * simply takes more ranges, so the threads finish together on any machine.
 *
 * The claims live in one Int32 of shared memory, changed by compare-and-exchange: the next range
 * from the front in the low 16 bits, one past the next from the back in the high 16 bits.
 */

/** At most this many ranges (the 16 bits of a claim). */
export const MAX_RANGES = 0xffff;

/** The ranges and their claims, as sent to a worker. */
export interface RangeQueue {
  /** Nominal range boundaries (file offsets): range r holds the records starting in [bounds[r], bounds[r + 1]). */
  readonly bounds: readonly number[];
  /** One Int32, see the module's comment. */
  readonly claims: SharedArrayBuffer;
}

/**
 * `[dataStart, size)` cut into ranges of about `rangeBytes` (at most {@link MAX_RANGES}).
 * @example createRangeQueue(32, 1000, 100).bounds.length // 11
 */
export function createRangeQueue(dataStart: number, size: number, rangeBytes: number): RangeQueue {
  const dataBytes = size - dataStart;
  const count = Math.max(1, Math.min(MAX_RANGES, Math.ceil(dataBytes / Math.max(1, rangeBytes))));
  const bounds = Array.from({ length: count + 1 }, (_, r) => dataStart + Math.floor((dataBytes * r) / count));
  const claims = new SharedArrayBuffer(4);
  new Int32Array(claims)[0] = count << 16;
  return { bounds, claims };
}

/**
 * Claims the next range from the front (`fromBack` false) or the back; -1 when none is left.
 * @example claimRange(queue, false) // 0, then 1, ...
 */
export function claimRange(queue: RangeQueue, fromBack: boolean): number {
  const claims = new Int32Array(queue.claims);
  for (;;) {
    const value = Atomics.load(claims, 0);
    const front = value & 0xffff;
    const back = value >>> 16;
    if (front >= back) return -1;
    const claimed = fromBack ? back - 1 : front;
    const next = fromBack ? ((back - 1) << 16) | front : (back << 16) | (front + 1);
    if (Atomics.compareExchange(claims, 0, value, next) === value) return claimed;
  }
}

/**
 * Leaves no range to claim (after an error: the other threads stop at their next claim).
 * @example drainRanges(queue); claimRange(queue, false) // -1
 */
export function drainRanges(queue: RangeQueue): void {
  Atomics.store(new Int32Array(queue.claims), 0, 0);
}

/**
 * The byte ranges of a parallel parse, claimed in file order by every parsing thread from one
 * counter in shared memory: whoever is faster (the main thread while a worker starts, a worker
 * on a machine where the main thread is slowed) simply takes more ranges. The last ranges are
 * smaller, so the threads finish within a few ms of each other.
 */

/** At most this many ranges. */
export const MAX_RANGES = 0xffff;

/** The ranges and their claims, as sent to a worker. */
export interface RangeQueue {
  /** Nominal range boundaries (file offsets): range r holds the records starting in [bounds[r], bounds[r + 1]). */
  readonly bounds: readonly number[];
  /** One Int32: the next range to claim. */
  readonly claims: SharedArrayBuffer;
}

/** The tail cut finer: this many ranges of a quarter of the size, per thread (see createRangeQueue). */
const TAIL_RANGES_PER_THREAD = 4;

/**
 * `[dataStart, size)` cut into ranges of about `rangeBytes` (at most {@link MAX_RANGES}); with
 * `threads`, the last `threads` ranges' worth of bytes is cut into quarters, so that no thread is
 * left parsing a whole range alone at the end.
 * @example createRangeQueue(32, 1032, 100).bounds.length // 11
 */
export function createRangeQueue(dataStart: number, size: number, rangeBytes: number, threads = 1): RangeQueue {
  const dataBytes = size - dataStart;
  const step = Math.max(1, rangeBytes, Math.ceil(dataBytes / MAX_RANGES));
  const fine = Math.max(1, Math.floor(step / 4));
  const tailBytes = threads > 1 && dataBytes >= 4 * threads * step ? threads * step : 0;
  const tailCount = tailBytes === 0 ? 0 : Math.min(TAIL_RANGES_PER_THREAD * threads, Math.ceil(tailBytes / fine));
  const headBytes = dataBytes - tailBytes;
  const headCount = Math.max(1, Math.min(MAX_RANGES - tailCount, Math.ceil(headBytes / step)));
  const bounds: number[] = [];
  for (let r = 0; r < headCount; r++) bounds.push(dataStart + Math.floor((headBytes * r) / headCount));
  for (let r = 0; r < tailCount; r++) bounds.push(dataStart + headBytes + Math.floor((tailBytes * r) / tailCount));
  bounds.push(size);
  return { bounds, claims: new SharedArrayBuffer(4) };
}

/**
 * Claims the next range in file order; -1 when none is left.
 * @example claimRange(queue) // 0, then 1, ...
 */
export function claimRange(queue: RangeQueue): number {
  const count = queue.bounds.length - 1;
  const claims = new Int32Array(queue.claims);
  // A plain add: past the end it keeps counting (at most once per thread), never wrapping.
  const range = Atomics.add(claims, 0, 1);
  return range < count ? range : -1;
}

/**
 * Leaves no range to claim (after an error: the other threads stop at their next claim).
 * @example drainRanges(queue); claimRange(queue) // -1
 */
export function drainRanges(queue: RangeQueue): void {
  Atomics.store(new Int32Array(queue.claims), 0, MAX_RANGES + 1);
}

/**
 * Whether a range is still to be claimed (false once all are claimed, or the queue was drained).
 * @example rangesLeft(createRangeQueue(0, 10, 10)) // true
 */
export function rangesLeft(queue: RangeQueue): boolean {
  return Atomics.load(new Int32Array(queue.claims), 0) < queue.bounds.length - 1;
}

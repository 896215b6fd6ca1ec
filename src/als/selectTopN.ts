/**
 * Top-n selection, the one ranking rule of alsrec: **score descending, then item index
 * ascending**; a NaN score is never ranked; rows with fewer candidates than n are padded with
 * item -1 and score -Infinity. Scores are compared as float32 (`Math.fround`), as the native
 * kernel (native/scoring.cpp `topN`) holds them, so both backends rank the same floats the same
 * way (test/als/topNParity.test.ts checks it on random inputs full of ties).
 *
 * {@link selectTopN} ranks one row of scores (every TypeScript path: the TS backend's `topN`,
 * `ALS.recommend` and `similarItems`, the server's TypeScript route); {@link TopNHeap} is the
 * streaming form for candidates that arrive in any order (item-kNN, baselines, the demo).
 * Both use a size-n min-heap: O(m log n) for m candidates, never a sort of the whole catalogue.
 */

/** True when candidate (sa, ia) ranks below (sb, ib): lower score, or equal score and larger index. */
function worse(sa: number, ia: number, sb: number, ib: number): boolean {
  return sa < sb || (sa === sb && ia > ib);
}

export class TopNHeap {
  private readonly idx: Int32Array;
  private readonly val: Float64Array;
  private size = 0;
  /** How many it keeps now: `capacity`, or the n of the last {@link fillFromRow}. */
  private limit: number;

  constructor(readonly capacity: number) {
    this.idx = new Int32Array(capacity);
    this.val = new Float64Array(capacity);
    this.limit = capacity;
  }

  reset(): void {
    this.size = 0;
    this.limit = this.capacity;
  }

  /** Offers candidate `index` with `score` (NaN scores are never kept). */
  push(index: number, score: number): void {
    if (Number.isNaN(score) || this.limit === 0) return;
    if (this.size < this.limit) {
      this.siftUp(index, score);
      return;
    }
    if (!worse(this.val[0]!, this.idx[0]!, score, index)) return;
    this.siftDownFromRoot(index, score);
  }

  /**
   * Empties the heap, then keeps the best `n` (at most its capacity) of every candidate `i` of
   * `scores` (as float32) whose `skip[i]` is not 1, offered in ascending index order. Once the
   * heap is full a later item only enters when its score is strictly above the worst kept one
   * (an equal score loses the tie to the smaller index already kept), so most candidates cost
   * one comparison.
   */
  fillFromRow(scores: ArrayLike<number>, skip: Uint8Array | null, n = this.capacity): void {
    if (!(n >= 0 && n <= this.capacity)) throw new RangeError(`TopNHeap: n = ${n} beyond its capacity ${this.capacity}`);
    this.size = 0;
    this.limit = n;
    const m = scores.length;
    if (n === 0) return;
    let worst = -Infinity;
    for (let i = 0; i < m; i++) {
      if (skip !== null && skip[i] === 1) continue;
      const score = Math.fround(scores[i]!);
      if (this.size < n) {
        if (score !== score) continue; // NaN is never kept
        this.siftUp(i, score);
        if (this.size === n) worst = this.val[0]!;
      } else if (score > worst) {
        this.siftDownFromRoot(i, score);
        worst = this.val[0]!;
      }
    }
  }

  /**
   * Writes the kept candidates best first into `items`/`scores` at `offset`, padding to the
   * heap's n with -1 / -Infinity, empties the heap and returns how many were kept. Allocates
   * nothing.
   */
  drainInto(items: Int32Array, scores: Float32Array, offset: number): number {
    const kept = this.size;
    for (let j = kept; j < this.limit; j++) {
      items[offset + j] = -1;
      scores[offset + j] = -Infinity;
    }
    // Pop the worst (the root) into the last free place until the heap is empty.
    for (let j = kept - 1; j >= 0; j--) {
      items[offset + j] = this.idx[0]!;
      scores[offset + j] = this.val[0]!;
      const lastIdx = this.idx[j]!;
      const lastVal = this.val[j]!;
      this.size = j;
      if (j > 0) this.siftDownFromRoot(lastIdx, lastVal);
    }
    this.size = 0;
    return kept;
  }

  /** Adds (index, score) to the heap, which has room. */
  private siftUp(index: number, score: number): void {
    let i = this.size++;
    // The parent must be the worse of the two.
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!worse(score, index, this.val[parent]!, this.idx[parent]!)) break;
      this.idx[i] = this.idx[parent]!;
      this.val[i] = this.val[parent]!;
      i = parent;
    }
    this.idx[i] = index;
    this.val[i] = score;
  }

  /** Puts (index, score) at the root (replacing the worst kept) and sifts it down. */
  private siftDownFromRoot(index: number, score: number): void {
    const size = this.size;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) break;
      const r = l + 1;
      const c = r < size && worse(this.val[r]!, this.idx[r]!, this.val[l]!, this.idx[l]!) ? r : l;
      if (!worse(this.val[c]!, this.idx[c]!, score, index)) break;
      this.idx[i] = this.idx[c]!;
      this.val[i] = this.val[c]!;
      i = c;
    }
    this.idx[i] = index;
    this.val[i] = score;
  }
}

/** The best `items.length` candidates of one row, best first (see {@link selectTopN}). */
export interface TopNRow {
  /** Item indices, best first; -1 pads a row with fewer candidates than n. */
  readonly items: Int32Array;
  /** Their scores (float32); -Infinity where `items` is -1. */
  readonly scores: Float32Array;
  /** How many entries are real (not padding). */
  readonly kept: number;
}

/**
 * The top `n` of one row of scores, excluding the items whose `skip[i]` is 1 (already seen,
 * filtered, not a candidate): score descending, then item index ascending; NaN never ranked;
 * padded to n with -1 / -Infinity. `scores[i]` is item i's score, compared as float32.
 *
 * `heap` (of capacity >= n), when given, is reused instead of a new one, for callers on a hot
 * path; `out` likewise receives the result at `offset`.
 *
 * @example
 * selectTopN(Float64Array.of(0.5, 0.9, 0.9, 0.1), 2, Uint8Array.of(0, 0, 0, 0)); // items [1, 2]
 */
export function selectTopN(
  scores: ArrayLike<number>,
  n: number,
  skip: Uint8Array | null = null,
  heap: TopNHeap = new TopNHeap(n),
  out: { items: Int32Array; scores: Float32Array; offset: number } = { items: new Int32Array(n), scores: new Float32Array(n), offset: 0 },
): TopNRow {
  heap.fillFromRow(scores, skip, n);
  const kept = heap.drainInto(out.items, out.scores, out.offset);
  return { items: out.items, scores: out.scores, kept };
}

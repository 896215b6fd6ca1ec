/**
 * Partial selection of the n best scores with a size-n min-heap: O(m log n) for m candidates,
 * never a sort of the whole catalogue. Ties go to the smaller index, in both backends.
 */

/** True when candidate (sa, ia) ranks below (sb, ib). */
function worse(sa: number, ia: number, sb: number, ib: number): boolean {
  return sa < sb || (sa === sb && ia > ib);
}

export class TopNHeap {
  private readonly idx: Int32Array;
  private readonly val: Float64Array;
  private size = 0;

  constructor(readonly capacity: number) {
    this.idx = new Int32Array(capacity);
    this.val = new Float64Array(capacity);
  }

  reset(): void {
    this.size = 0;
  }

  /** Offers candidate `index` with `score` (NaN scores are never kept). */
  push(index: number, score: number): void {
    if (Number.isNaN(score) || this.capacity === 0) return;
    if (this.size < this.capacity) {
      let i = this.size++;
      // Sift up: parent must be the worse of the two.
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!worse(score, index, this.val[parent]!, this.idx[parent]!)) break;
        this.idx[i] = this.idx[parent]!;
        this.val[i] = this.val[parent]!;
        i = parent;
      }
      this.idx[i] = index;
      this.val[i] = score;
      return;
    }
    if (!worse(this.val[0]!, this.idx[0]!, score, index)) return;
    // Replace the root (the worst kept) and sift down.
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.size) break;
      const r = l + 1;
      const c = r < this.size && worse(this.val[r]!, this.idx[r]!, this.val[l]!, this.idx[l]!) ? r : l;
      if (!worse(this.val[c]!, this.idx[c]!, score, index)) break;
      this.idx[i] = this.idx[c]!;
      this.val[i] = this.val[c]!;
      i = c;
    }
    this.idx[i] = index;
    this.val[i] = score;
  }

  /**
   * Writes the kept candidates best first into `items`/`scores` at `offset`, padding to capacity
   * with -1 / -Infinity, and returns how many were kept.
   */
  drainInto(items: Int32Array, scores: Float32Array, offset: number): number {
    const kept = this.size;
    const order = Array.from({ length: kept }, (_, j) => j).sort((a, b) =>
      worse(this.val[a]!, this.idx[a]!, this.val[b]!, this.idx[b]!) ? 1 : -1,
    );
    for (let j = 0; j < this.capacity; j++) {
      items[offset + j] = j < kept ? this.idx[order[j]!]! : -1;
      scores[offset + j] = j < kept ? this.val[order[j]!]! : -Infinity;
    }
    this.size = 0;
    return kept;
  }
}

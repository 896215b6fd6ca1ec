/**
 * A user's top-n movies on the server's hot path, by the fastest exact route available:
 *
 * - with the native addon (and a model not pinned to `backend: 'ts'`): `ALS.recommendMany` for
 *   the one user, i.e. the native top-n kernel (Eigen, SIMD) on the libuv thread pool, so the
 *   event loop only parses and serialises (about 40 µs of CPU per request on ML-100K instead of
 *   about 180 µs); its scores are the native backend's (float32 sums);
 * - otherwise the TS path below.
 *
 * The TS path is `ALS.recommend` with bit-for-bit the same ranking and scores
 * (score_i = fround(sum over a of x_u[a] * Y[i][a]), summed in float64 in the order a = 0..k-1;
 * ties to the smaller movie index; rated movies skipped), with less work per request:
 *
 * - the movie factors are stored once transposed (Yt, k x movies, float32 as in the model), so
 *   the scores are built as k axpy passes `scores += x_u[a] * Yt[a]` over contiguous memory:
 *   every movie's sum is an independent accumulator instead of one chain of dependent additions,
 *   and each movie still adds its k terms in the same order as the row-by-row dot product;
 * - buffers are allocated once per server, not per request;
 * - a threshold test keeps most movies out of the top-n heap.
 *
 * The event loop runs one handler at a time and `recommend` is synchronous, so the shared
 * buffers are never used twice at once.
 *
 * The model must not change (e.g. by partialFitUsers) while this serves it.
 */
import type { ALS, Recommendation } from '../als/model.js';
import { nativeAvailable } from '../als/selectBackend.js';
import { invalidOption } from '../errors.js';
import type { ExternalId } from '../data/rawInteractions.js';

export class ServingRecommender {
  /** Which route `recommend` takes. */
  readonly path: 'native' | 'ts';
  private readonly k: number;
  private readonly movies: number;
  /** Movie factors transposed: Yt[a * movies + i] = itemFactors[i * k + a]. */
  private readonly Yt: Float32Array;
  private readonly scores: Float64Array;
  private readonly skip: Uint8Array;
  private readonly heapIdx: Int32Array;
  private readonly heapVal: Float64Array;
  /** The largest n a request may ask for. */
  private readonly maxN: number;

  constructor(private readonly model: ALS, maxN: number) {
    this.path = model.options.backend !== 'ts' && nativeAvailable() ? 'native' : 'ts';
    const s = model.state;
    this.k = model.options.factors;
    this.movies = s.items.size;
    const m = this.movies;
    const k = this.k;
    this.Yt = new Float32Array(k * m);
    for (let i = 0; i < m; i++) for (let a = 0; a < k; a++) this.Yt[a * m + i] = s.itemFactors[i * k + a]!;
    this.scores = new Float64Array(m);
    this.skip = new Uint8Array(this.movies);
    this.maxN = maxN;
    // No list is longer than the catalog: the heap is sized by whichever is smaller.
    const capacity = Math.max(0, Math.min(maxN, m));
    this.heapIdx = new Int32Array(capacity);
    this.heapVal = new Float64Array(capacity);
  }

  /**
   * The top-n movies for user `userId`, skipping the movies they rated and `exclude` (movie
   * ids; unknown ones are ignored, as in ALS.recommend). Rejects with UnknownIdError for an
   * unknown user.
   * @example await serving.recommend(196, 10, [])
   */
  async recommend(userId: ExternalId, n: number, exclude: readonly ExternalId[]): Promise<Recommendation[]> {
    n = this.clampN(n);
    if (this.path === 'ts') return this.recommendTs(userId, n, exclude);
    // Ask for enough to drop the excluded movies afterwards.
    const [ranked] = await this.model.recommendMany([userId], { n: Math.min(n + exclude.length, this.movies) });
    const s = this.model.state;
    const skip = new Set(exclude.map((id) => s.items.tryIndex(id)));
    return ranked!.filter((r) => !skip.has(s.items.tryIndex(r.itemId))).slice(0, n);
  }

  /** The TS path: exactly `ALS.recommend(userId, { n, filterItems: exclude })`. */
  recommendTs(userId: ExternalId, n: number, exclude: readonly ExternalId[]): Recommendation[] {
    n = this.clampN(n);
    const s = this.model.state;
    const { k, movies: m, scores, skip, Yt } = this;
    const u = s.users.index(userId, 'user');
    // scores = Yt' x_u, one axpy per factor, each movie summing in the order a = 0..k-1.
    scores.fill(0);
    for (let a = 0; a < k; a++) {
      const xa = s.userFactors[u * k + a]!;
      const row = a * m;
      for (let i = 0; i < m; i++) scores[i]! += xa * Yt[row + i]!;
    }
    skip.fill(0);
    for (let q = s.liked.indptr[u]!; q < s.liked.indptr[u + 1]!; q++) skip[s.liked.indices[q]!] = 1;
    for (const id of exclude) {
      const i = s.items.tryIndex(id);
      if (i >= 0) skip[i] = 1;
    }

    const { heapIdx: idx, heapVal: val } = this;
    let size = 0;
    // Movies come in ascending index order, so once the heap is full a later movie whose score
    // only equals the worst kept one loses the tie: it enters only when strictly better.
    let worst = -Infinity;
    for (let i = 0; i < m; i++) {
      if (skip[i] === 1) continue;
      const score = Math.fround(scores[i]!);
      if (size < n) {
        if (score !== score) continue; // NaN is never kept
        size = siftUp(idx, val, size, i, score);
        if (size === n) worst = val[0]!;
      } else if (score > worst) {
        replaceRoot(idx, val, size, i, score);
        worst = val[0]!;
      }
    }
    return this.drain(size);
  }

  /** n in [1, maxN], clamped to the catalog size before anything is sized by it. */
  private clampN(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > this.maxN) throw invalidOption('n', `an integer between 1 and ${this.maxN}`, n);
    return Math.min(n, this.movies);
  }

  /** The kept entries, best first (higher score, then smaller index). */
  private drain(size: number): Recommendation[] {
    const s = this.model.state;
    const order = Array.from({ length: size }, (_, j) => j);
    const { heapIdx: idx, heapVal: val } = this;
    order.sort((a, b) => val[b]! - val[a]! || idx[a]! - idx[b]!);
    return order.map((j) => ({ itemId: s.items.id(idx[j]!), score: val[j]! }));
  }
}

/** True when (sa, ia) ranks below (sb, ib): lower score, or equal score and larger index. */
function worse(sa: number, ia: number, sb: number, ib: number): boolean {
  return sa < sb || (sa === sb && ia > ib);
}

/** Adds (i, score) to the min-heap of `size` entries (root = worst kept); returns the new size. */
function siftUp(idx: Int32Array, val: Float64Array, size: number, i: number, score: number): number {
  let c = size;
  while (c > 0) {
    const parent = (c - 1) >> 1;
    if (!worse(score, i, val[parent]!, idx[parent]!)) break;
    idx[c] = idx[parent]!;
    val[c] = val[parent]!;
    c = parent;
  }
  idx[c] = i;
  val[c] = score;
  return size + 1;
}

/** Replaces the root (the worst kept) with (i, score) and restores the heap. */
function replaceRoot(idx: Int32Array, val: Float64Array, size: number, i: number, score: number): void {
  let c = 0;
  for (;;) {
    const l = 2 * c + 1;
    if (l >= size) break;
    const r = l + 1;
    const w = r < size && worse(val[r]!, idx[r]!, val[l]!, idx[l]!) ? r : l;
    if (!worse(val[w]!, idx[w]!, score, i)) break;
    idx[c] = idx[w]!;
    val[c] = val[w]!;
    c = w;
  }
  idx[c] = i;
  val[c] = score;
}

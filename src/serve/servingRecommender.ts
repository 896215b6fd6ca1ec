/**
 * A user's top-n items on the server's hot path, by the fastest exact route available:
 *
 * - with the native addon (and a model not pinned to `backend: 'ts'`): the native top-n kernel
 *   (`ALS.topNRows` for the one user: Eigen, SIMD, on the libuv thread pool), so the event loop
 *   only parses and serialises; its scores are the native backend's (float32 sums);
 * - otherwise the TS path below.
 *
 * Both rank by the one rule of src/als/selectTopN.ts (score descending, then item index
 * ascending). The TS path is `ALS.recommend` with bit-for-bit the same ranking and scores
 * (score_i = fround(sum over a of x_u[a] * Y[i][a]), summed in float64 in the order
 * a = 0..k-1; rated items skipped), with less work per request:
 *
 * - the item factors are stored once transposed (Yt, k x items, float32 as in the model), so
 *   the scores are built as k axpy passes `scores += x_u[a] * Yt[a]` over contiguous memory:
 *   every item's sum is an independent accumulator instead of one chain of dependent additions,
 *   and each item still adds its k terms in the same order as the row-by-row dot product;
 * - buffers (scores, skip mask, heap) are allocated once per server, not per request.
 *
 * The event loop runs one handler at a time and the TS path is synchronous, so the shared
 * buffers are never used twice at once.
 *
 * The model must not change (e.g. by partialFitUsers) while this serves it.
 */
import type { ALS, Recommendation } from '../als/model.js';
import { nativeAvailable } from '../als/selectBackend.js';
import { selectTopN, TopNHeap } from '../als/selectTopN.js';
import { invalidOption } from '../errors.js';
import type { ExternalId } from '../data/rawInteractions.js';

/** A user's ranked items by index: `items[0..kept)` best first, with their scores. */
export interface RankedItems {
  readonly items: Int32Array;
  readonly scores: Float32Array;
  readonly kept: number;
}

export class ServingRecommender {
  /** Which route `recommend` takes. */
  readonly path: 'native' | 'ts';
  private readonly k: number;
  private readonly items: number;
  /** Item factors transposed: Yt[a * items + i] = itemFactors[i * k + a]. */
  private readonly Yt: Float32Array;
  private readonly scores: Float64Array;
  private readonly skip: Uint8Array;
  private readonly heap: TopNHeap;
  /** The largest n a request may ask for. */
  private readonly maxN: number;

  constructor(private readonly model: ALS, maxN: number) {
    this.path = model.options.backend !== 'ts' && nativeAvailable() ? 'native' : 'ts';
    const s = model.state;
    this.k = model.options.factors;
    this.items = s.items.size;
    const m = this.items;
    const k = this.k;
    this.Yt = new Float32Array(k * m);
    for (let i = 0; i < m; i++) for (let a = 0; a < k; a++) this.Yt[a * m + i] = s.itemFactors[i * k + a]!;
    this.scores = new Float64Array(m);
    this.skip = new Uint8Array(m);
    this.maxN = maxN;
    // No list is longer than the catalog: the heap is sized by whichever is smaller.
    this.heap = new TopNHeap(Math.max(0, Math.min(maxN, m)));
  }

  /**
   * The top-n items for user `userId`, skipping the items they rated and `exclude` (item ids;
   * unknown ones are ignored, as in ALS.recommend). Rejects with UnknownIdError for an unknown
   * user.
   * @example await serving.recommend(196, 10, [])
   */
  async recommend(userId: ExternalId, n: number, exclude: readonly ExternalId[]): Promise<Recommendation[]> {
    this.clampN(n); // n is checked before the user
    const u = this.model.state.users.index(userId, 'user');
    const excluded = this.knownItems(exclude);
    return this.recommendations(await this.rankForUser(u, n, excluded));
  }

  /** The TS path: exactly `ALS.recommend(userId, { n, filterItems: exclude })`. */
  recommendTs(userId: ExternalId, n: number, exclude: readonly ExternalId[]): Recommendation[] {
    n = this.clampN(n);
    const u = this.model.state.users.index(userId, 'user');
    return this.recommendations(this.rankTs(u, n, this.knownItems(exclude)));
  }

  /**
   * The top-n items (indices) for user index `u`, skipping the items they rated and the item
   * indices `excluded`, by this server's route. For the request handler, which has resolved the
   * ids once already.
   * @example const ranked = await serving.rankForUser(0, 10, []);
   */
  async rankForUser(u: number, n: number, excluded: readonly number[]): Promise<RankedItems> {
    n = this.clampN(n);
    if (this.path === 'ts') return this.rankTs(u, n, excluded);
    // Ask for enough to drop the excluded items afterwards.
    const asked = Math.min(n + excluded.length, this.items);
    const top = await this.model.topNRows(Int32Array.of(u), asked, true);
    if (excluded.length === 0) return { items: top.items, scores: top.scores, kept: keptOf(top.items, n) };
    const items = new Int32Array(n);
    const scores = new Float32Array(n);
    let kept = 0;
    for (let j = 0; j < asked && kept < n; j++) {
      const i = top.items[j]!;
      if (i < 0) break;
      if (excluded.includes(i)) continue;
      items[kept] = i;
      scores[kept++] = top.scores[j]!;
    }
    return { items, scores, kept };
  }

  /** The TS route for user index `u`: scores by k axpy passes over Yt, ranked by selectTopN. */
  private rankTs(u: number, n: number, excluded: readonly number[]): RankedItems {
    const s = this.model.state;
    const { k, items: m, scores, skip, Yt } = this;
    // scores = Yt' x_u, one axpy per factor, each item summing in the order a = 0..k-1.
    scores.fill(0);
    for (let a = 0; a < k; a++) {
      const xa = s.userFactors[u * k + a]!;
      const row = a * m;
      for (let i = 0; i < m; i++) scores[i]! += xa * Yt[row + i]!;
    }
    skip.fill(0);
    for (let q = s.liked.indptr[u]!; q < s.liked.indptr[u + 1]!; q++) skip[s.liked.indices[q]!] = 1;
    for (const i of excluded) skip[i] = 1;
    return selectTopN(scores, n, skip, this.heap);
  }

  /** n in [1, maxN], clamped to the catalog size before anything is sized by it. */
  private clampN(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > this.maxN) throw invalidOption('n', `an integer between 1 and ${this.maxN}`, n);
    return Math.min(n, this.items);
  }

  /** The indices of the ids in `exclude` the model knows (unknown ones are ignored). */
  private knownItems(exclude: readonly ExternalId[]): number[] {
    const s = this.model.state;
    const out: number[] = [];
    for (const id of exclude) {
      const i = s.items.tryIndex(id);
      if (i >= 0) out.push(i);
    }
    return out;
  }

  private recommendations(ranked: RankedItems): Recommendation[] {
    const ids = this.model.state.items;
    const out: Recommendation[] = [];
    for (let j = 0; j < ranked.kept; j++) out.push({ itemId: ids.id(ranked.items[j]!), score: ranked.scores[j]! });
    return out;
  }
}

/** How many of the first `n` entries of a -1 padded row are items. */
function keptOf(items: Int32Array, n: number): number {
  let kept = 0;
  while (kept < n && kept < items.length && items[kept]! >= 0) kept++;
  return kept;
}

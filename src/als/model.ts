/**
 * The ALS model: the iteration loop, progress and loss live here, above the backend that does
 * each half-sweep (as in implicit, where Python drives the Cython kernels).
 */
import type { Movie } from '../data/dataset.js';
import type { Interactions } from '../matrix/interactions.js';
import { IdMap } from '../matrix/idMap.js';
import { scaleCsr, transposeCsr, type Csr } from '../matrix/csr.js';
import { invalidOption, NumericalError, AlsrecError } from '../errors.js';
import { resolveAlsOptions, integerIn, type AlsOptions, type ResolvedAlsOptions } from './options.js';
import { RowSolveError, type AlsBackend, type HalfSweepOptions } from './backend.js';
import { selectBackend } from './selectBackend.js';
import { initialFactors } from './initialFactors.js';
import { trainingLoss } from './trainingLoss.js';
import { TopNHeap } from './selectTopN.js';
import { resolveMovieTitle } from './resolveMovieTitle.js';

/** One recommended (or similar) movie or user, by external id. */
export interface Recommendation {
  readonly itemId: number;
  readonly score: number;
}

export interface RecommendOptions {
  /** How many. Default 10. */
  n?: number;
  /** Skip movies the user rated in the training data. Default true. */
  filterAlreadyLiked?: boolean;
  /** Movie ids never to recommend. */
  filterItems?: Iterable<number>;
  /** Only rank these movie ids. */
  items?: Iterable<number>;
}

/** What a fitted model holds. */
export interface FittedState {
  readonly users: IdMap;
  readonly items: IdMap;
  /** users x movies ratings seen in training (for filtering already-liked movies). */
  readonly liked: Csr;
  readonly movies: ReadonlyMap<number, Movie>;
  /** Row-major users x factors. */
  readonly userFactors: Float32Array;
  /** Row-major movies x factors. */
  readonly itemFactors: Float32Array;
}

/**
 * Implicit-feedback ALS (Hu, Koren & Volinsky 2008) as in implicit 0.7.
 *
 * @example
 * const model = new ALS({ factors: 50, iterations: 20 });
 * await model.fit(buildInteractions(dataset));
 * model.recommend(196, { n: 5 }); // [{ itemId, score }, ...]
 */
export class ALS {
  readonly options: ResolvedAlsOptions;
  private fitted: FittedState | null = null;
  private backendUsed: AlsBackend | null = null;
  private normsCache: { users?: Float32Array; items?: Float32Array } = {};

  constructor(options: AlsOptions = {}) {
    this.options = resolveAlsOptions(options);
  }

  /** Builds a fitted model from saved parts (used by model files and tests). */
  static fromState(state: FittedState, options: AlsOptions = {}): ALS {
    const model = new ALS(options);
    const k = model.options.factors;
    if (state.userFactors.length !== state.users.size * k || state.itemFactors.length !== state.items.size * k) {
      throw invalidOption('state', `factor arrays of ${state.users.size} x ${k} and ${state.items.size} x ${k}`, 'arrays of other lengths');
    }
    model.fitted = state;
    return model;
  }

  /** The backend that trained the model ('native' or 'ts'), or null before fit. */
  get backend(): 'native' | 'ts' | null {
    return this.backendUsed?.name ?? null;
  }

  /** The fitted state; throws before fit. */
  get state(): FittedState {
    if (this.fitted === null) throw new AlsrecError('The model is not fitted yet: call fit() first', 'ERR_ALSREC_NOT_FITTED');
    return this.fitted;
  }

  get userFactors(): Float32Array {
    return this.state.userFactors;
  }

  get itemFactors(): Float32Array {
    return this.state.itemFactors;
  }

  /**
   * Trains on `data` (its values are ratings; confidence c = alpha * r). Resolves when all
   * iterations are done; `onIteration` reports each one. Native half-sweeps run off the main
   * thread, so the event loop stays responsive.
   */
  async fit(data: Interactions): Promise<this> {
    const o = this.options;
    const backend = selectBackend(o.backend);
    const k = o.factors;
    const Cui = scaleCsr(data.matrix, o.alpha);
    const Ciu = transposeCsr(Cui);
    const { userFactors, itemFactors } = initialFactors(Cui.rows, Cui.cols, k, o.seed);
    const sweep: HalfSweepOptions = { solver: o.solver, regularization: o.regularization, cgSteps: o.cgSteps, threads: o.threads };
    for (let it = 1; it <= o.iterations; it++) {
      const t0 = performance.now();
      await halfSweepNamed(backend, Cui, userFactors, itemFactors, k, sweep, (row) => `user ${data.users.id(row)}`);
      await halfSweepNamed(backend, Ciu, itemFactors, userFactors, k, sweep, (row) => `movie ${data.items.id(row)}`);
      const seconds = (performance.now() - t0) / 1000;
      const loss = o.calculateTrainingLoss ? trainingLoss(Cui, userFactors, itemFactors, k, o.regularization) : undefined;
      o.onIteration?.(it, seconds, loss);
      // The TS backend computes on the main thread: let timers and I/O run between iterations.
      if (backend.name === 'ts') await new Promise((resolve) => setImmediate(resolve));
    }
    assertFinite(userFactors, k, (row) => `user ${data.users.id(row)}`);
    assertFinite(itemFactors, k, (row) => `movie ${data.items.id(row)}`);
    this.backendUsed = backend;
    this.normsCache = {};
    this.fitted = { users: data.users, items: data.items, liked: data.matrix, movies: data.movies, userFactors, itemFactors };
    return this;
  }

  /**
   * The top-n movies for one user, best first. Unknown user → UnknownIdError.
   * @example model.recommend(196, { n: 5 })
   */
  recommend(userId: number, options: RecommendOptions = {}): Recommendation[] {
    const s = this.state;
    const k = this.options.factors;
    const n = integerIn('n', options.n ?? 10, 1, 1_000_000);
    const u = s.users.index(userId, 'user');
    const skip = new Uint8Array(s.items.size);
    if (options.filterAlreadyLiked ?? true) {
      for (let q = s.liked.indptr[u]!; q < s.liked.indptr[u + 1]!; q++) skip[s.liked.indices[q]!] = 1;
    }
    for (const id of options.filterItems ?? []) {
      const i = s.items.tryIndex(id);
      if (i >= 0) skip[i] = 1;
    }
    const candidates = options.items === undefined ? null : s.items.indices([...options.items], 'movie');
    const heap = new TopNHeap(n);
    const score = (i: number) => {
      if (skip[i] === 1) return;
      heap.push(i, Math.fround(dotRows(s.userFactors, u, s.itemFactors, i, k)));
    };
    if (candidates === null) for (let i = 0; i < s.items.size; i++) score(i);
    else for (const i of candidates) score(i);
    return this.collect(heap, n, s.items);
  }

  /**
   * Top-n for many users at once through the backend's batch path (native when available).
   * Returns one list per requested user, in order.
   */
  async recommendMany(userIds: ArrayLike<number>, options: Pick<RecommendOptions, 'n' | 'filterAlreadyLiked'> = {}): Promise<Recommendation[][]> {
    const s = this.state;
    const n = integerIn('n', options.n ?? 10, 1, 1_000_000);
    const rows = s.users.indices(userIds, 'user');
    const backend = this.backendUsed ?? selectBackend(this.options.backend);
    const exclude = (options.filterAlreadyLiked ?? true) ? s.liked : null;
    const top = await backend.topN(s.userFactors, s.itemFactors, this.options.factors, rows, n, exclude, this.options.threads);
    const out: Recommendation[][] = [];
    for (let r = 0; r < rows.length; r++) {
      const list: Recommendation[] = [];
      for (let j = 0; j < n; j++) {
        const i = top.items[r * n + j]!;
        if (i < 0) break;
        list.push({ itemId: s.items.id(i), score: top.scores[r * n + j]! });
      }
      out.push(list);
    }
    return out;
  }

  /** The n movies most similar to `itemId` by cosine of their factors, excluding itself. */
  similarItems(itemId: number, n = 10): Recommendation[] {
    const s = this.state;
    const norms = (this.normsCache.items ??= rowNorms(s.itemFactors, this.options.factors));
    return this.cosineTopN(s.itemFactors, norms, s.items.index(itemId, 'movie'), n, s.items);
  }

  /** The n users most similar to `userId` by cosine of their factors, excluding themselves. */
  similarUsers(userId: number, n = 10): Recommendation[] {
    const s = this.state;
    const norms = (this.normsCache.users ??= rowNorms(s.userFactors, this.options.factors));
    return this.cosineTopN(s.userFactors, norms, s.users.index(userId, 'user'), n, s.users);
  }

  /**
   * Movies similar to the one `title` names (case-insensitive; several matches → an
   * AmbiguousTitleError listing them).
   * @example model.similarMovies('Star Wars (1977)', 3)
   */
  similarMovies(title: string, n = 10): Array<Recommendation & { title: string }> {
    const movie = resolveMovieTitle(this.state.movies, title);
    return this.similarItems(movie.id, n).map((r) => ({ ...r, title: this.title(r.itemId) }));
  }

  /** A movie's title, or `unknown movie N`. */
  title(itemId: number): string {
    return this.state.movies.get(itemId)?.title ?? `unknown movie ${itemId}`;
  }

  private cosineTopN(F: Float32Array, norms: Float32Array, row: number, n: number, ids: IdMap): Recommendation[] {
    const k = this.options.factors;
    integerIn('n', n, 1, 1_000_000);
    const heap = new TopNHeap(n);
    const qn = norms[row]!;
    for (let j = 0; j < ids.size; j++) {
      if (j === row) continue;
      const denom = qn * norms[j]!;
      heap.push(j, denom > 0 ? Math.fround(dotRows(F, row, F, j, k) / denom) : 0);
    }
    return this.collect(heap, n, ids);
  }

  private collect(heap: TopNHeap, n: number, ids: IdMap): Recommendation[] {
    const items = new Int32Array(n);
    const scores = new Float32Array(n);
    const kept = heap.drainInto(items, scores, 0);
    const out: Recommendation[] = [];
    for (let j = 0; j < kept; j++) out.push({ itemId: ids.id(items[j]!), score: scores[j]! });
    return out;
  }
}

async function halfSweepNamed(
  backend: AlsBackend,
  C: Csr,
  X: Float32Array,
  Y: Float32Array,
  k: number,
  options: HalfSweepOptions,
  name: (row: number) => string,
): Promise<void> {
  try {
    await backend.halfSweep(C, X, Y, k, options);
  } catch (err) {
    if (err instanceof RowSolveError) {
      throw new NumericalError(`Cholesky failed for ${name(err.row)}; increase regularization (now ${options.regularization})`);
    }
    throw err;
  }
}

function assertFinite(F: Float32Array, k: number, name: (row: number) => string): void {
  for (let j = 0; j < F.length; j++) {
    if (!Number.isFinite(F[j]!)) {
      throw new NumericalError(`Training produced a non-finite factor for ${name(Math.floor(j / k))}; increase regularization`);
    }
  }
}

function dotRows(A: Float32Array, a: number, B: Float32Array, b: number, k: number): number {
  let s = 0;
  const ao = a * k;
  const bo = b * k;
  for (let j = 0; j < k; j++) s += A[ao + j]! * B[bo + j]!;
  return s;
}

function rowNorms(F: Float32Array, k: number): Float32Array {
  const rows = F.length / k;
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) out[r] = Math.sqrt(dotRows(F, r, F, r, k));
  return out;
}

/**
 * The ALS model: the iteration loop, progress and loss live here, above the backend that does
 * each half-sweep (as in implicit, where Python drives the Cython kernels).
 */
import type { ItemInfo } from '../data/dataset.js';
import type { ExternalId } from '../data/rawInteractions.js';
import type { Interactions } from '../matrix/interactions.js';
import { checkExternalId, type IdMap } from '../matrix/idMap.js';
import { buildCsr, transposeCsr, type Csr } from '../matrix/csr.js';
import { invalidOption, NumericalError, AlsrecError } from '../errors.js';
import { resolveAlsOptions, integerIn, type AlsOptions, type ResolvedAlsOptions } from './options.js';
import { RowSolveError, type AlsBackend, type HalfSweepOptions, type PinnedFactors, type TopNResult } from './backend.js';
import { solveRowsCholesky } from './tsBackend.js';
import { readModelFile, savedTrainingOptions, writeModelFile } from '../persistence/modelFile.js';
import type { AtomicWriteOptions } from '../persistence/atomicWrite.js';
import { entriesFromPairs, mergeRows, rowOf, type RowEntries } from '../matrix/mergeRows.js';
import { selectBackend } from './selectBackend.js';
import { initialFactors } from './initialFactors.js';
import { trainingLoss } from './trainingLoss.js';
import type { TrainingLossHistory } from './trainingLossHistory.js';
import { confidenceMatrix, confidenceValue } from './confidenceMatrix.js';
import { halfSweepScaling } from './objective.js';
import { TopNHeap } from './selectTopN.js';
import { resolveItemTitle } from './resolveItemTitle.js';
import type { FromSparkOptions } from '../spark/importSparkModel.js';
import { assertStateIntact, checkFittedState, checkInteractions } from './checkFittedState.js';
import { gram } from './tsBackend.js';
import { modelInfoNow, type ModelInfo } from '../persistence/modelInfo.js';
import { assertWeightsOf, explanationFor, weightsFromRatings, type ExplainOptions, type Explanation, type UserWeights } from './scoreExplanation.js';

/**
 * One recommended (or similar) item, or similar user, by external id exactly as the model holds
 * it (a number on an integer side, a string on a string side).
 */
export interface Recommendation {
  readonly itemId: ExternalId;
  readonly score: number;
}

export interface RecommendOptions {
  /** How many. Default 10. */
  n?: number;
  /** Skip items the user rated in the training data. Default true. */
  filterAlreadyLiked?: boolean;
  /** Item ids never to recommend. */
  filterItems?: Iterable<ExternalId>;
  /** Only rank these item ids. */
  items?: Iterable<ExternalId>;
}

export interface FitOptions {
  /**
   * Start from these factors (row-major users x factors and movies x factors; copied) instead of
   * the seeded random ones, e.g. to continue training or to study sensitivity.
   */
  initialFactors?: { readonly userFactors: Float32Array; readonly itemFactors: Float32Array };
}

/** What a fitted model holds. */
export interface FittedState {
  readonly users: IdMap;
  readonly items: IdMap;
  /** users x movies ratings seen in training (for filtering already-liked movies). */
  readonly liked: Csr;
  /** Item titles (and MovieLens years and genres) by item id; may be empty. */
  readonly movies: ReadonlyMap<ExternalId, ItemInfo>;
  /** Row-major users x factors. */
  readonly userFactors: Float32Array;
  /** Row-major movies x factors. */
  readonly itemFactors: Float32Array;
  /** A JSON-serializable evaluation summary saved with the model (optional). */
  readonly evaluation?: Readonly<Record<string, unknown>> | undefined;
  /** The loss after each training iteration, when the fit computed it (`calculateTrainingLoss`). */
  readonly trainingLoss?: TrainingLossHistory | undefined;
  /**
   * When the factors were last computed and by which alsrec (the model file's INFO section):
   * set by fit and the partial fits, read back by load, from Spark's metadata on import.
   */
  readonly info?: ModelInfo | undefined;
}

/**
 * A new user's ratings: `[{ itemId, rating }]` or a Map itemId -> rating. (`movieId` in place of
 * `itemId` is still read, deprecated.)
 */
export type NewUserRatings =
  | ReadonlyArray<{ readonly itemId: ExternalId; readonly rating: number } | { readonly movieId: ExternalId; readonly rating: number }>
  | ReadonlyMap<ExternalId, number>;

/** Per id, the (otherId, rating) pairs of a partial fit: item ids for users, user ids for items. */
export type PartialFitRows = ReadonlyArray<Iterable<readonly [ExternalId, number]>>;

export interface PartialFitOptions {
  /**
   * false (default): the pairs are added to what the model already holds for that id (a pair for
   * an already-rated movie replaces its rating). true: they replace the id's whole row.
   */
  replace?: boolean;
}

/** Options a loaded model takes: how to compute, not what was trained. */
export type LoadOptions = Pick<AlsOptions, 'backend' | 'threads'>;

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
  /**
   * YtY of the movie factors (float64, k x k) for new-user fold-ins, with the array it was
   * computed from: a fold-in then costs O(ratings * k^2 + k^3) instead of O(movies * k^2).
   * Any mutation that replaces the movie factors makes a new array, so the identity check is
   * the invalidation.
   */
  private gramCache: { of: Float32Array; YtY: Float64Array } | null = null;
  private pinnedItems: { of: Float32Array; backend: AlsBackend; table: PinnedFactors } | null = null;
  /**
   * The tail of the queue of mutations (fit, partial fits). Each one reads the state, awaits the
   * backend, then replaces the state; two running at once would both start from the same state
   * and the later commit would drop the earlier one's update. They run one after the other, in
   * call order; a failed one does not stop the next.
   */
  private mutations: Promise<unknown> = Promise.resolve();

  constructor(options: AlsOptions = {}) {
    this.options = resolveAlsOptions(options);
  }

  /** Builds a fitted model from saved parts (used by model files and tests). */
  static fromState(state: FittedState, options: AlsOptions = {}): ALS {
    const model = new ALS(options);
    checkFittedState(state, model.options.factors, 'state');
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

  /** The fitted state, checked to be whole (O(1)) before computing on it. */
  private intactState(): FittedState {
    const s = this.state;
    assertStateIntact(s, this.options.factors);
    return s;
  }

  get userFactors(): Float32Array {
    return this.state.userFactors;
  }

  get itemFactors(): Float32Array {
    return this.state.itemFactors;
  }

  /** The evaluation summary saved with the model, if any. */
  get evaluation(): Readonly<Record<string, unknown>> | undefined {
    return this.state.evaluation;
  }

  /** The training loss per iteration recorded by the fit (`calculateTrainingLoss`), if any. */
  get trainingLoss(): TrainingLossHistory | undefined {
    return this.state.trainingLoss;
  }

  /**
   * Attaches a JSON-serializable evaluation summary that {@link ALS.save} stores with the model.
   * @example model.setEvaluation({ metric: 'precision@10', value: 0.31 });
   */
  setEvaluation(summary: Readonly<Record<string, unknown>> | undefined): this {
    if (summary !== undefined && (summary === null || typeof summary !== 'object' || Array.isArray(summary))) {
      throw invalidOption('evaluation', 'a plain object', summary);
    }
    this.fitted = { ...this.state, evaluation: summary };
    return this;
  }

  /**
   * Saves the fitted model (options, id maps, titles, training ratings, factors, evaluation) to
   * `path` in the `.alsrec` format (docs/model-format.md). The write is atomic: a crash leaves
   * any previous file at `path` intact.
   * @example await model.save('model.alsrec');
   */
  async save(path: string, options: AtomicWriteOptions = {}): Promise<void> {
    const s = this.intactState();
    await writeModelFile(path, { ...s, options: savedTrainingOptions(this.options) }, options);
  }

  /**
   * Loads a model saved by {@link ALS.save}, validating it (magic, version, checksum,
   * dimensions). The factors are views over the file's bytes, not copies.
   * @throws ModelFileError naming the file when it is truncated, corrupted, newer or inconsistent.
   * @example const model = await ALS.load('model.alsrec'); model.recommend(196);
   */
  static async load(path: string, options: LoadOptions = {}): Promise<ALS> {
    const { options: saved, ...state } = await readModelFile(path);
    return ALS.fromState(state, { ...saved, ...pickLoadOptions(options) });
  }

  /**
   * Imports a model saved by Apache Spark MLlib (`ALSModel.save`, Spark 2.x/3.x): its factors
   * as they are, ids in ascending order, optionally with item titles and the interactions Spark
   * trained on (then already-seen items are filtered). See docs/spark.md.
   * @throws DataFormatError naming the file when the folder is not a Spark ALSModel.
   * @example const model = await ALS.fromSpark('spark-model', { items: 'ml-25m/movies.csv' }); model.recommend(1);
   */
  static async fromSpark(dir: string, options: FromSparkOptions = {}): Promise<ALS> {
    // Loaded on first use: the Parquet reader is needed by this path only.
    const { importSparkModel } = await import('../spark/importSparkModel.js');
    return importSparkModel(dir, options);
  }

  /**
   * Trains on `data` (its values are ratings; confidence c = alpha * r, or 1 + alpha * |r| with
   * convention 'spark'; docs/model.md). Resolves when all
   * iterations are done; `onIteration` reports each one. Native half-sweeps run off the main
   * thread, so the event loop stays responsive.
   */
  async fit(data: Interactions, fitOptions: FitOptions = {}): Promise<this> {
    return this.serialized(() => this.fitNow(data, fitOptions));
  }

  /** Runs `mutate` after every mutation queued before it has settled (see `mutations`). */
  private serialized<T>(mutate: () => Promise<T>): Promise<T> {
    const run = this.mutations.then(mutate, mutate);
    this.mutations = run.then(noop, noop);
    return run;
  }

  private async fitNow(data: Interactions, fitOptions: FitOptions): Promise<this> {
    checkInteractions(data, 'data');
    if (fitOptions === null || typeof fitOptions !== 'object') throw invalidOption('fitOptions', 'an object', fitOptions);
    const o = this.options;
    const backend = selectBackend(o.backend);
    const k = o.factors;
    const Cui = confidenceMatrix(data, o.alpha, o.recencyHalfLife, o.convention);
    const Ciu = transposeCsr(Cui);
    const { userFactors, itemFactors } = startingFactors(Cui.rows, Cui.cols, k, o.seed, fitOptions.initialFactors);
    const sweep: HalfSweepOptions = { solver: o.solver, regularization: o.regularization, cgSteps: o.cgSteps, threads: o.threads };
    const userSweep: HalfSweepOptions = { ...sweep, objective: halfSweepScaling(o, Cui.cols) };
    const itemSweep: HalfSweepOptions = { ...sweep, objective: halfSweepScaling(o, Cui.rows) };
    const history = { loss: [] as number[], seconds: [] as number[] };
    for (let it = 1; it <= o.iterations; it++) {
      const t0 = performance.now();
      await halfSweepNamed(backend, Cui, userFactors, itemFactors, k, userSweep, (row) => `user ${data.users.id(row)}`);
      await halfSweepNamed(backend, Ciu, itemFactors, userFactors, k, itemSweep, (row) => `item ${data.items.id(row)}`);
      const seconds = (performance.now() - t0) / 1000;
      const loss = o.calculateTrainingLoss ? trainingLoss(Cui, userFactors, itemFactors, k, o.regularization, o) : undefined;
      if (loss !== undefined) {
        history.loss.push(loss);
        history.seconds.push(seconds);
      }
      o.onIteration?.(it, seconds, loss);
      // The TS backend computes on the main thread: let timers and I/O run between iterations.
      if (backend.name === 'ts') await new Promise((resolve) => setImmediate(resolve));
    }
    assertFinite(userFactors, k, (row) => `user ${data.users.id(row)}`);
    assertFinite(itemFactors, k, (row) => `item ${data.items.id(row)}`);
    this.backendUsed = backend;
    this.normsCache = {};
    this.fitted = { users: data.users, items: data.items, liked: data.matrix, movies: data.movies, userFactors, itemFactors, info: modelInfoNow() };
    if (history.loss.length > 0) this.fitted = { ...this.fitted, trainingLoss: history };
    return this;
  }

  /**
   * The top-n movies for one user, best first. Unknown user → UnknownIdError.
   * @example model.recommend(196, { n: 5 })
   */
  recommend(userId: ExternalId, options: RecommendOptions = {}): Recommendation[] {
    const s = this.intactState();
    const u = s.users.index(userId, 'user');
    return this.rankItems(s.userFactors, u, rowOf(s.liked, u).indices, options);
  }

  /**
   * Recommendations for a user the model was not trained on, from their ratings alone: their
   * factors are the exact least-squares solve of that one row against the fixed movie factors
   * (implicit's `recalculate_user`; Cholesky, with the model's objective: its convention,
   * unobserved weight and frequency-scaled regularization), then ranked as in
   * {@link ALS.recommend}. Movies they rated are skipped unless `filterAlreadyLiked` is false.
   * The ratings carry no timestamps, so with `recencyHalfLife` they count as equally recent.
   * @throws UnknownIdError for a movie the model does not know; InvalidOptionError for no
   *   ratings, a repeated movie, or a rating that is not a finite non-zero number.
   * @example model.recommendForNewUser([{ movieId: 50, rating: 5 }, { movieId: 172, rating: 4 }], { n: 5 })
   */
  recommendForNewUser(ratings: NewUserRatings, options: RecommendOptions = {}): Recommendation[] {
    const { x, rated } = this.newUserFactors(ratings);
    return this.rankItems(x, 0, rated, options);
  }

  /**
   * A new user's factors (length = factors) from their ratings, as in
   * {@link ALS.recommendForNewUser}. `rated` lists the rated movies' column indices (ascending),
   * `ratedValues` their ratings in the same order.
   */
  newUserFactors(ratings: NewUserRatings): { x: Float32Array; rated: Int32Array; ratedValues: Float32Array } {
    const s = this.intactState();
    const o = this.options;
    const row = this.newUserRow(ratings);
    // One-row CSR of confidences (c = alpha * r, or the Spark convention's), solved exactly:
    // x = (a0*YtY + Yt(Cu - a0*I)Y + lambda_u*I)^-1 Yt Cu p_u
    const values = Float32Array.from(row.data, (r) => confidenceValue(r, o.alpha, o.convention));
    const C = buildCsr(new Int32Array(row.indices.length), row.indices, values, 1, s.items.size);
    const x = new Float32Array(o.factors);
    try {
      // The cached YtY is the plain Gram; solveRowsCholesky scales it by a0 in its own copy.
      solveRowsCholesky(C, x, s.itemFactors, o.factors, o.regularization, halfSweepScaling(o, s.items.size), this.itemGram(s.itemFactors));
    } catch (err) {
      if (err instanceof RowSolveError) throw new NumericalError(`Cholesky failed for the new user; increase regularization (now ${o.regularization})`);
      throw err;
    }
    return { x, rated: row.indices, ratedValues: row.data };
  }

  /** A new user's ratings as one row (ascending item indices), validated. */
  private newUserRow(ratings: NewUserRatings): RowEntries {
    if (ratings === null || typeof ratings !== 'object') throw invalidOption('ratings', 'an array of { itemId, rating } or a Map', ratings);
    const pairs: Array<[ExternalId, number]> = ratings instanceof Map
      ? [...ratings.entries()]
      : (ratings as ReadonlyArray<{ itemId?: ExternalId; movieId?: ExternalId; rating: number }>).map((r) => [r?.itemId ?? r?.movieId!, r?.rating]);
    if (pairs.length === 0) throw invalidOption('ratings', 'at least one (itemId, rating) pair', ratings);
    return entriesFromPairs(pairs, this.state.items, 'item', 'ratings');
  }

  /**
   * Why the model recommends `itemId` to `userId` (Hu, Koren & Volinsky 2008, section 5, as
   * implicit's `explain`): the score split over the items the user rated, through their weighted
   * regularized Gram matrix W_u (src/als/explain.ts). `score` is the sum of every contribution:
   * the score of the user's exact solve against the current item factors; `modelScore` is what
   * {@link ALS.recommend} ranks by. They are equal for users from fold-in or partial fits, and
   * close for trained users once training has converged (src/als/scoreExplanation.ts says why).
   * Pass `explanation.userWeights` back as `options.userWeights` to explain more items for the
   * same user without a new factorization.
   * @throws UnknownIdError for an unknown user or item.
   * @example
   * const why = model.explain(196, 50, { n: 3 });
   * why.contributions; // [{ itemId, contribution, share }, ...], largest first
   */
  explain(userId: ExternalId, itemId: ExternalId, options: ExplainOptions = {}): Explanation {
    const s = this.intactState();
    const k = this.options.factors;
    const u = s.users.index(userId, 'user');
    const i = s.items.index(itemId, 'item');
    const { n, weights } = this.explainOptions(options);
    const { indices, data } = rowOf(s.liked, u);
    const w = weights === undefined
      ? weightsFromRatings(s, this.options, indices, data, this.itemGram(s.itemFactors), `user ${userId}`)
      : assertWeightsOf(weights, s, this.options, indices, data, `user ${userId}`);
    return explanationFor(s, w, s.userFactors.subarray(u * k, (u + 1) * k), i, n);
  }

  /**
   * The weights {@link ALS.explain} uses for `userId` (implicit's `user_weights`): one Cholesky
   * factorization, reusable for every item explained for that user until the model changes.
   * @example const w = model.userWeights(196); model.explain(196, 50, { userWeights: w });
   */
  userWeights(userId: ExternalId): UserWeights {
    const s = this.intactState();
    const { indices, data } = rowOf(s.liked, s.users.index(userId, 'user'));
    return weightsFromRatings(s, this.options, indices, data, this.itemGram(s.itemFactors), `user ${userId}`);
  }

  /**
   * {@link ALS.explain} for a user folded in from `ratings`, as {@link ALS.recommendForNewUser}
   * scores them: `score` and `modelScore` agree up to float32 rounding, because the folded-in
   * factors are the exact solve that the decomposition splits.
   * @example model.explainForNewUser([{ movieId: 50, rating: 5 }, { movieId: 172, rating: 4 }], 181, { n: 2 })
   */
  explainForNewUser(ratings: NewUserRatings, itemId: ExternalId, options: ExplainOptions = {}): Explanation {
    const s = this.intactState();
    const { n, weights } = this.explainOptions(options);
    if (weights === undefined) {
      const { x, rated, ratedValues } = this.newUserFactors(ratings);
      const i = s.items.index(itemId, 'item');
      const w = weightsFromRatings(s, this.options, rated, ratedValues, this.itemGram(s.itemFactors), 'the new user');
      // The folded-in factors travel with the weights, so the next item needs no solve at all.
      return explanationFor(s, { ...w, userFactors: x }, x, i, n);
    }
    const row = this.newUserRow(ratings);
    const i = s.items.index(itemId, 'item');
    const w = assertWeightsOf(weights, s, this.options, row.indices, row.data, 'the new user');
    if (w.userFactors === undefined) throw invalidOption('userWeights', 'the weights of an earlier explainForNewUser', weights);
    return explanationFor(s, w, w.userFactors, i, n);
  }

  private explainOptions(options: ExplainOptions): { n: number; weights: UserWeights | undefined } {
    if (options === null || typeof options !== 'object') throw invalidOption('options', 'an object', options);
    return { n: integerIn('n', options.n ?? 10, 1, 1_000_000), weights: options.userWeights };
  }

  /**
   * Adds or changes users without retraining: each user's factors are solved exactly (Cholesky)
   * against the fixed movie factors from their whole updated row; every other user's and every
   * movie's factors stay as they are. New user ids are appended at the end of the id map (existing
   * indices never move). The training ratings (`liked`) are updated.
   * @throws UnknownIdError for a movie the model does not know.
   * @example await model.partialFitUsers([944], [[[50, 5], [172, 4]]]);
   */
  async partialFitUsers(userIds: ArrayLike<ExternalId>, rows: PartialFitRows, options: PartialFitOptions = {}): Promise<this> {
    return this.partialFit('user', userIds, rows, options);
  }

  /**
   * Adds or changes movies without retraining, the mirror of {@link ALS.partialFitUsers}: rows
   * are (userId, rating) pairs per movie; each movie's factors are solved against the fixed user
   * factors. New movie ids append at the end of the id map; they have no title until one is set.
   * @throws UnknownIdError for a user the model does not know.
   * @example await model.partialFitItems([1683], [[[196, 4], [186, 5]]]);
   */
  async partialFitItems(itemIds: ArrayLike<ExternalId>, rows: PartialFitRows, options: PartialFitOptions = {}): Promise<this> {
    return this.partialFit('item', itemIds, rows, options);
  }

  private partialFit(kind: 'user' | 'item', ids: ArrayLike<ExternalId>, rows: PartialFitRows, options: PartialFitOptions): Promise<this> {
    return this.serialized(() => this.partialFitNow(kind, ids, rows, options));
  }

  /** YtY of `itemFactors` (the current movie factors), computed once per factor array. */
  private itemGram(itemFactors: Float32Array): Float64Array {
    if (this.gramCache?.of !== itemFactors) this.gramCache = { of: itemFactors, YtY: gram(itemFactors, this.state.items.size, this.options.factors) };
    return this.gramCache.YtY;
  }

  private async partialFitNow(kind: 'user' | 'item', ids: ArrayLike<ExternalId>, rows: PartialFitRows, options: PartialFitOptions): Promise<this> {
    const s = this.intactState();
    const o = this.options;
    if (o.recencyHalfLife > 0) {
      throw new AlsrecError(
        `Partial fits need the ratings' timestamps when recencyHalfLife is set (${o.recencyHalfLife} days), and the model does not keep them; train a new model instead`,
        'ERR_ALSREC_UNSUPPORTED',
      );
    }
    const k = o.factors;
    const what = kind === 'user' ? 'userIds' : 'itemIds';
    if (ids === null || typeof ids !== 'object' || typeof ids.length !== 'number') throw invalidOption(what, 'an array of ids', ids);
    if (!Array.isArray(rows) || rows.length !== ids.length) throw invalidOption('rows', `an array with one row per id (${ids.length})`, rows);
    if (options === null || typeof options !== 'object') throw invalidOption('options', 'an object', options);
    const replace = options.replace ?? false;
    const byUser = kind === 'user';
    const own = byUser ? s.users : s.items;
    const other = byUser ? s.items : s.users;
    const matrix = byUser ? s.liked : transposeCsr(s.liked);

    // Validate everything before changing anything.
    const added: ExternalId[] = [];
    const addedAt = new Map<ExternalId, number>();
    const targets = new Int32Array(ids.length);
    const updates = new Map<number, RowEntries>();
    for (let j = 0; j < ids.length; j++) {
      const given = ids[j];
      checkExternalId(given, `${kind} id`);
      const id = own.canonical(given);
      if (id === undefined) throw invalidOption(`${kind} id`, `an integer id (the model's ${kind} ids are integers)`, given);
      let r = own.tryIndex(id);
      if (r < 0) {
        r = addedAt.get(id) ?? own.size + added.length;
        if (!addedAt.has(id)) added.push(id);
        addedAt.set(id, r);
      }
      if (updates.has(r)) throw invalidOption(what, 'each id at most once', `${kind} ${String(id)} twice`);
      updates.set(r, entriesFromPairs(rows[j]!, other, byUser ? 'item' : 'user', `the row of ${kind} ${String(id)}`));
      targets[j] = r;
    }
    const grown = own.append(added, `${kind} id`);
    const updated = mergeRows(matrix, grown.size, other.size, updates, replace);
    const ownFactors = new Float32Array(grown.size * k);
    ownFactors.set(byUser ? s.userFactors : s.itemFactors);

    // Solve the touched rows exactly against the fixed other side: one Cholesky half-sweep over
    // a CSR holding only those rows, with the training objective (confidences, a0, lambda_u).
    const sub = selectRows(updated, targets, (r) => confidenceValue(r, o.alpha, o.convention));
    const X = new Float32Array(targets.length * k);
    const backend = this.backendUsed ?? selectBackend(o.backend);
    const sweep: HalfSweepOptions = {
      solver: 'cholesky', regularization: o.regularization, cgSteps: o.cgSteps, threads: o.threads, objective: halfSweepScaling(o, other.size),
    };
    await halfSweepNamed(backend, sub, X, byUser ? s.itemFactors : s.userFactors, k, sweep, (row) => `${kind} ${grown.id(targets[row]!)}`);
    assertFinite(X, k, (row) => `${kind} ${grown.id(targets[row]!)}`);
    for (let j = 0; j < targets.length; j++) ownFactors.set(X.subarray(j * k, (j + 1) * k), targets[j]! * k);

    // Mutations are serialized, so only setEvaluation (synchronous) can have changed the state
    // since `s` was read: start from the current state to keep it.
    const now = this.state;
    this.fitted = byUser
      ? { ...now, users: grown, liked: updated, userFactors: ownFactors, info: modelInfoNow() }
      : { ...now, items: grown, liked: transposeCsr(updated), itemFactors: ownFactors, info: modelInfoNow() };
    this.normsCache = {};
    return this;
  }

  /** Ranks every item (or `options.items`) for row `u` of `X`, skipping `rated` when asked. */
  private rankItems(X: Float32Array, u: number, rated: Int32Array, options: RecommendOptions): Recommendation[] {
    const s = this.state;
    const k = this.options.factors;
    if (options === null || typeof options !== 'object') throw invalidOption('options', 'an object', options);
    const skip = new Uint8Array(s.items.size);
    if (options.filterAlreadyLiked ?? true) for (const i of rated) skip[i] = 1;
    for (const id of iterableOption('filterItems', options.filterItems ?? [])) {
      const i = s.items.tryIndex(id);
      if (i >= 0) skip[i] = 1;
    }
    // A movie listed twice in `items` is ranked once.
    const candidates = options.items === undefined ? null : uniqueIndices(s.items.indices([...iterableOption('items', options.items)], 'item'));
    // n is clamped to the candidates before the heap is sized by it.
    const n = Math.min(integerIn('n', options.n ?? 10, 1, 1_000_000), candidates === null ? s.items.size : candidates.length);
    const heap = new TopNHeap(n);
    const score = (i: number) => {
      if (skip[i] === 1) return;
      heap.push(i, Math.fround(dotRows(X, u, s.itemFactors, i, k)));
    };
    if (candidates === null) for (let i = 0; i < s.items.size; i++) score(i);
    else for (const i of candidates) score(i);
    return this.collect(heap, n, s.items);
  }

  /**
   * Top-n for many users at once through the backend's batch path (native when available).
   * Returns one list per requested user, in order.
   */
  async recommendMany(userIds: ArrayLike<ExternalId>, options: Pick<RecommendOptions, 'n' | 'filterAlreadyLiked'> = {}): Promise<Recommendation[][]> {
    const s = this.intactState();
    if (options === null || typeof options !== 'object') throw invalidOption('options', 'an object', options);
    if (userIds === null || typeof userIds !== 'object' || typeof userIds.length !== 'number') throw invalidOption('userIds', 'an array of user ids', userIds);
    // The output is rows x n: n beyond the catalog would only add padding, so it is clamped first.
    const n = Math.min(integerIn('n', options.n ?? 10, 1, 1_000_000), Math.max(1, s.items.size));
    const rows = s.users.indices(userIds, 'user');
    const top = await this.topNRows(rows, n, options.filterAlreadyLiked ?? true);
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

  /**
   * {@link recommendMany} in matrix index space: `rows` are user indices (of `state.users`), the
   * result holds movie indices (of `state.items`), n per row, -1 padded. For evaluation and
   * bulk export, where building objects per recommendation would dominate.
   */
  async topNRows(rows: Int32Array, n: number, filterAlreadyLiked = true): Promise<TopNResult> {
    const s = this.intactState();
    integerIn('n', n, 1, 1_000_000);
    if (!(rows instanceof Int32Array)) throw invalidOption('rows', 'an Int32Array of user indices', rows);
    for (const u of rows) if (!(u >= 0 && u < s.users.size)) throw invalidOption('rows', `user indices in [0, ${s.users.size})`, u);
    const backend = this.backendUsed ?? selectBackend(this.options.backend);
    // The backend ranks at most the catalog; the caller's stride n is padded afterwards.
    const ranked = Math.min(n, Math.max(1, s.items.size));
    const top = await backend.topN(s.userFactors, this.scoringItems(backend, s.itemFactors), this.options.factors, rows, ranked, filterAlreadyLiked ? s.liked : null, this.options.threads);
    return ranked === n ? top : padTopN(top, rows.length, ranked, n);
  }

  /**
   * Scores of every movie for the user indices `rows` (row-major rows.length x movies), as the
   * backend ranks them; for evaluation. Batch the rows for large catalogues.
   */
  async scoreRows(rows: Int32Array): Promise<Float32Array> {
    const s = this.intactState();
    for (const u of rows) if (!(u >= 0 && u < s.users.size)) throw invalidOption('rows', `user indices in [0, ${s.users.size})`, u);
    const backend = this.backendUsed ?? selectBackend(this.options.backend);
    return backend.scoreRows(s.userFactors, this.scoringItems(backend, s.itemFactors), this.options.factors, rows, this.options.threads);
  }

  /**
   * The item factors as the backend scores them: pinned once per factor array where the backend
   * can (native calls otherwise copy all of Y each time, 4 MB per request for 80,000 items at
   * k = 13). Like the YtY cache, this relies on published factor arrays never being written in
   * place: fits and partial fits publish new arrays.
   */
  private scoringItems(backend: AlsBackend, itemFactors: Float32Array): Float32Array | PinnedFactors {
    if (backend.pinFactors === undefined) return itemFactors;
    if (this.pinnedItems?.of !== itemFactors || this.pinnedItems.backend !== backend) {
      this.pinnedItems = { of: itemFactors, backend, table: backend.pinFactors(itemFactors, this.options.factors) };
    }
    return this.pinnedItems.table;
  }

  /**
   * The n items most similar to `itemId` by cosine of their factors, excluding itself.
   * @example model.similarItems('sku-9', 5) // [{ itemId: 'sku-12', score: 0.93 }, ...]
   */
  similarItems(itemId: ExternalId, n = 10): Recommendation[] {
    const s = this.intactState();
    const norms = (this.normsCache.items ??= rowNorms(s.itemFactors, this.options.factors));
    return this.cosineTopN(s.itemFactors, norms, s.items.index(itemId, 'item'), n, s.items);
  }

  /** The n users most similar to `userId` by cosine of their factors, excluding themselves. */
  similarUsers(userId: ExternalId, n = 10): Recommendation[] {
    const s = this.intactState();
    const norms = (this.normsCache.users ??= rowNorms(s.userFactors, this.options.factors));
    return this.cosineTopN(s.userFactors, norms, s.users.index(userId, 'user'), n, s.users);
  }

  /**
   * Items similar to the one `title` names (case-insensitive; several matches → an
   * AmbiguousTitleError listing them). Works on any item titles the model holds.
   * @example model.similarItemsByTitle('Star Wars (1977)', 3)
   */
  similarItemsByTitle(title: string, n = 10): Array<Recommendation & { title: string }> {
    if (typeof title !== 'string') throw invalidOption('title', 'an item title (string)', title);
    const item = resolveItemTitle(this.state.movies, title);
    return this.similarItems(item.id, n).map((r) => ({ ...r, title: this.title(r.itemId) }));
  }

  /**
   * @deprecated Use {@link ALS.similarItemsByTitle}; this alias calls it.
   * @example model.similarMovies('Star Wars (1977)', 3)
   */
  similarMovies(title: string, n = 10): Array<Recommendation & { title: string }> {
    return this.similarItemsByTitle(title, n);
  }

  /** An item's title, or `unknown item ID` when the model holds none for it. */
  title(itemId: ExternalId): string {
    const s = this.state;
    const id = s.items.canonical(itemId) ?? itemId;
    const title = s.movies.get(id)?.title;
    return title ?? `unknown item ${String(id)}`;
  }

  private cosineTopN(F: Float32Array, norms: Float32Array, row: number, n: number, ids: IdMap): Recommendation[] {
    const k = this.options.factors;
    // Every row but the query one is a candidate: n is clamped to them before the heap is sized.
    n = Math.min(integerIn('n', n, 1, 1_000_000), ids.size - 1);
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

/** The rows `rows` of `m` (in that order) as a new CSR, values mapped by `confidence`. */
function selectRows(m: Csr, rows: Int32Array, confidence: (rating: number) => number): Csr {
  const indptr = new Int32Array(rows.length + 1);
  for (let j = 0; j < rows.length; j++) indptr[j + 1] = indptr[j]! + m.indptr[rows[j]! + 1]! - m.indptr[rows[j]!]!;
  const indices = new Int32Array(indptr[rows.length]!);
  const data = new Float32Array(indptr[rows.length]!);
  for (let j = 0; j < rows.length; j++) {
    const { indices: cols, data: values } = rowOf(m, rows[j]!);
    indices.set(cols, indptr[j]!);
    for (let p = 0; p < values.length; p++) data[indptr[j]! + p] = confidence(values[p]!);
  }
  return { rows: rows.length, cols: m.cols, indptr, indices, data };
}

function noop(): void {}

/** `value` as an iterable of ids, or an InvalidOptionError naming the option. */
function iterableOption(name: string, value: unknown): Iterable<ExternalId> {
  if (value === null || typeof value !== 'object' || typeof (value as Iterable<ExternalId>)[Symbol.iterator] !== 'function') {
    throw invalidOption(name, 'an iterable of item ids', value);
  }
  return value as Iterable<ExternalId>;
}

/** `indices` without repeats, first occurrence kept. */
function uniqueIndices(indices: Int32Array): Int32Array {
  const seen = new Set<number>();
  return indices.filter((i) => !seen.has(i) && seen.add(i) !== undefined);
}

/** Widens a top-`ranked` result to stride `n`, padding with item -1 and score -Infinity. */
function padTopN(top: TopNResult, rows: number, ranked: number, n: number): TopNResult {
  const items = new Int32Array(rows * n).fill(-1);
  const scores = new Float32Array(rows * n).fill(-Infinity);
  for (let r = 0; r < rows; r++) {
    items.set(top.items.subarray(r * ranked, (r + 1) * ranked), r * n);
    scores.set(top.scores.subarray(r * ranked, (r + 1) * ranked), r * n);
  }
  return { items, scores };
}

function pickLoadOptions(options: LoadOptions): LoadOptions {
  if (options === null || typeof options !== 'object') throw invalidOption('options', 'an object', options);
  for (const key of Object.keys(options)) {
    if (key !== 'backend' && key !== 'threads') {
      throw invalidOption('options', 'only backend and threads (a saved model keeps its training options)', key);
    }
  }
  const picked: LoadOptions = {};
  if (options.backend !== undefined) picked.backend = options.backend;
  if (options.threads !== undefined) picked.threads = options.threads;
  return picked;
}

function startingFactors(users: number, items: number, k: number, seed: number, given: FitOptions['initialFactors']) {
  if (given === undefined) return initialFactors(users, items, k, seed);
  if (!(given.userFactors instanceof Float32Array) || given.userFactors.length !== users * k) {
    throw invalidOption('initialFactors.userFactors', `a Float32Array of length ${users} x ${k}`, given.userFactors);
  }
  if (!(given.itemFactors instanceof Float32Array) || given.itemFactors.length !== items * k) {
    throw invalidOption('initialFactors.itemFactors', `a Float32Array of length ${items} x ${k}`, given.itemFactors);
  }
  return { userFactors: given.userFactors.slice(), itemFactors: given.itemFactors.slice() };
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

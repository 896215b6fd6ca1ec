/**
 * The ALS model: a facade over one module per concern. It holds the fitted state and the caches
 * derived from it, serializes the mutations, and delegates the work:
 *
 * - training: `trainFactors.ts` (the iteration loop, above the backend's half-sweeps);
 * - partial fits: `partialFit.ts` (exact solves of touched rows against the fixed other side);
 * - scoring and top-N: `rankItems.ts` (one query on the main thread), `batchScoring.ts` (many
 *   users through the backend), both ranked by the one rule of `selectTopN.ts`;
 * - fold-in: `foldIn.ts` (a new user's factors from their ratings);
 * - explanations: `scoreExplanation.ts`; persistence: `../persistence/modelFile.ts`.
 */
import type { ExternalId } from '../data/rawInteractions.js';
import type { Interactions } from '../matrix/interactions.js';
import { rowOf } from '../matrix/mergeRows.js';
import { invalidOption, AlsrecError } from '../errors.js';
import { resolveAlsOptions, integerIn, type AlsOptions, type ResolvedAlsOptions } from './options.js';
import type { AlsBackend, TopNResult } from './backend.js';
import { readModelFile, savedTrainingOptions, writeModelFile } from '../persistence/modelFile.js';
import type { AtomicWriteOptions } from '../persistence/atomicWrite.js';
import { selectBackend } from './selectBackend.js';
import type { TrainingLossHistory } from './trainingLossHistory.js';
import { resolveItemTitle } from './resolveItemTitle.js';
import type { FromSparkOptions } from '../spark/importSparkModel.js';
import { assertStateIntact, checkFittedState } from './checkFittedState.js';
import { assertWeightsOf, explanationFor, weightsFromRatings, type ExplainOptions, type Explanation, type UserWeights } from './scoreExplanation.js';
import type { FittedState, Recommendation } from './fittedState.js';
import { trainFactors, type FitOptions } from './trainFactors.js';
import { partialFitRows, type PartialFitOptions, type PartialFitRows } from './partialFit.js';
import { foldInUser, ItemGramCache, newUserRow, type FoldedInUser, type NewUserRatings } from './foldIn.js';
import { cosineTopN, rankItemsFor, rowNorms, type RecommendOptions } from './rankItems.js';
import { checkUserRows, PinnedItemFactors, recommendationLists, topNForRows } from './batchScoring.js';

export type { FittedState, Recommendation } from './fittedState.js';
export type { FitOptions } from './trainFactors.js';
export type { PartialFitOptions, PartialFitRows } from './partialFit.js';
export type { NewUserRatings } from './foldIn.js';
export type { RecommendOptions } from './rankItems.js';

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
  /** Row norms for the cosine similarities, per side; dropped whenever the factors change. */
  private normsCache: { users?: Float32Array; items?: Float32Array } = {};
  /** YtY of the item factors for new-user fold-ins (see foldIn.ts). */
  private readonly itemGrams = new ItemGramCache();
  /** The item factors pinned for the backend's batch scoring (see batchScoring.ts). */
  private readonly pinnedItems = new PinnedItemFactors();
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
    const { state, backend } = await trainFactors(data, this.options, fitOptions);
    this.backendUsed = backend;
    this.normsCache = {};
    this.fitted = state;
    return this;
  }

  /**
   * The top-n movies for one user, best first. Unknown user → UnknownIdError.
   * @example model.recommend(196, { n: 5 })
   */
  recommend(userId: ExternalId, options: RecommendOptions = {}): Recommendation[] {
    const s = this.intactState();
    const u = s.users.index(userId, 'user');
    return rankItemsFor(s, this.options.factors, s.userFactors, u, rowOf(s.liked, u).indices, options);
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
    return rankItemsFor(this.state, this.options.factors, x, 0, rated, options);
  }

  /**
   * A new user's factors (length = factors) from their ratings, as in
   * {@link ALS.recommendForNewUser}. `rated` lists the rated movies' column indices (ascending),
   * `ratedValues` their ratings in the same order.
   */
  newUserFactors(ratings: NewUserRatings): FoldedInUser {
    const s = this.intactState();
    return foldInUser(s, this.options, ratings, () => this.itemGram(s.itemFactors));
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
    const row = newUserRow(ratings, s.items);
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
    return this.itemGrams.of(itemFactors, this.state.items.size, this.options.factors);
  }

  private async partialFitNow(kind: 'user' | 'item', ids: ArrayLike<ExternalId>, rows: PartialFitRows, options: PartialFitOptions): Promise<this> {
    const s = this.intactState();
    const update = await partialFitRows(s, this.options, () => this.backendUsed ?? selectBackend(this.options.backend), kind, ids, rows, options);
    // Mutations are serialized, so only setEvaluation (synchronous) can have changed the state
    // since `s` was read: start from the current state to keep it.
    this.fitted = { ...this.state, ...update };
    this.normsCache = {};
    return this;
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
    return recommendationLists(top, rows.length, n, s.items);
  }

  /**
   * {@link recommendMany} in matrix index space: `rows` are user indices (of `state.users`), the
   * result holds movie indices (of `state.items`), n per row, -1 padded. For evaluation and
   * bulk export, where building objects per recommendation would dominate.
   */
  async topNRows(rows: Int32Array, n: number, filterAlreadyLiked = true): Promise<TopNResult> {
    const s = this.intactState();
    integerIn('n', n, 1, 1_000_000);
    checkUserRows(s, rows);
    const backend = this.backendUsed ?? selectBackend(this.options.backend);
    const k = this.options.factors;
    return topNForRows(backend, s, this.pinnedItems.for(backend, s.itemFactors, k), k, rows, n, filterAlreadyLiked, this.options.threads);
  }

  /**
   * Scores of every movie for the user indices `rows` (row-major rows.length x movies), as the
   * backend ranks them; for evaluation. Batch the rows for large catalogues.
   */
  async scoreRows(rows: Int32Array): Promise<Float32Array> {
    const s = this.intactState();
    for (const u of rows) if (!(u >= 0 && u < s.users.size)) throw invalidOption('rows', `user indices in [0, ${s.users.size})`, u);
    const backend = this.backendUsed ?? selectBackend(this.options.backend);
    const k = this.options.factors;
    return backend.scoreRows(s.userFactors, this.pinnedItems.for(backend, s.itemFactors, k), k, rows, this.options.threads);
  }

  /**
   * The n items most similar to `itemId` by cosine of their factors, excluding itself.
   * @example model.similarItems('sku-9', 5) // [{ itemId: 'sku-12', score: 0.93 }, ...]
   */
  similarItems(itemId: ExternalId, n = 10): Recommendation[] {
    const s = this.intactState();
    const norms = (this.normsCache.items ??= rowNorms(s.itemFactors, this.options.factors));
    return cosineTopN(s.itemFactors, norms, s.items.index(itemId, 'item'), n, s.items, this.options.factors);
  }

  /** The n users most similar to `userId` by cosine of their factors, excluding themselves. */
  similarUsers(userId: ExternalId, n = 10): Recommendation[] {
    const s = this.intactState();
    const norms = (this.normsCache.users ??= rowNorms(s.userFactors, this.options.factors));
    return cosineTopN(s.userFactors, norms, s.users.index(userId, 'user'), n, s.users, this.options.factors);
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
}

/** Does nothing: the settled value of a queued mutation is not needed. */
function noop(): void {}

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

/**
 * alsrec: implicit-feedback ALS recommendations for Node.js: data, matrix, ALS, evaluation.
 * The HTTP server is a separate entry point, `alsrec/serve`, so importing the core stays fast
 * (no Fastify; test/index.test.ts guards that).
 *
 * @example
 * import { loadMovieLens, buildInteractions, temporalLeaveLastOut, ALS } from 'alsrec';
 * const dataset = await loadMovieLens('data/ml-100k');
 * const model = await new ALS({ factors: 50 }).fit(buildInteractions(dataset));
 * model.recommend(196, { n: 5 });
 */
export { resolveDataDir } from './data/resolveDataDir.js';
// Async entry points whose code (readers, downloader, EASE, tuning, Spark writer) loads on first call.
export { loadMovieLens, downloadMovieLens, loadInteractions, fitEase, qualityReport, searchOnValidation, exportSparkModel } from './lazyEntryPoints.js';
export type { LoadedInteractions, LoadSummary } from './data/events/loadInteractions.js';
export type { LoadInteractionsOptions, AggregateRule, BadRowRule, EventFileFormat, ItemTitlesFile } from './data/events/loadOptions.js';
export { aggregateEvents, type AggregatedEvents } from './data/aggregateEvents.js';
export type { RawInteractions, IdColumn, ExternalId } from './data/rawInteractions.js';
export { generateSynthetic, SYNTH_PRESETS, type SyntheticParams } from './synth/generateSynthetic.js';
export type { Dataset, ItemInfo, Movie, RatingColumns, MovieLensFormat } from './data/dataset.js';
export { buildInteractions, type Interactions } from './matrix/interactions.js';
export { indexInteractions, AGGREGATES, type Aggregate, type IndexOptions, type IndexedInteractions } from './matrix/indexInteractions.js';
export { IdMap, type IdList } from './matrix/idMap.js';
export { interactionsFromEvents } from './matrix/interactionsFromEvents.js';
export { indexRawInteractions, type IndexOptions as IndexRawOptions } from './matrix/indexRawInteractions.js';
export { eventsToRawInteractions, type InteractionEvent } from './data/eventsToRawInteractions.js';
export type { Csr } from './matrix/csr.js';
export { ALS, type Recommendation, type RecommendOptions } from './als/model.js';
export type { FitOptions, FittedState, NewUserRatings, PartialFitRows, PartialFitOptions, LoadOptions } from './als/model.js';
export type { ModelInfo } from './persistence/modelInfo.js';
export type { ExplainOptions, Explanation, Contribution, UserWeights } from './als/scoreExplanation.js';
export { ModelFileError, MODEL_FORMAT_VERSION, type SavedTrainingOptions } from './persistence/modelFile.js';
export { assertModelMatchesData, ModelDataMismatchError } from './als/checkModelMatchesData.js';
export type { AlsOptions, BackendChoice } from './als/options.js';
export type { Solver, AlsBackend } from './als/backend.js';
export { nativeAvailable } from './als/selectBackend.js';
export { nativeInfo, NativeLoadError, type NativeInfo, type NativeVariant } from './als/native/addon.js';
export { temporalLeaveLastOut, temporalLeaveLastOutOf, type InteractionsSplit } from './eval/temporalLeaveLastOut.js';
export type { Split } from './eval/partitionRatings.js';
export { evaluate, RANKING_METRICS, type Evaluation, type EvaluateOptions, type MetricsAtK, type PerUserMetrics } from './eval/evaluate.js';
export { alsRecommender, type Recommender } from './eval/recommender.js';
export { evaluateHeldOut, type HeldOutOptions, type HeldOutEvaluation, type HeldOutCounts } from './eval/evaluateHeldOut.js';
export { mostPopular } from './eval/mostPopular.js';
export { randomRecommender } from './eval/randomRecommender.js';
export { fitItemKnn, KNN_WEIGHTINGS, type ItemKnnOptions, type ItemKnnModel, type KnnWeighting } from './eval/itemKnn.js';
export { easeBytes, DEFAULT_EASE_MAX_BYTES, type EaseOptions, type EaseModel } from './eval/ease.js';
export { temporalFolds } from './eval/temporalFolds.js';
export { qualityTableMarkdown, type QualityRow } from './eval/qualityReport.js';
export { rankingMetricsAtK, fullRankingAuc, type UserMetricsAtK } from './eval/rankingMetrics.js';
export { leaveKOut, type LeaveKOutOptions } from './eval/leaveKOut.js';
export { randomHoldout, type RandomHoldoutOptions } from './eval/randomHoldout.js';
export { timeCutoff, type TimeCutoffSplit } from './eval/timeCutoff.js';
export { SEED_CONFIG, DEFAULT_SEARCH_SPACE, type AlsConfig, type SearchSpace, type SearchOptions, type SearchResult } from './eval/searchOnValidation.js';
export { AmbiguousTitleError, resolveItemTitle, searchItems } from './als/resolveItemTitle.js';
export { AlsrecError, InvalidOptionError, DataFormatError, UnknownIdError, NumericalError, type IdKind } from './errors.js';
export type { FromSparkOptions } from './spark/importSparkModel.js';
export type { SparkExportOptions } from './spark/writeSparkModel.js';

/**
 * What a fitted ALS model is made of ({@link FittedState}) and what it answers with
 * ({@link Recommendation}): the types the facade (`model.ts`) and its modules share.
 */
import type { ItemInfo } from '../data/dataset.js';
import type { ExternalId } from '../data/rawInteractions.js';
import type { IdMap } from '../matrix/idMap.js';
import type { Csr } from '../matrix/csr.js';
import type { TrainingLossHistory } from './trainingLossHistory.js';
import type { ModelInfo } from '../persistence/modelInfo.js';

/**
 * One recommended (or similar) item, or similar user, by external id exactly as the model holds
 * it (a number on an integer side, a string on a string side).
 */
export interface Recommendation {
  readonly itemId: ExternalId;
  readonly score: number;
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

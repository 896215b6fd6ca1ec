/**
 * The seam between the ALS iteration loop (in TypeScript, `model.ts`) and the kernels that do
 * the per-row work. Two implementations: `tsBackend.ts` (readable, always available) and
 * `nativeBackend.ts` (C++/Eigen behind N-API). The contract suite in `test/als/backendContract`
 * runs against both.
 */
import type { Csr } from '../matrix/csr.js';
import { AlsrecError } from '../errors.js';
import type { ObjectiveScaling } from './objective.js';

export type Solver = 'cg' | 'cholesky';

/** Parameters of one half-sweep, already validated by `options.ts`. */
export interface HalfSweepOptions {
  readonly solver: Solver;
  /** lambda in A = a0*YtY + Yt(Cu - a0*I)Y + lambda_u*I (lambda_u = lambda unless scaled). */
  readonly regularization: number;
  /** a0 and the frequency scaling of lambda (objective.ts); default Hu et al.'s (a0 = 1, lambda_u = lambda). */
  readonly objective?: ObjectiveScaling;
  /** Conjugate-gradient steps per row (solver 'cg'). */
  readonly cgSteps: number;
  /** Worker threads; results do not depend on it. */
  readonly threads: number;
}

/** Top-n per requested row: `items[r*n + j]` is the j-th best column for `rows[r]`. */
export interface TopNResult {
  /** Column (item) indices, best first; -1 pads rows with fewer than n candidates. */
  readonly items: Int32Array;
  /** Scores x_u . y_i matching `items`; -Infinity where `items` is -1. */
  readonly scores: Float32Array;
}

export interface AlsBackend {
  readonly name: 'native' | 'ts';

  /**
   * One half-sweep (Hu, Koren & Volinsky 2008, eq. 4): for every row u of `confidence`
   * (rows x cols; values are confidences c_ui = alpha * r_ui; a negative value means preference 0
   * with confidence |c|), solve (a0*YtY + Yt(Cu - a0*I)Y + lambda_u*I) x_u = Yt Cu p_u (see
   * `objective.ts`; a0 = 1 and lambda_u = lambda by default) and write x_u into
   * `X` (row-major rows x k) in place, with `Y` (row-major cols x k) fixed. CG warm-starts from
   * the current x_u. Rows without entries get zeros. Results are identical for any thread count.
   * The arrays must not be mutated until the promise settles.
   *
   * @throws RowSolveError when the Cholesky factorization of a row's A fails.
   */
  halfSweep(confidence: Csr, X: Float32Array, Y: Float32Array, k: number, options: HalfSweepOptions): Promise<void>;

  /**
   * Scores and selects the top `n` columns for each row index in `rows`: score = X[u] . Y[i].
   * Entries of row u of `exclude` (same row space as X; e.g. the train matrix) are skipped.
   * Ranked by the one rule of `selectTopN.ts`: score descending (as float32), then column index
   * ascending; a NaN score is never ranked; rows with fewer candidates are padded with -1 and
   * -Infinity. Both backends return identical rankings (test/als/topNParity.test.ts).
   */
  topN(
    X: Float32Array,
    Y: Float32Array | PinnedFactors,
    k: number,
    rows: Int32Array,
    n: number,
    exclude: Csr | null,
    threads: number,
  ): Promise<TopNResult>;

  /**
   * Dense scores S = X[rows] · Yᵀ (row-major rows.length x cols), as `topN` computes them: for
   * evaluation metrics that need every candidate's score (full-ranking AUC).
   */
  scoreRows(X: Float32Array, Y: Float32Array | PinnedFactors, k: number, rows: Int32Array, threads: number): Promise<Float32Array>;

  /**
   * An immutable copy of `Y` (rows x k) that `topN` and `scoreRows` take in its place without
   * copying it again, for a factor matrix scored many times (serving). Only backends whose calls
   * copy their inputs have it (native: each call would otherwise copy all of Y).
   */
  pinFactors?(Y: Float32Array, k: number): PinnedFactors;
}

declare const pinnedFactorsBrand: unique symbol;
/** An opaque factor table from {@link AlsBackend.pinFactors}; only the backend that made it reads it. */
export type PinnedFactors = object & { readonly [pinnedFactorsBrand]: true };

/** A row whose normal equations could not be solved; the model maps `row` to its external id. */
export class RowSolveError extends AlsrecError {
  readonly row: number;
  constructor(row: number, detail = 'Cholesky factorization failed') {
    super(`${detail} for row ${row}`, 'ERR_ALSREC_NUMERICAL');
    this.row = row;
  }
}

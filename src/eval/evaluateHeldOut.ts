/**
 * Evaluation of a model that was trained elsewhere (a saved `.alsrec` file, a Spark model imported
 * with `import-spark`) against held-out interactions. Unlike {@link evaluate}, which takes train and
 * test sides built over one id map, the test ratings here arrive with external ids and are mapped
 * into the model's own indices:
 *
 * - a test pair whose user or item the model does not know cannot be ranked (cold start) and is
 *   skipped, counted;
 * - the items excluded from each user's ranking are the model's training interactions (its
 *   `liked` matrix: `train --save`, or `import-spark --interactions`); a model saved without any
 *   (a Spark import without `--interactions`) excludes the `exclude` ratings given instead (the
 *   train side of a split), or nothing;
 * - a test pair that is also excluded (the model was trained on it) can never be recommended: it is
 *   skipped and counted, since it is not held out. If every pair is, the evaluation is refused.
 */
import { ALS } from '../als/model.js';
import type { RatingColumns } from '../data/dataset.js';
import { nnz, type Csr } from '../matrix/csr.js';
import type { IdMap } from '../matrix/idMap.js';
import type { Interactions } from '../matrix/interactions.js';
import { savedTrainingOptions } from '../persistence/modelFile.js';
import { AlsrecError, invalidOption } from '../errors.js';
import { evaluate, type Evaluation } from './evaluate.js';

export interface HeldOutOptions {
  /** Cut-off(s). Default 10. */
  k?: number | readonly number[];
  /** Name shown for the model. Default `ALS`. */
  name?: string;
  /** Compute the full-ranking AUC (default true; a dense users x items pass). */
  auc?: boolean;
  /**
   * Ratings to exclude from the rankings when the model holds no training interactions (e.g. the
   * train side of a split). Ignored (and reported) when the model has its own.
   */
  exclude?: RatingColumns;
}

/** What became of the test ratings. */
export interface HeldOutCounts {
  /** Test ratings given. */
  readonly given: number;
  /** Skipped: the user is not in the model. */
  readonly unknownUser: number;
  /** Skipped: the user is known but the item is not. */
  readonly unknownItem: number;
  /** Skipped: the pair is among the excluded (training) interactions. */
  readonly inTraining: number;
  /** Evaluated. */
  readonly used: number;
}

export interface HeldOutEvaluation {
  readonly evaluation: Evaluation;
  readonly test: HeldOutCounts;
  /** Where the excluded items came from: the model's training interactions, `exclude`, or none. */
  readonly excluded: 'model' | 'given' | 'none';
  /** Interactions excluded from the rankings. */
  readonly excludedInteractions: number;
}

/**
 * Evaluates `model` against the held-out ratings `test` (external ids), full ranking, each user's
 * training items excluded.
 * @throws AlsrecError when no test rating is left to evaluate (say why).
 * @example
 * const model = await ALS.load('spark.alsrec');
 * const { evaluation } = await evaluateHeldOut(model, (await loadMovieLens('ml-100k')).ratings, { k: [10] });
 * evaluation.atK[0].ndcg;
 */
export async function evaluateHeldOut(model: ALS, test: RatingColumns, options: HeldOutOptions = {}): Promise<HeldOutEvaluation> {
  if (!(model instanceof ALS)) throw invalidOption('model', 'a fitted ALS', model);
  if (options === null || typeof options !== 'object') throw invalidOption('options', 'an object', options);
  const s = model.state;
  const own = nnz(s.liked) > 0;
  const excluded: HeldOutEvaluation['excluded'] = own ? 'model' : options.exclude !== undefined ? 'given' : 'none';
  const exclusion = own ? s.liked : options.exclude !== undefined ? toModelCsr(options.exclude, s.users, s.items).matrix : s.liked;

  const mapped = toModelCsr(test, s.users, s.items, exclusion);
  const counts: HeldOutCounts = { given: test.users.length, ...mapped.counts };
  if (counts.used === 0) {
    const why = counts.given === 0 ? 'there are none'
      : counts.inTraining > 0 ? `${counts.inTraining} are among the model's training interactions (it was trained on them)${counts.unknownUser + counts.unknownItem > 0 ? ` and ${counts.unknownUser + counts.unknownItem} name users or items the model lacks` : ''}`
        : 'every one names a user or an item the model lacks';
    throw new AlsrecError(`No test interactions to evaluate: of ${counts.given} given, ${why}`, 'ERR_ALSREC_EVALUATE');
  }

  // The evaluator excludes the model's `liked`: a model without its own gets the exclusion given.
  const scored = exclusion === s.liked ? model : ALS.fromState({ ...s, liked: exclusion }, { ...savedTrainingOptions(model.options), backend: model.options.backend, threads: model.options.threads });
  const train: Interactions = { users: s.users, items: s.items, matrix: exclusion, movies: s.movies };
  const held: Interactions = { users: s.users, items: s.items, matrix: mapped.matrix, movies: s.movies };
  const evaluation = await evaluate(scored, train, held, { k: options.k ?? 10, name: options.name ?? 'ALS', auc: options.auc ?? true });
  return { evaluation, test: counts, excluded, excludedInteractions: nnz(exclusion) };
}

/**
 * `ratings` as a users x items matrix in the model's indices, without the pairs whose ids the
 * model lacks and (with `skip`) the pairs stored in `skip`. Duplicate pairs keep one entry.
 */
function toModelCsr(ratings: RatingColumns, users: IdMap, items: IdMap, skip?: Csr): { matrix: Csr; counts: Omit<HeldOutCounts, 'given'> } {
  const n = ratings.users.length;
  const rows = new Int32Array(n);
  const cols = new Int32Array(n);
  let used = 0;
  let unknownUser = 0;
  let unknownItem = 0;
  let inTraining = 0;
  for (let j = 0; j < n; j++) {
    const r = users.tryIndex(ratings.users[j]!);
    if (r < 0) {
      unknownUser++;
      continue;
    }
    const c = items.tryIndex(ratings.items[j]!);
    if (c < 0) {
      unknownItem++;
      continue;
    }
    if (skip !== undefined && stores(skip, r, c)) {
      inTraining++;
      continue;
    }
    rows[used] = r;
    cols[used++] = c;
  }
  const matrix = uniquePairsCsr(rows.subarray(0, used), cols.subarray(0, used), users.size, items.size);
  return { matrix, counts: { unknownUser, unknownItem, inTraining, used } };
}

/** Whether row `r` of `m` stores column `c` (its columns ascend: binary search). */
function stores(m: Csr, r: number, c: number): boolean {
  let lo = m.indptr[r]!;
  let hi = m.indptr[r + 1]! - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = m.indices[mid]!;
    if (v === c) return true;
    if (v < c) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/**
 * A CSR of the (row, col) pairs, each pair once (held-out files may repeat a pair; buildCsr
 * refuses repeats), columns ascending within a row, every value 1.
 */
function uniquePairsCsr(rows: Int32Array, cols: Int32Array, rowCount: number, colCount: number): Csr {
  const indptr = new Int32Array(rowCount + 1);
  for (const r of rows) indptr[r + 1]!++;
  for (let r = 0; r < rowCount; r++) indptr[r + 1]! += indptr[r]!;
  const fill = indptr.slice(0, rowCount);
  const sorted = new Int32Array(rows.length);
  for (let j = 0; j < rows.length; j++) sorted[fill[rows[j]!]!++] = cols[j]!;
  const out = new Int32Array(rows.length);
  const outPtr = new Int32Array(rowCount + 1);
  let q = 0;
  for (let r = 0; r < rowCount; r++) {
    const row = sorted.subarray(indptr[r]!, indptr[r + 1]!).sort();
    for (let p = 0; p < row.length; p++) if (p === 0 || row[p] !== row[p - 1]) out[q++] = row[p]!;
    outPtr[r + 1] = q;
  }
  return { rows: rowCount, cols: colCount, indptr: outPtr, indices: out.slice(0, q), data: new Float32Array(q).fill(1) };
}

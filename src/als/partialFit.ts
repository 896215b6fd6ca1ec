/**
 * Partial fits: add or change users (or items) without retraining. Each touched row is solved
 * exactly (Cholesky) against the fixed other side from its whole updated row, with the training
 * objective; every other factor stays as it is. New ids append at the end of the id map, so no
 * existing index moves.
 */
import type { ExternalId } from '../data/rawInteractions.js';
import { checkExternalId } from '../matrix/idMap.js';
import { transposeCsr, type Csr } from '../matrix/csr.js';
import { entriesFromPairs, mergeRows, rowOf, type RowEntries } from '../matrix/mergeRows.js';
import { AlsrecError, invalidOption } from '../errors.js';
import type { ResolvedAlsOptions } from './options.js';
import type { AlsBackend, HalfSweepOptions } from './backend.js';
import { confidenceValue } from './confidenceMatrix.js';
import { halfSweepScaling } from './objective.js';
import { modelInfoNow } from '../persistence/modelInfo.js';
import { assertFiniteFactors, halfSweepNamed } from './namedHalfSweep.js';
import type { FittedState } from './fittedState.js';

/** Per id, the (otherId, rating) pairs of a partial fit: item ids for users, user ids for items. */
export type PartialFitRows = ReadonlyArray<Iterable<readonly [ExternalId, number]>>;

export interface PartialFitOptions {
  /**
   * false (default): the pairs are added to what the model already holds for that id (a pair for
   * an already-rated movie replaces its rating). true: they replace the id's whole row.
   */
  replace?: boolean;
}

/** What a partial fit replaces in the fitted state: one side's ids and factors, the ratings, INFO. */
export type PartialFitUpdate = Pick<FittedState, 'liked' | 'info'> & (
  | Pick<FittedState, 'users' | 'userFactors'>
  | Pick<FittedState, 'items' | 'itemFactors'>
);

/**
 * Solves the rows of `ids` (users when `kind` is 'user', else items) of `s` from their updated
 * ratings and returns the parts of the state that change; `s` itself is not modified. Everything
 * is validated before anything is computed (and before `backendFor` picks the backend).
 * @throws UnknownIdError for an id of the other side the model does not know; InvalidOptionError
 *   for a repeated id or mismatched rows; AlsrecError when `recencyHalfLife` is set.
 * @example const update = await partialFitRows(state, options, () => backend, 'user', [944], [[[50, 5]]]);
 */
export async function partialFitRows(
  s: FittedState,
  o: ResolvedAlsOptions,
  backendFor: () => AlsBackend,
  kind: 'user' | 'item',
  ids: ArrayLike<ExternalId>,
  rows: PartialFitRows,
  options: PartialFitOptions,
): Promise<PartialFitUpdate> {
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
  const backend = backendFor();
  const sweep: HalfSweepOptions = {
    solver: 'cholesky', regularization: o.regularization, cgSteps: o.cgSteps, threads: o.threads, objective: halfSweepScaling(o, other.size),
  };
  await halfSweepNamed(backend, sub, X, byUser ? s.itemFactors : s.userFactors, k, sweep, (row) => `${kind} ${grown.id(targets[row]!)}`);
  assertFiniteFactors(X, k, (row) => `${kind} ${grown.id(targets[row]!)}`);
  for (let j = 0; j < targets.length; j++) ownFactors.set(X.subarray(j * k, (j + 1) * k), targets[j]! * k);

  return byUser
    ? { users: grown, liked: updated, userFactors: ownFactors, info: modelInfoNow() }
    : { items: grown, liked: transposeCsr(updated), itemFactors: ownFactors, info: modelInfoNow() };
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

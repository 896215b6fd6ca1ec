/**
 * Checks, once at the library's edge, that what a caller hands the model (the Interactions of
 * `fit`, the state of `fromState`) is shaped as the kernels assume: id maps that agree with the
 * matrix, a well-formed CSR (indptr non-decreasing from 0, column indices in range and ascending
 * within each row), finite values, typed arrays of the right kind and length. The kernels trust
 * all of this; a mismatch would otherwise surface later as a NumericalError from the TypeScript
 * kernels, a RangeError from the native ones, or silently wrong recommendations.
 */
import type { Interactions } from '../matrix/interactions.js';
import type { Csr } from '../matrix/csr.js';
import { IdMap } from '../matrix/idMap.js';
import { AlsrecError, invalidOption } from '../errors.js';
import { trainingLossHistoryProblem } from './trainingLossHistory.js';
import { modelInfoProblem } from '../persistence/modelInfo.js';

/**
 * Throws an InvalidOptionError naming the part of `data` that is wrong.
 * @example checkInteractions(buildInteractions(dataset), 'data'); // passes
 */
export function checkInteractions(data: unknown, name: string): asserts data is Interactions {
  if (data === null || typeof data !== 'object') throw invalidOption(name, 'Interactions { users, items, matrix, movies } (see buildInteractions)', data);
  const d = data as Partial<Interactions>;
  checkIdMaps(d.users, d.items, name);
  checkCsr(d.matrix, d.users!.size, d.items!.size, `${name}.matrix`, `${name}.users.size`, `${name}.items.size`);
  checkMovies(d.movies, `${name}.movies`);
  if (d.timestamps !== undefined && (!(d.timestamps instanceof Float64Array) || d.timestamps.length !== d.matrix!.indices.length)) {
    throw invalidOption(`${name}.timestamps`, `a Float64Array with one entry per stored rating (${d.matrix!.indices.length}) or undefined`, d.timestamps);
  }
}

/**
 * Throws an InvalidOptionError naming the part of `state` that is wrong; `k` is the model's
 * number of factors.
 * @example checkFittedState(model.state, model.options.factors, 'state');
 */
export function checkFittedState(state: unknown, k: number, name: string): void {
  if (state === null || typeof state !== 'object') {
    throw invalidOption(name, 'a fitted state { users, items, liked, movies, userFactors, itemFactors }', state);
  }
  const s = state as Record<string, unknown>;
  checkIdMaps(s.users, s.items, name);
  const users = (s.users as IdMap).size;
  const items = (s.items as IdMap).size;
  checkCsr(s.liked, users, items, `${name}.liked`, `${name}.users.size`, `${name}.items.size`);
  checkMovies(s.movies, `${name}.movies`);
  checkFactors(s.userFactors, users, k, `${name}.userFactors`);
  checkFactors(s.itemFactors, items, k, `${name}.itemFactors`);
  const evaluation = s.evaluation;
  if (evaluation !== undefined && (evaluation === null || typeof evaluation !== 'object' || Array.isArray(evaluation))) {
    throw invalidOption(`${name}.evaluation`, 'a plain object or undefined', evaluation);
  }
  if (s.trainingLoss !== undefined && trainingLossHistoryProblem(s.trainingLoss) !== null) {
    throw invalidOption(`${name}.trainingLoss`, '{ loss, seconds }: equal-length arrays of finite numbers >= 0, or undefined', s.trainingLoss);
  }
  if (s.info !== undefined && modelInfoProblem(s.info) !== null) {
    throw invalidOption(`${name}.info`, 'undefined or { trainedAt: ISO 8601 time, alsrecVersion: string }', s.info);
  }
}

/**
 * O(1) per call: the model's own arrays are still whole. A caller can transfer an ArrayBuffer the
 * model holds (`structuredClone(model.userFactors.buffer, { transfer: [...] })`), which empties
 * every view of it; computing on such a view would give empty lists or NaN scores.
 */
export function assertStateIntact(state: { users: IdMap; items: IdMap; liked: Csr; userFactors: Float32Array; itemFactors: Float32Array }, k: number): void {
  const parts: Array<[string, number, number]> = [
    ['user factors', state.userFactors.length, state.users.size * k],
    ['movie factors', state.itemFactors.length, state.items.size * k],
    ['training ratings (liked.indptr)', state.liked.indptr.length, state.users.size + 1],
    ['training ratings (liked.indices)', state.liked.indices.length, state.liked.indptr[state.users.size] ?? -1],
    ['user ids', state.users.ids.length, state.users.size],
  ];
  for (const [what, length, expected] of parts) {
    if (length !== expected) {
      throw new AlsrecError(
        `The model's ${what} were detached or resized (length ${length}, expected ${expected}): an ArrayBuffer of the model was transferred; load or fit the model again`,
        'ERR_ALSREC_STATE',
      );
    }
  }
}

function checkIdMaps(users: unknown, items: unknown, name: string): void {
  if (!(users instanceof IdMap)) throw invalidOption(`${name}.users`, 'an IdMap', users);
  if (!(items instanceof IdMap)) throw invalidOption(`${name}.items`, 'an IdMap', items);
}

function checkMovies(movies: unknown, name: string): void {
  if (!(movies instanceof Map)) throw invalidOption(name, 'a Map of movie id to movie', movies);
}

function checkFactors(F: unknown, rows: number, k: number, name: string): void {
  if (!(F instanceof Float32Array) || F.length !== rows * k) throw invalidOption(name, `a Float32Array of length ${rows} x ${k}`, F);
}

/** A well-formed rows x cols CSR; O(nnz). */
function checkCsr(m: unknown, rows: number, cols: number, name: string, rowsFrom: string, colsFrom: string): void {
  if (m === null || typeof m !== 'object') throw invalidOption(name, 'a CSR matrix { rows, cols, indptr, indices, data }', m);
  const c = m as Partial<Csr>;
  if (c.rows !== rows) throw invalidOption(`${name}.rows`, `${rows} (${rowsFrom})`, c.rows);
  if (c.cols !== cols) throw invalidOption(`${name}.cols`, `${cols} (${colsFrom})`, c.cols);
  if (!(c.indptr instanceof Int32Array) || c.indptr.length !== rows + 1) throw invalidOption(`${name}.indptr`, `an Int32Array of length rows + 1 = ${rows + 1}`, c.indptr);
  const nnz = c.indptr[rows]!;
  if (!(c.indices instanceof Int32Array) || c.indices.length !== nnz) throw invalidOption(`${name}.indices`, `an Int32Array of length indptr[rows] = ${nnz}`, c.indices);
  if (!(c.data instanceof Float32Array) || c.data.length !== nnz) throw invalidOption(`${name}.data`, `a Float32Array of length indptr[rows] = ${nnz}`, c.data);
  const { indptr, indices, data } = c;
  if (indptr[0] !== 0) throw invalidOption(`${name}.indptr[0]`, '0', indptr[0]);
  for (let r = 0; r < rows; r++) {
    const lo = indptr[r]!;
    const hi = indptr[r + 1]!;
    if (hi < lo) throw invalidOption(`${name}.indptr[${r + 1}]`, `a value >= indptr[${r}] = ${lo}`, hi);
    for (let p = lo; p < hi; p++) {
      const col = indices[p]!;
      if (!(col >= 0 && col < cols)) throw invalidOption(`${name}.indices[${p}] (row ${r})`, `a column index in [0, ${cols})`, col);
      if (p > lo && col <= indices[p - 1]!) throw invalidOption(`${name}.indices[${p}] (row ${r})`, `column indices ascending within a row (after ${indices[p - 1]})`, col);
      if (!Number.isFinite(data[p]!)) throw invalidOption(`${name}.data[${p}] (row ${r})`, 'a finite number', data[p]);
    }
  }
}

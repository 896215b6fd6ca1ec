/**
 * A half-sweep whose failures name the user or item at fault, and the finiteness check after
 * one: shared by training (`trainFactors.ts`) and the partial fits (`partialFit.ts`), so both
 * report "Cholesky failed for user 196; increase regularization" rather than a row index.
 */
import type { Csr } from '../matrix/csr.js';
import { NumericalError } from '../errors.js';
import { RowSolveError, type AlsBackend, type HalfSweepOptions } from './backend.js';

/**
 * `backend.halfSweep(C, X, Y, k, options)`, with a failed row solve reported for `name(row)`.
 * @throws NumericalError naming the row's id and the regularization to raise.
 * @example await halfSweepNamed(backend, Cui, X, Y, k, sweep, (row) => `user ${users.id(row)}`);
 */
export async function halfSweepNamed(
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

/**
 * Throws unless every factor of `F` (rows x k) is finite, naming the first bad row.
 * @example assertFiniteFactors(userFactors, k, (row) => `user ${users.id(row)}`);
 */
export function assertFiniteFactors(F: Float32Array, k: number, name: (row: number) => string): void {
  for (let j = 0; j < F.length; j++) {
    if (!Number.isFinite(F[j]!)) {
      throw new NumericalError(`Training produced a non-finite factor for ${name(Math.floor(j / k))}; increase regularization`);
    }
  }
}

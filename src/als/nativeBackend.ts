/**
 * The C++/Eigen backend: {@link AlsBackend} over the N-API addon (`src/als/native/addon.ts`).
 * Options are validated by `options.ts` before they get here; the addon re-checks them cheaply.
 */
import type { Csr } from '../matrix/csr.js';
import { type AlsBackend, type HalfSweepOptions, RowSolveError, type TopNResult } from './backend.js';
import { isNativeRowSolveFailure, loadAddon } from './native/addon.js';

/**
 * Loads the addon and returns the native backend.
 *
 * @throws NativeLoadError when the addon is not built or cannot be loaded.
 * @example
 * const backend = loadNativeBackend();
 * await backend.halfSweep(Cui, X, Y, 32, { solver: 'cg', regularization: 0.1, cgSteps: 3, threads: 2 });
 */
export function loadNativeBackend(): AlsBackend {
  const addon = loadAddon();
  return {
    name: 'native',

    async halfSweep(confidence: Csr, X: Float32Array, Y: Float32Array, k: number, options: HalfSweepOptions): Promise<void> {
      const { solver, regularization, cgSteps, threads, objective } = options;
      try {
        if (solver === 'cholesky') {
          await addon.halfSweepCholesky(confidence, X, Y, k, regularization, threads, objective);
        } else {
          await addon.halfSweepCG(confidence, X, Y, k, regularization, cgSteps, threads, objective);
        }
      } catch (error) {
        if (isNativeRowSolveFailure(error)) throw new RowSolveError(error.row);
        throw error;
      }
    },

    topN(
      X: Float32Array,
      Y: Float32Array,
      k: number,
      rows: Int32Array,
      n: number,
      exclude: Csr | null,
      threads: number,
    ): Promise<TopNResult> {
      return addon.topN(X, Y, k, rows, n, exclude, threads);
    },

    scoreRows(X: Float32Array, Y: Float32Array, k: number, rows: Int32Array, threads: number): Promise<Float32Array> {
      return addon.scoreRows(X, Y, k, rows, threads);
    },
  };
}

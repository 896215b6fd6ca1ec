/**
 * The C++/Eigen backend: {@link AlsBackend} over the N-API addon (`src/als/native/addon.ts`).
 * Options are validated by `options.ts` before they get here; the addon re-checks them cheaply.
 */
import type { Csr } from '../matrix/csr.js';
import { type AlsBackend, type HalfSweepOptions, type PinnedFactors, RowSolveError, type TopNResult } from './backend.js';
import { isNativeRowSolveFailure, loadAddon, loadAddonVariant, type NativeVariant } from './native/addon.js';
import { AlsrecError } from '../errors.js';

/**
 * A C++ exception in the addon (std::bad_alloc...) arrives as an Error whose `code` starts with
 * ERR_ALSREC_NATIVE_ (see native/binding.cpp); it becomes an {@link AlsrecError} with that code and
 * message, so it is reported like every other expected failure (one line, exit 1 in the CLI).
 */
export function fromNativeError(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof Error && typeof code === 'string' && code.startsWith('ERR_ALSREC_NATIVE_')) return new AlsrecError(error.message, code);
  return error;
}

/** Runs `call`, mapping coded native failures, thrown or rejected, through {@link fromNativeError}. */
async function native<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw fromNativeError(error);
  }
}

/**
 * Loads the addon and returns the native backend: the build the loader picks (see
 * `native/addon.ts`), or the given `variant` (tests run the contract suite on each).
 *
 * @throws NativeLoadError when the addon is not built or cannot be loaded.
 * @example
 * const backend = loadNativeBackend();
 * await backend.halfSweep(Cui, X, Y, 32, { solver: 'cg', regularization: 0.1, cgSteps: 3, threads: 2 });
 */
export function loadNativeBackend(variant?: NativeVariant): AlsBackend {
  const addon = variant === undefined ? loadAddon() : loadAddonVariant(variant);
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
        throw fromNativeError(error);
      }
    },

    topN(
      X: Float32Array,
      Y: Float32Array | PinnedFactors,
      k: number,
      rows: Int32Array,
      n: number,
      exclude: Csr | null,
      threads: number,
    ): Promise<TopNResult> {
      return native(() => addon.topN(X, Y, k, rows, n, exclude, threads));
    },

    scoreRows(X: Float32Array, Y: Float32Array | PinnedFactors, k: number, rows: Int32Array, threads: number): Promise<Float32Array> {
      return native(() => addon.scoreRows(X, Y, k, rows, threads));
    },

    pinFactors(Y: Float32Array, k: number): PinnedFactors {
      try {
        return addon.pinFactors(Y, k);
      } catch (error) {
        throw fromNativeError(error);
      }
    },
  };
}

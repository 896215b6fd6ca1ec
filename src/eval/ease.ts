/**
 * EASE (Steck 2019, "Embarrassingly Shallow Autoencoders for Sparse Data"): a closed-form linear
 * item-item model, used as a baseline beside ALS.
 *
 *   G = XᵀX + λI,  P = G⁻¹,  B_ij = −P_ij / P_jj,  B_jj = 0,   score(u, j) = x_u · B_{:,j}
 *
 * X is the binary users x items train matrix (Steck's choice). The scoring vector x_u is binary
 * too, or, with `recencyHalfLife`, each past item weighted 2^(−age/h) by its age relative to the
 * user's latest rating (as ALS's recency weighting, `confidenceMatrix.ts`), so the baselines can
 * use the same order information tuned ALS uses.
 *
 * The weights are stored as W = Bᵀ (row j = the weights of every history item for candidate j),
 * the layout of an item-factor matrix with k = items: the native top-N kernel then scores dense
 * history rows against W with one matrix product per block of users.
 */
import { availableParallelism } from 'node:os';
import type { Interactions } from '../matrix/interactions.js';
import type { Csr } from '../matrix/csr.js';
import { confidenceMatrix } from '../als/confidenceMatrix.js';
import { finiteAtLeast, integerIn, oneOf, positiveFinite, type BackendChoice } from '../als/options.js';
import { nativeAvailable } from '../als/selectBackend.js';
import { isNativeRowSolveFailure, loadAddon } from '../als/native/addon.js';
import { AlsrecError, NumericalError } from '../errors.js';
import { topNFromScores, type Recommender } from './recommender.js';

import { DEFAULT_EASE_MAX_BYTES } from './baselineSettings.js';

export { DEFAULT_EASE_MAX_BYTES };

export interface EaseOptions {
  /** λ, added to the Gram matrix's diagonal. Default 100. Must be > 0 (G must be invertible). */
  regularization?: number;
  /** Days; 0 (default) scores with the binary history. */
  recencyHalfLife?: number;
  /** 'native' (C++/Eigen), 'ts' (reference) or 'auto' (default: native when it loads). */
  backend?: BackendChoice;
  /** Worker threads of the native inverse. Default: the cores available. */
  threads?: number;
  /**
   * Refuse catalogs whose dense matrices need more than this many bytes (default
   * {@link DEFAULT_EASE_MAX_BYTES}); the cost is {@link easeBytes}.
   */
  maxBytes?: number;
}

/** A fitted EASE: a {@link Recommender} plus its weights. */
export interface EaseModel extends Recommender {
  /** Bᵀ, row-major items x items (row j: weights of the history items for candidate j). */
  readonly weights: Float32Array;
  readonly regularization: number;
  readonly backend: 'native' | 'ts';
}

/**
 * Bytes of dense storage EASE needs for `items` items: the Gram matrix (factored in place) and its
 * inverse in float64, and the float32 weights: 8n² + 8n² + 4n² = 20n² (ML-100K's 1,682 items:
 * 57 MB; 10,000 items: 2 GB).
 *
 * @example easeBytes(1682); // 56,582,480
 */
export function easeBytes(items: number): number {
  return 20 * items * items;
}

/**
 * Fits EASE on `train` (its ratings read as binary) and returns it as a {@link Recommender}.
 *
 * @throws AlsrecError (code ERR_ALSREC_TOO_LARGE) when the catalog needs more than `maxBytes`.
 * @example
 * const ease = await fitEase(train, { regularization: 200 });
 * const top = await ease.topN(Int32Array.of(0), 10);
 */
export async function fitEase(train: Pick<Interactions, 'matrix' | 'timestamps'>, options: EaseOptions = {}): Promise<EaseModel> {
  const lambda = positiveFinite('regularization', options.regularization ?? 100);
  const halfLife = finiteAtLeast('recencyHalfLife', options.recencyHalfLife ?? 0, 0);
  const choice = oneOf('backend', options.backend ?? 'auto', ['auto', 'native', 'ts'] as const);
  const threads = integerIn('threads', options.threads ?? availableParallelism(), 1, 1024);
  const maxBytes = positiveFinite('maxBytes', options.maxBytes ?? DEFAULT_EASE_MAX_BYTES);
  const m = train.matrix;
  const n = m.cols;
  if (easeBytes(n) > maxBytes) {
    throw new AlsrecError(
      `EASE needs ${formatBytes(easeBytes(n))} of dense item-item matrices for ${n} items (20 bytes x items²), more than the limit of ${formatBytes(maxBytes)}; raise maxBytes (--ease-max-bytes) or use itemknn`,
      'ERR_ALSREC_TOO_LARGE',
    );
  }
  const binary: Csr = { ...m, data: new Float32Array(m.data.length).fill(1) };
  const useNative = choice === 'native' || (choice === 'auto' && nativeAvailable());
  let weights: Float32Array;
  try {
    weights = useNative ? await loadAddon().easeWeights(binary, lambda, threads) : easeWeightsTs(binary, lambda);
  } catch (err) {
    if (isNativeRowSolveFailure(err)) throw notPositiveDefinite(lambda);
    throw err;
  }
  const history = confidenceMatrix({ matrix: binary, timestamps: train.timestamps }, 1, halfLife);
  return easeRecommender(weights, history, m, lambda, useNative ? 'native' : 'ts', threads);
}

function notPositiveDefinite(lambda: number): NumericalError {
  return new NumericalError(`EASE: XᵀX + λI is not positive definite with regularization ${lambda}; increase regularization`);
}

/**
 * The reference implementation of {@link fitEase}'s weights, in float64: G = XᵀX + λI from each
 * user's outer product, Cholesky G = LLᵀ, P = L⁻ᵀL⁻¹ column by column, W_j = −P_j / P_jj with
 * W_jj = 0. O(Σ_u nnz_u² + items³).
 *
 * @example const W = easeWeightsTs(X, 10); // items x items, row-major Bᵀ
 */
export function easeWeightsTs(X: Csr, lambda: number): Float32Array {
  const n = X.cols;
  const G = new Float64Array(n * n);
  for (let u = 0; u < X.rows; u++) {
    for (let p = X.indptr[u]!; p < X.indptr[u + 1]!; p++) {
      const i = X.indices[p]!;
      const xi = X.data[p]!;
      for (let q = X.indptr[u]!; q < X.indptr[u + 1]!; q++) G[i * n + X.indices[q]!]! += xi * X.data[q]!;
    }
  }
  for (let i = 0; i < n; i++) G[i * n + i]! += lambda;
  // In-place Cholesky, lower triangle: L_jj = sqrt(G_jj − Σ_k<j L_jk²), L_ij = (G_ij − Σ_k<j L_ik L_jk) / L_jj.
  const L = G;
  for (let j = 0; j < n; j++) {
    let d = L[j * n + j]!;
    for (let k = 0; k < j; k++) d -= L[j * n + k]! ** 2;
    if (!(d > 0)) throw notPositiveDefinite(lambda);
    const ljj = Math.sqrt(d);
    L[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = L[i * n + j]!;
      for (let k = 0; k < j; k++) s -= L[i * n + k]! * L[j * n + k]!;
      L[i * n + j] = s / ljj;
    }
  }
  // P = G⁻¹, one column e_c at a time: L y = e_c (forward), Lᵀ p = y (backward).
  const P = new Float64Array(n * n);
  const y = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    for (let i = 0; i < n; i++) {
      let s = i === c ? 1 : 0;
      for (let k = c; k < i; k++) s -= L[i * n + k]! * y[k]!; // y_k = 0 for k < c
      y[i] = i < c ? 0 : s / L[i * n + i]!;
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = y[i]!;
      for (let k = i + 1; k < n; k++) s -= L[k * n + i]! * P[k * n + c]!;
      P[i * n + c] = s / L[i * n + i]!;
    }
  }
  const W = new Float32Array(n * n);
  for (let j = 0; j < n; j++) {
    const scale = -1 / P[j * n + j]!;
    for (let i = 0; i < n; i++) W[j * n + i] = i === j ? 0 : P[j * n + i]! * scale;
  }
  return W;
}

/** Rows of the dense history block scored per native call: bounds it to about 4M floats. */
const DENSE_BLOCK_FLOATS = 1 << 22;

function easeRecommender(weights: Float32Array, history: Csr, train: Csr, regularization: number, backend: 'native' | 'ts', threads: number): EaseModel {
  const n = train.cols;
  let B: Float32Array | null = null; // W transposed, for the sparse TS scoring path; made on first use
  const denseHistory = (rows: Int32Array): Float32Array => {
    const D = new Float32Array(rows.length * n);
    rows.forEach((u, r) => {
      for (let p = history.indptr[u]!; p < history.indptr[u + 1]!; p++) D[r * n + history.indices[p]!] = history.data[p]!;
    });
    return D;
  };
  // TS: score(u, ·) = Σ_i x_ui B_i, adding the contiguous rows of B = Wᵀ for the user's items only.
  const scoreSparse = (rows: Int32Array): Float32Array => {
    B ??= transposeSquare(weights, n);
    const S = new Float32Array(rows.length * n);
    rows.forEach((u, r) => {
      const out = S.subarray(r * n, (r + 1) * n);
      for (let p = history.indptr[u]!; p < history.indptr[u + 1]!; p++) {
        const x = history.data[p]!;
        const row = B!.subarray(history.indices[p]! * n, (history.indices[p]! + 1) * n);
        for (let j = 0; j < n; j++) out[j]! += x * row[j]!;
      }
    });
    return S;
  };
  const inBlocks = async <T>(rows: Int32Array, run: (block: Int32Array, dense: Float32Array) => Promise<T>): Promise<T[]> => {
    const size = Math.max(1, Math.floor(DENSE_BLOCK_FLOATS / Math.max(1, n)));
    const out: T[] = [];
    for (let s = 0; s < rows.length; s += size) {
      const block = rows.subarray(s, s + size);
      out.push(await run(block, denseHistory(block)));
    }
    return out;
  };
  return {
    name: 'EASE',
    itemCount: n,
    weights,
    regularization,
    backend,
    async scoreUsers(rows) {
      if (backend === 'ts') return scoreSparse(rows);
      const parts = await inBlocks(rows, (block, D) => loadAddon().scoreRows(D, weights, n, localRows(block.length), threads));
      return concatFloat32(parts, rows.length * n);
    },
    async topN(rows, count) {
      if (backend === 'ts') return topNFromScores(scoreSparse(rows), n, rows, count, train);
      // The native kernel excludes by the row of `exclude` matching the dense block's row index,
      // so the exclusion CSR is the train rows of this block, re-indexed from 0.
      const parts = await inBlocks(rows, (block, D) => loadAddon().topN(D, weights, n, localRows(block.length), count, rowsOf(train, block), threads));
      return { items: concatInt32(parts.map((p) => p.items)), scores: concatFloat32(parts.map((p) => p.scores), rows.length * count) };
    },
  };
}

function localRows(count: number): Int32Array {
  return Int32Array.from({ length: count }, (_, r) => r);
}

/** The pattern of the given rows of `m`, as a CSR whose row r is m's row rows[r]. */
function rowsOf(m: Csr, rows: Int32Array): Csr {
  const indptr = new Int32Array(rows.length + 1);
  rows.forEach((u, r) => (indptr[r + 1] = indptr[r]! + m.indptr[u + 1]! - m.indptr[u]!));
  const indices = new Int32Array(indptr[rows.length]!);
  rows.forEach((u, r) => indices.set(m.indices.subarray(m.indptr[u]!, m.indptr[u + 1]!), indptr[r]!));
  return { rows: rows.length, cols: m.cols, indptr, indices, data: new Float32Array(indices.length) };
}

function transposeSquare(W: Float32Array, n: number): Float32Array {
  const T = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) T[j * n + i] = W[i * n + j]!;
  return T;
}

function concatFloat32(parts: Float32Array[], length: number): Float32Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Float32Array(length);
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.length));
  return out;
}

function concatInt32(parts: Int32Array[]): Int32Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Int32Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.length));
  return out;
}

function formatBytes(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GiB` : `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}

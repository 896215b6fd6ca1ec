/**
 * The pure-TypeScript backend: readable kernels, always available, used as the fallback and as
 * the reference the native backend is checked against. Maths as in Hu, Koren & Volinsky (2008)
 * and implicit 0.7 (`implicit/cpu/_als.pyx`):
 *
 * Glossary: Y (cols x k) the fixed side's factors, YtY = Yᵀ Y, Cu the row's confidences
 * (c = alpha * r; a negative c means preference 0 with confidence |c|), p_u the preferences
 * (1 where c > 0), lambda the regularization. Per row: A = YtY + Yᵀ(Cu − I)Y + lambda·I,
 * b = Yᵀ Cu p_u, x_u = A⁻¹ b; generalized (objective.ts, docs/model.md) to
 * A = a0·YtY + Yᵀ(Cu − a0·I)Y + lambda_u·I with a weight a0 for unobserved pairs and a per-row
 * lambda_u. Arithmetic is in float64; results are stored as float32.
 */
import type { AlsBackend, HalfSweepOptions, PinnedFactors, TopNResult } from './backend.js';
import { RowSolveError } from './backend.js';
import type { Csr } from '../matrix/csr.js';
import { selectTopN, TopNHeap } from './selectTopN.js';
import { PLAIN_OBJECTIVE, positiveEntries, rowRegularization, type ObjectiveScaling } from './objective.js';
import { checkCsrForKernel } from './kernelInputChecks.js';
import { invalidOption } from '../errors.js';

/** YtY (k x k, row-major, float64) of row-major `Y` with `rows` rows. */
export function gram(Y: Float32Array, rows: number, k: number): Float64Array {
  const G = new Float64Array(k * k);
  for (let r = 0; r < rows; r++) {
    const o = r * k;
    for (let a = 0; a < k; a++) {
      const ya = Y[o + a]!;
      if (ya === 0) continue;
      const ga = a * k;
      for (let b = 0; b <= a; b++) G[ga + b]! += ya * Y[o + b]!;
    }
  }
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) G[b * k + a] = G[a * k + b]!;
  return G;
}

/**
 * In-place Cholesky factorization of the lower triangle of `A` (k x k, row-major):
 * A = L Lᵀ. Returns false when A is not (numerically) positive definite.
 */
export function choleskyInPlace(A: Float64Array, k: number): boolean {
  for (let j = 0; j < k; j++) {
    let d = A[j * k + j]!;
    for (let p = 0; p < j; p++) d -= A[j * k + p]! * A[j * k + p]!;
    if (!(d > 0) || !Number.isFinite(d)) return false;
    const ljj = Math.sqrt(d);
    A[j * k + j] = ljj;
    for (let i = j + 1; i < k; i++) {
      let s = A[i * k + j]!;
      for (let p = 0; p < j; p++) s -= A[i * k + p]! * A[j * k + p]!;
      A[i * k + j] = s / ljj;
    }
  }
  return true;
}

/** Solves L Lᵀ x = b in place in `b`, with L from {@link choleskyInPlace}. */
export function choleskySolveInPlace(L: Float64Array, k: number, b: Float64Array): void {
  for (let i = 0; i < k; i++) {
    let s = b[i]!;
    for (let p = 0; p < i; p++) s -= L[i * k + p]! * b[p]!;
    b[i] = s / L[i * k + i]!; // y = inv(L) * b
  }
  for (let i = k - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let p = i + 1; p < k; p++) s -= L[p * k + i]! * b[p]!;
    b[i] = s / L[i * k + i]!; // x = inv(Lᵀ) * y
  }
}

/**
 * Exact per-row solve: builds A and b for every row and solves by Cholesky. `YtY`, when given,
 * is `gram(Y, C.cols, k)` computed earlier (the model caches it for new-user fold-ins); it is
 * the plain Gram, never scaled by a0, and is only read here.
 */
export function solveRowsCholesky(
  C: Csr,
  X: Float32Array,
  Y: Float32Array,
  k: number,
  lambda: number,
  scaling: ObjectiveScaling = PLAIN_OBJECTIVE,
  YtY: Float64Array = gram(Y, C.cols, k),
): void {
  const a0 = scaling.unobservedWeight;
  // a0*YtY, in a copy when a0 != 1: a cached YtY is shared with later fold-ins.
  const G = a0 === 1 ? YtY : YtY.map((g) => a0 * g);
  const A = new Float64Array(k * k);
  const b = new Float64Array(k);
  for (let u = 0; u < C.rows; u++) {
    const start = C.indptr[u]!;
    const end = C.indptr[u + 1]!;
    const xo = u * k;
    if (start === end) {
      X.fill(0, xo, xo + k);
      continue;
    }
    A.set(G);
    const lambdaU = rowRegularization(lambda, scaling, positiveEntries(C, u));
    for (let a = 0; a < k; a++) A[a * k + a]! += lambdaU;
    b.fill(0);
    for (let p = start; p < end; p++) {
      const c = C.data[p]!;
      const conf = Math.abs(c);
      const yo = C.indices[p]! * k;
      const w = conf - a0; // A += (c_ui - a0) y_i y_iᵀ, lower triangle only
      for (let a = 0; a < k; a++) {
        const wya = w * Y[yo + a]!;
        const ga = a * k;
        for (let bb = 0; bb <= a; bb++) A[ga + bb]! += wya * Y[yo + bb]!;
      }
      if (c > 0) for (let a = 0; a < k; a++) b[a]! += c * Y[yo + a]!; // b += c_ui p_ui y_i
    }
    if (!choleskyInPlace(A, k)) throw new RowSolveError(u);
    choleskySolveInPlace(A, k, b);
    for (let a = 0; a < k; a++) {
      if (!Number.isFinite(b[a]!)) throw new RowSolveError(u, 'Cholesky solve gave a non-finite value');
      X[xo + a] = b[a]!;
    }
  }
}

/**
 * Conjugate-gradient per-row solve (Takács, Pilászy & Tikk 2011; implicit's `_least_squares_cg`):
 * `steps` CG iterations warm-started from the current x_u, A applied as
 * (a0·YtY + lambda_u·I) v + Yᵀ(Cu − a0·I)(Y v) without forming it.
 */
export function solveRowsConjugateGradient(
  C: Csr,
  X: Float32Array,
  Y: Float32Array,
  k: number,
  lambda: number,
  steps: number,
  scaling: ObjectiveScaling = PLAIN_OBJECTIVE,
): void {
  const a0 = scaling.unobservedWeight;
  const YtY = gram(Y, C.cols, k);
  for (let j = 0; j < YtY.length; j++) YtY[j]! *= a0;
  // A uniform lambda is folded into YtY once (the arithmetic of implicit's CG); a per-row one
  // is added in applyA.
  const perRow = scaling.regularizationExponent !== 0;
  if (!perRow) for (let a = 0; a < k; a++) YtY[a * k + a]! += lambda;
  const x = new Float64Array(k);
  const r = new Float64Array(k);
  const p = new Float64Array(k);
  const Ap = new Float64Array(k);
  let lambdaU = 0;

  // out = (a0 YtY + lambda_u I) v + sum_i (|c_i| - a0) (y_i . v) y_i over the row's entries
  const applyA = (start: number, end: number, v: Float64Array, out: Float64Array): void => {
    for (let a = 0; a < k; a++) {
      let s = lambdaU * v[a]!;
      const ga = a * k;
      for (let bb = 0; bb < k; bb++) s += YtY[ga + bb]! * v[bb]!;
      out[a] = s;
    }
    for (let q = start; q < end; q++) {
      const yo = C.indices[q]! * k;
      let dot = 0;
      for (let a = 0; a < k; a++) dot += Y[yo + a]! * v[a]!;
      const w = (Math.abs(C.data[q]!) - a0) * dot;
      for (let a = 0; a < k; a++) out[a]! += w * Y[yo + a]!;
    }
  };

  for (let u = 0; u < C.rows; u++) {
    const start = C.indptr[u]!;
    const end = C.indptr[u + 1]!;
    const xo = u * k;
    if (start === end) {
      X.fill(0, xo, xo + k);
      continue;
    }
    for (let a = 0; a < k; a++) x[a] = X[xo + a]!;
    if (perRow) lambdaU = rowRegularization(lambda, scaling, positiveEntries(C, u));
    // r = b - A x, with b = sum_{c>0} c y_i
    applyA(start, end, x, Ap);
    for (let a = 0; a < k; a++) r[a] = -Ap[a]!;
    for (let q = start; q < end; q++) {
      const c = C.data[q]!;
      if (c <= 0) continue;
      const yo = C.indices[q]! * k;
      for (let a = 0; a < k; a++) r[a]! += c * Y[yo + a]!;
    }
    p.set(r);
    let rsold = dot(r, r, k);
    if (rsold < 1e-20) continue;
    for (let it = 0; it < steps; it++) {
      applyA(start, end, p, Ap);
      const step = rsold / dot(p, Ap, k);
      for (let a = 0; a < k; a++) {
        x[a]! += step * p[a]!;
        r[a]! -= step * Ap[a]!;
      }
      const rsnew = dot(r, r, k);
      if (rsnew < 1e-20) break;
      const beta = rsnew / rsold;
      for (let a = 0; a < k; a++) p[a] = r[a]! + beta * p[a]!;
      rsold = rsnew;
    }
    for (let a = 0; a < k; a++) X[xo + a] = x[a]!;
  }
}

function dot(a: Float64Array, b: Float64Array, k: number): number {
  let s = 0;
  for (let j = 0; j < k; j++) s += a[j]! * b[j]!;
  return s;
}

/**
 * Top-n of X[u] . Y[i] for each u of `rows`, skipping the entries of `exclude`'s row u: each
 * row's scores (summed in float64 in the order a = 0..k-1) go through {@link selectTopN}.
 */
export function topNScores(
  X: Float32Array,
  Y: Float32Array,
  k: number,
  rows: Int32Array,
  n: number,
  exclude: Csr | null,
): TopNResult {
  const cols = Y.length / k;
  const items = new Int32Array(rows.length * n);
  const scores = new Float32Array(rows.length * n);
  const heap = new TopNHeap(n);
  const row = new Float64Array(cols);
  const skip = exclude === null ? null : new Uint8Array(cols);
  for (let r = 0; r < rows.length; r++) {
    const u = rows[r]!;
    const xo = u * k;
    for (let i = 0; i < cols; i++) {
      const yo = i * k;
      let s = 0;
      for (let a = 0; a < k; a++) s += X[xo + a]! * Y[yo + a]!;
      row[i] = s;
    }
    if (skip !== null) {
      skip.fill(0);
      for (let q = exclude!.indptr[u]!; q < exclude!.indptr[u + 1]!; q++) skip[exclude!.indices[q]!] = 1;
    }
    selectTopN(row, n, skip, heap, { items, scores, offset: r * n });
  }
  return { items, scores };
}

/**
 * S = X[rows] · Yᵀ (rows.length x items, row-major), rounded to float32 like the backends'
 * scores. Four users share each pass over an item's factors, so Y is read a quarter as often.
 */
export function scoreBlock(X: Float32Array, Y: Float32Array, k: number, rows: Int32Array): Float32Array {
  const items = Y.length / k;
  const S = new Float32Array(rows.length * items);
  let r = 0;
  for (; r + 4 <= rows.length; r += 4) {
    const x0 = rows[r]! * k;
    const x1 = rows[r + 1]! * k;
    const x2 = rows[r + 2]! * k;
    const x3 = rows[r + 3]! * k;
    for (let i = 0; i < items; i++) {
      const yo = i * k;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let a = 0; a < k; a++) {
        const y = Y[yo + a]!;
        s0 += X[x0 + a]! * y;
        s1 += X[x1 + a]! * y;
        s2 += X[x2 + a]! * y;
        s3 += X[x3 + a]! * y;
      }
      S[r * items + i] = s0;
      S[(r + 1) * items + i] = s1;
      S[(r + 2) * items + i] = s2;
      S[(r + 3) * items + i] = s3;
    }
  }
  for (; r < rows.length; r++) {
    const xo = rows[r]! * k;
    for (let i = 0; i < items; i++) {
      const yo = i * k;
      let s = 0;
      for (let a = 0; a < k; a++) s += X[xo + a]! * Y[yo + a]!;
      S[r * items + i] = s;
    }
  }
  return S;
}

/** The pure-TypeScript {@link AlsBackend}. Blocks the event loop while a half-sweep runs. */
/** This backend has no pinFactors, so a pinned table here is another backend's: refuse it. */
function plainFactors(Y: Float32Array | PinnedFactors): Float32Array {
  if (!(Y instanceof Float32Array)) throw invalidOption('Y', 'a Float32Array (the TypeScript backend pins no factors)', Y);
  return Y;
}

export const tsBackend: AlsBackend = {
  name: 'ts',
  async halfSweep(C: Csr, X: Float32Array, Y: Float32Array, k: number, o: HalfSweepOptions): Promise<void> {
    checkCsrForKernel(C, 'confidence');
    if (o.solver === 'cholesky') solveRowsCholesky(C, X, Y, k, o.regularization, o.objective);
    else solveRowsConjugateGradient(C, X, Y, k, o.regularization, o.cgSteps, o.objective);
  },
  async topN(X, Y, k, rows, n, exclude): Promise<TopNResult> {
    return topNScores(X, plainFactors(Y), k, rows, n, exclude);
  },
  async scoreRows(X, Y, k, rows): Promise<Float32Array> {
    return scoreBlock(X, plainFactors(Y), k, rows);
  },
};

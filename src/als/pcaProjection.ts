/**
 * A 2-D principal-component projection of factor rows, for the dashboard's item map.
 *
 * With the rows y_i (i in the chosen set, n of them) centred on their mean mu, the covariance is
 *   S = (1/n) sum_i (y_i - mu)(y_i - mu)ᵀ            (k x k, accumulated in float64)
 * and the projection of row i is ((y_i - mu)·v1, (y_i - mu)·v2) for the two leading eigenvectors
 * v1, v2 of S. They come from subspace (block power) iteration on a 2-column basis, re-
 * orthonormalised by Gram-Schmidt every step: O(k²) per step, enough for k up to the 4096-factor
 * cap, where a full eigendecomposition would be O(k³). The signs are fixed (largest-magnitude
 * component positive) so the picture does not flip between runs.
 */

export interface PcaProjection {
  /** Coordinates of each chosen row on the first and second component. */
  readonly x: Float32Array;
  readonly y: Float32Array;
  /** The variance along each component (eigenvalues of S) and the total variance (trace of S). */
  readonly variance: readonly [number, number];
  readonly totalVariance: number;
}

const MAX_STEPS = 500;
const TOLERANCE = 1e-10;

/**
 * Projects rows `rows` of the row-major `F` (k columns) onto their two leading principal
 * components.
 * @example const { x, y } = pcaProjection(model.itemFactors, 50, Int32Array.from({ length: 1682 }, (_, i) => i));
 */
export function pcaProjection(F: Float32Array, k: number, rows: Int32Array): PcaProjection {
  const n = rows.length;
  const mu = new Float64Array(k);
  for (const r of rows) for (let a = 0; a < k; a++) mu[a]! += F[r * k + a]!;
  for (let a = 0; a < k; a++) mu[a]! /= Math.max(1, n);
  const S = new Float64Array(k * k);
  const d = new Float64Array(k);
  for (const r of rows) {
    for (let a = 0; a < k; a++) d[a] = F[r * k + a]! - mu[a]!;
    for (let a = 0; a < k; a++) {
      const da = d[a]!;
      if (da === 0) continue;
      for (let b = a; b < k; b++) S[a * k + b]! += da * d[b]!;
    }
  }
  for (let a = 0; a < k; a++) {
    for (let b = a; b < k; b++) {
      const v = S[a * k + b]! / Math.max(1, n);
      S[a * k + b] = v;
      S[b * k + a] = v;
    }
  }
  const [v1, v2, variance] = leadingEigenvectors(S, k);
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  rows.forEach((r, j) => {
    let p = 0;
    let q = 0;
    for (let a = 0; a < k; a++) {
      const c = F[r * k + a]! - mu[a]!;
      p += c * v1[a]!;
      q += c * v2[a]!;
    }
    x[j] = p;
    y[j] = q;
  });
  let trace = 0;
  for (let a = 0; a < k; a++) trace += S[a * k + a]!;
  return { x, y, variance, totalVariance: trace };
}

/** The two leading eigenvectors of the symmetric k x k `S` and their eigenvalues (Rayleigh quotients). */
function leadingEigenvectors(S: Float64Array, k: number): [Float64Array, Float64Array, [number, number]] {
  // A fixed, generic start (not aligned with any axis) keeps the result deterministic.
  let v1: Float64Array = Float64Array.from({ length: k }, (_, a) => 1 + ((a * 7919) % 13) / 13);
  let v2: Float64Array = Float64Array.from({ length: k }, (_, a) => ((a * 104729) % 17) / 17 - 0.5);
  orthonormalize(v1, v2);
  for (let step = 0; step < MAX_STEPS; step++) {
    const w1 = multiply(S, v1, k);
    const w2 = multiply(S, v2, k);
    if (!orthonormalize(w1, w2)) break; // S has rank < 2: keep the last basis
    const moved = 2 - Math.abs(dot(w1, v1)) - Math.abs(dot(w2, v2));
    v1 = w1;
    v2 = w2;
    if (moved < TOLERANCE) break;
  }
  // Subspace iteration converges to the leading 2-D subspace; rotate within it to the
  // eigenvectors (a 2 x 2 symmetric eigenproblem of S restricted to the basis).
  const Sv1 = multiply(S, v1, k);
  const Sv2 = multiply(S, v2, k);
  const a = dot(v1, Sv1);
  const b = dot(v1, Sv2);
  const c = dot(v2, Sv2);
  const theta = 0.5 * Math.atan2(2 * b, a - c);
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const e1 = new Float64Array(k);
  const e2 = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    e1[j] = cos * v1[j]! + sin * v2[j]!;
    e2[j] = -sin * v1[j]! + cos * v2[j]!;
  }
  let l1 = dot(e1, multiply(S, e1, k));
  let l2 = dot(e2, multiply(S, e2, k));
  let first = e1;
  let second = e2;
  if (l2 > l1) [first, second, l1, l2] = [e2, e1, l2, l1];
  fixSign(first);
  fixSign(second);
  return [first, second, [l1, l2]];
}

function multiply(S: Float64Array, v: Float64Array, k: number): Float64Array {
  const out = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    let s = 0;
    for (let b = 0; b < k; b++) s += S[a * k + b]! * v[b]!;
    out[a] = s;
  }
  return out;
}

function dot(u: Float64Array, v: Float64Array): number {
  let s = 0;
  for (let j = 0; j < u.length; j++) s += u[j]! * v[j]!;
  return s;
}

/** Gram-Schmidt on (u, v) in place; false when either becomes (numerically) zero. */
function orthonormalize(u: Float64Array, v: Float64Array): boolean {
  const nu = Math.sqrt(dot(u, u));
  if (!(nu > 1e-300)) return false;
  for (let j = 0; j < u.length; j++) u[j]! /= nu;
  const p = dot(u, v);
  for (let j = 0; j < v.length; j++) v[j]! -= p * u[j]!;
  const nv = Math.sqrt(dot(v, v));
  if (!(nv > 1e-300)) return false;
  for (let j = 0; j < v.length; j++) v[j]! /= nv;
  return true;
}

function fixSign(v: Float64Array): void {
  let big = 0;
  for (let j = 0; j < v.length; j++) if (Math.abs(v[j]!) > Math.abs(v[big]!)) big = j;
  if (v[big]! < 0) for (let j = 0; j < v.length; j++) v[j] = -v[j]!;
}

/**
 * The implicit-feedback objective of Hu, Koren & Volinsky (2008), normalised as implicit 0.7
 * does (`calculate_loss`): 
 *   L = [ sum_u,i c_ui (p_ui - x_u.y_i)^2 + lambda (sum_u |x_u|^2 + sum_i |y_i|^2) ]
 *       / (sum |c_ui| over observed + (#users * #items - nnz))
 * The unobserved pairs (c = 1, p = 0) are summed in closed form through x_u YtY x_uᵀ, so the
 * cost is O(nnz k + users k^2), not O(users * items).
 */
import type { Csr } from '../matrix/csr.js';
import { gram } from './tsBackend.js';

export function trainingLoss(C: Csr, X: Float32Array, Y: Float32Array, k: number, lambda: number): number {
  const YtY = gram(Y, C.cols, k);
  let loss = 0;
  let totalConfidence = 0;
  let xNorm = 0;
  for (let u = 0; u < C.rows; u++) {
    const xo = u * k;
    // x_u YtY x_uᵀ: every item as if unobserved (c = 1, p = 0)
    for (let a = 0; a < k; a++) {
      const xa = X[xo + a]!;
      xNorm += xa * xa;
      let s = 0;
      for (let b = 0; b < k; b++) s += YtY[a * k + b]! * X[xo + b]!;
      loss += xa * s;
    }
    // correct the observed entries: c (p - s)^2 - s^2
    for (let q = C.indptr[u]!; q < C.indptr[u + 1]!; q++) {
      const c = C.data[q]!;
      const conf = Math.abs(c);
      const pref = c > 0 ? 1 : 0;
      const yo = C.indices[q]! * k;
      let s = 0;
      for (let a = 0; a < k; a++) s += X[xo + a]! * Y[yo + a]!;
      loss += conf * (pref - s) * (pref - s) - s * s;
      totalConfidence += conf;
    }
  }
  let yNorm = 0;
  for (let j = 0; j < Y.length; j++) yNorm += Y[j]! * Y[j]!;
  loss += lambda * (xNorm + yNorm);
  const nnz = C.indptr[C.rows]!;
  return loss / (totalConfidence + C.rows * C.cols - nnz);
}

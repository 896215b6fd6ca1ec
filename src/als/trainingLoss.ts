/**
 * The implicit-feedback objective of Hu, Koren & Volinsky (2008), normalised as implicit 0.7
 * does (`calculate_loss`), with the weight a0 of unobserved pairs and the per-row lambda of
 * objective.ts (a0 = 1, lambda_u = lambda reproduce implicit's figure):
 *   L = [ sum_observed c_ui (p_ui - x_u.y_i)^2 + a0 sum_unobserved (x_u.y_i)^2
 *         + sum_u lambda_u |x_u|^2 + sum_i lambda_i |y_i|^2 ]
 *       / (sum |c_ui| over observed + a0 (#users * #items - nnz))
 * The unobserved pairs are summed in closed form through a0 x_u YtY x_uᵀ, so the cost is
 * O(nnz k + users k^2), not O(users * items).
 */
import type { Csr } from '../matrix/csr.js';
import { gram } from './tsBackend.js';
import { halfSweepScaling, positiveEntries, rowRegularization } from './objective.js';
import type { ResolvedAlsOptions } from './options.js';

/** The options that shape the objective; omitted, Hu et al.'s. */
export type ObjectiveOptions = Pick<ResolvedAlsOptions, 'convention' | 'unobservedWeight' | 'regularizationExponent'>;

const HU_ET_AL: ObjectiveOptions = { convention: 'implicit', unobservedWeight: 1, regularizationExponent: 0 };

/**
 * @example trainingLoss(Cui, userFactors, itemFactors, 50, 0.01); // e.g. 0.0061
 */
export function trainingLoss(C: Csr, X: Float32Array, Y: Float32Array, k: number, lambda: number, objective: ObjectiveOptions = HU_ET_AL): number {
  const a0 = objective.unobservedWeight;
  const userScaling = halfSweepScaling(objective, C.cols);
  const itemScaling = halfSweepScaling(objective, C.rows);
  const YtY = gram(Y, C.cols, k);
  const itemPositives = new Float64Array(C.cols);
  let loss = 0;
  let totalConfidence = 0;
  for (let u = 0; u < C.rows; u++) {
    const xo = u * k;
    // a0 x_u YtY x_uᵀ: every item as if unobserved (weight a0, p = 0)
    let xNorm = 0;
    let quadratic = 0;
    for (let a = 0; a < k; a++) {
      const xa = X[xo + a]!;
      xNorm += xa * xa;
      let s = 0;
      for (let b = 0; b < k; b++) s += YtY[a * k + b]! * X[xo + b]!;
      quadratic += xa * s;
    }
    loss += a0 * quadratic + rowRegularization(lambda, userScaling, positiveEntries(C, u)) * xNorm;
    // correct the observed entries: c (p - s)^2 - a0 s^2
    for (let q = C.indptr[u]!; q < C.indptr[u + 1]!; q++) {
      const c = C.data[q]!;
      const conf = Math.abs(c);
      const pref = c > 0 ? 1 : 0;
      if (c > 0) itemPositives[C.indices[q]!]! += 1;
      const yo = C.indices[q]! * k;
      let s = 0;
      for (let a = 0; a < k; a++) s += X[xo + a]! * Y[yo + a]!;
      loss += conf * (pref - s) * (pref - s) - a0 * s * s;
      totalConfidence += conf;
    }
  }
  for (let i = 0; i < C.cols; i++) {
    let yNorm = 0;
    for (let a = 0; a < k; a++) yNorm += Y[i * k + a]! * Y[i * k + a]!;
    loss += rowRegularization(lambda, itemScaling, itemPositives[i]!) * yNorm;
  }
  const nnz = C.indptr[C.rows]!;
  return loss / (totalConfidence + a0 * (C.rows * C.cols - nnz));
}

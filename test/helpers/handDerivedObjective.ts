/**
 * Normal equations derived by hand from the loss of docs/model.md, for checking the backends:
 * plain loops over every column (observed or not), no Gramian shortcut, no code under test.
 *
 *   L_u(x) = sum_i w_ui (p_ui - x.y_i)^2 + lambda_u |x|^2,  w_ui = |c_ui| observed, a0 unobserved
 *   dL/dx = 0  <=>  (sum_i w_ui y_i y_iᵀ + lambda_u I) x = sum_i w_ui p_ui y_i
 *   lambda_u = lambda                                  nu = 0
 *            = lambda (n_u + a0 * cols)^nu             nu > 0, countUnobserved (Rendle et al. 2021)
 *            = lambda n_u^nu                           nu > 0, Spark (ALS-WR)
 * with n_u the row's entries of preference 1.
 */
import { buildCsr, type Csr } from '../../src/matrix/csr.js';
import type { RatingColumns } from '../../src/data/dataset.js';

export interface HandObjective {
  readonly lambda: number;
  readonly a0: number;
  readonly nu: number;
  /** Rendle et al.'s count n_u + a0 * cols (true) or Spark's n_u (false). */
  readonly countUnobserved: boolean;
}

/** Relative residual |A x_u - b| / |b| of row u of `C` (stored values: +c preference 1, -c preference 0). */
export function handDerivedResidual(C: Csr, X: Float32Array, Y: Float32Array, k: number, o: HandObjective, u: number): number {
  const weight = new Float64Array(C.cols).fill(o.a0);
  const preference = new Float64Array(C.cols);
  let positives = 0;
  for (let q = C.indptr[u]!; q < C.indptr[u + 1]!; q++) {
    weight[C.indices[q]!] = Math.abs(C.data[q]!);
    preference[C.indices[q]!] = C.data[q]! > 0 ? 1 : 0;
    if (C.data[q]! > 0) positives++;
  }
  const lambdaU = o.nu === 0 ? o.lambda : o.lambda * (positives + (o.countUnobserved ? o.a0 * C.cols : 0)) ** o.nu;
  const A = new Float64Array(k * k);
  const b = new Float64Array(k);
  for (let i = 0; i < C.cols; i++) {
    for (let a = 0; a < k; a++) {
      for (let bb = 0; bb < k; bb++) A[a * k + bb]! += weight[i]! * Y[i * k + a]! * Y[i * k + bb]!;
      b[a]! += weight[i]! * preference[i]! * Y[i * k + a]!;
    }
  }
  for (let a = 0; a < k; a++) A[a * k + a]! += lambdaU;
  let num = 0;
  let den = 0;
  for (let a = 0; a < k; a++) {
    let s = 0;
    for (let bb = 0; bb < k; bb++) s += A[a * k + bb]! * X[u * k + bb]!;
    num += (s - b[a]!) ** 2;
    den += b[a]! ** 2;
  }
  return Math.sqrt(num / den);
}

/**
 * 2 users x 3 movies of raw ratings, one of them negative (a dislike): user 0 rated movie 0 with
 * 4 and movie 2 with -1; user 1 rated movie 1 with 2 and movie 2 with 3. `objective` maps them to
 * stored confidences by each convention's definition, written out here independently of
 * confidenceMatrix.ts:
 *   implicit: c = alpha * r, p = [c > 0]
 *   spark:    c = 1 + alpha * |r|, p = [r > 0], nu defaults to 1, counts without a0 * cols
 */
export function tinyRatings(): {
  data: RatingColumns;
  objective(o: { convention: 'implicit' | 'spark'; alpha: number; regularization: number; unobservedWeight?: number; regularizationExponent?: number }): {
    users: Csr;
    items: Csr;
    userObjective: HandObjective;
    itemObjective: HandObjective;
  };
} {
  const users = Int32Array.of(0, 0, 1, 1);
  const items = Int32Array.of(0, 2, 1, 2);
  const ratings = Float32Array.of(4, -1, 2, 3);
  return {
    data: { users, items, ratings, timestamps: new Float64Array(4) },
    objective(o) {
      const values = Float32Array.from(ratings, (r) => {
        if (o.convention === 'implicit') return o.alpha * r;
        const c = 1 + o.alpha * Math.abs(r);
        return r > 0 ? c : -c;
      });
      const hand: HandObjective = {
        lambda: o.regularization,
        a0: o.unobservedWeight ?? 1,
        nu: o.regularizationExponent ?? (o.convention === 'spark' ? 1 : 0),
        countUnobserved: o.convention === 'implicit',
      };
      return {
        users: buildCsr(users, items, values, 2, 3),
        items: buildCsr(items, users, values, 3, 2),
        userObjective: hand,
        itemObjective: hand,
      };
    },
  };
}

/**
 * Each column's contribution to row u's score of column `item` (Hu et al. 2008, section 5),
 * from the same hand-derived A_u as {@link handDerivedResidual}:
 *   contribution_j = w_uj p_uj (y_jᵀ z),  z = A_u⁻¹ y_item (A_u symmetric, so y_itemᵀ A_u⁻¹ y_j = y_jᵀ z)
 * with z solved by Gaussian elimination with partial pivoting (no Cholesky, no code under test).
 * Columns the row did not rate with preference 1 get 0.
 */
export function handDerivedContributions(C: Csr, Y: Float32Array, k: number, o: HandObjective, u: number, item: number): Float64Array {
  const weight = new Float64Array(C.cols).fill(o.a0);
  const preference = new Float64Array(C.cols);
  let positives = 0;
  for (let q = C.indptr[u]!; q < C.indptr[u + 1]!; q++) {
    weight[C.indices[q]!] = Math.abs(C.data[q]!);
    preference[C.indices[q]!] = C.data[q]! > 0 ? 1 : 0;
    if (C.data[q]! > 0) positives++;
  }
  const lambdaU = o.nu === 0 ? o.lambda : o.lambda * (positives + (o.countUnobserved ? o.a0 * C.cols : 0)) ** o.nu;
  // Augmented [A | y_item], k x (k + 1)
  const M: number[][] = Array.from({ length: k }, (_, a) => {
    const row = new Array<number>(k + 1).fill(0);
    for (let i = 0; i < C.cols; i++) for (let bb = 0; bb < k; bb++) row[bb]! += weight[i]! * Y[i * k + a]! * Y[i * k + bb]!;
    row[a]! += lambdaU;
    row[k] = Y[item * k + a]!;
    return row;
  });
  for (let col = 0; col < k; col++) {
    let pivot = col;
    for (let r = col + 1; r < k; r++) if (Math.abs(M[r]![col]!) > Math.abs(M[pivot]![col]!)) pivot = r;
    [M[col], M[pivot]] = [M[pivot]!, M[col]!];
    for (let r = 0; r < k; r++) {
      if (r === col) continue;
      const f = M[r]![col]! / M[col]![col]!;
      for (let cc = col; cc <= k; cc++) M[r]![cc]! -= f * M[col]![cc]!;
    }
  }
  const z = M.map((row, a) => row[k]! / row[a]!);
  const out = new Float64Array(C.cols);
  for (let j = 0; j < C.cols; j++) {
    if (preference[j] === 0) continue;
    let s = 0;
    for (let a = 0; a < k; a++) s += z[a]! * Y[j * k + a]!;
    out[j] = weight[j]! * s;
  }
  return out;
}

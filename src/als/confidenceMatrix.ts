/**
 * The confidence matrix C an ALS fit trains on, from the interactions' ratings.
 *
 *   c_ui = alpha * r_ui                                   (Hu, Koren & Volinsky 2008, ratings
 *                                                          as the observations, as in implicit)
 *   c_ui = alpha * r_ui * 2^(-age_ui / halfLife)          with recency weighting, where
 *   age_ui = (latest timestamp of user u - t_ui) in days   (Ding & Li 2005, "Time weight
 *                                                          collaborative filtering": an
 *                                                          exponential weight with a half-life)
 *
 * Convention 'spark' (Spark MLlib's implicitPrefs, ml/recommendation/ALS.scala computeFactors:
 * "confidence is a function of |rating| ... c1 is confidence - 1"):
 *   c_ui = 1 + alpha * |r_ui| (* the recency weight), p_ui = [r_ui > 0]
 * stored as +c for p = 1 and -c for p = 0, the kernels' sign convention.
 *
 * Age is measured from each user's own latest rating in these interactions, so a held-out future
 * never enters it. A rating many half-lives old tends to confidence 0: it then weighs nothing,
 * neither as a positive nor as a missing entry (its c - 1 = -1 cancels its share of YtY).
 */
import type { Interactions } from '../matrix/interactions.js';
import { nnz, scaleCsr, type Csr } from '../matrix/csr.js';
import { InvalidOptionError, invalidOption } from '../errors.js';
import type { Convention } from './options.js';

const SECONDS_PER_DAY = 86_400;

/**
 * The largest |confidence| a fit accepts. Confidences are float32, and the solvers form sums of
 * their squares (CG's residual norm r.r, the Gram terms Yt Cu Y), which overflow float32 (3.4e38)
 * long before a confidence does: on ML-100K the native CG solve turns non-finite from confidences
 * of about 5e14 (measured with alsrec train --alpha 1e14), Cholesky loses definiteness earlier
 * still. 1e12 keeps a margin, and is far above any rating scale in use.
 */
export const MAX_CONFIDENCE = 1e12;

/**
 * The stored confidence of one rating, `weight` being its recency weight (1 without).
 * @example confidenceValue(-1, 2, 'spark'); // -3: confidence 3, preference 0
 */
export function confidenceValue(rating: number, alpha: number, convention: Convention, weight = 1): number {
  if (convention === 'implicit') return alpha * rating * weight;
  const c = 1 + alpha * Math.abs(rating) * weight;
  return rating > 0 ? c : -c;
}

/**
 * @param recencyHalfLife days; 0 turns recency weighting off.
 * @throws InvalidOptionError when recency weighting is asked for interactions without timestamps.
 * @example
 * const C = confidenceMatrix(train, 1, 7); // a rating a week older than the user's latest counts half
 */
export function confidenceMatrix(
  data: Pick<Interactions, 'matrix' | 'timestamps'>,
  alpha: number,
  recencyHalfLife: number,
  convention: Convention = 'implicit',
): Csr {
  const m = data.matrix;
  if (recencyHalfLife === 0) {
    // alpha = 1 (the default): the ratings are the confidences; the fit only reads them, so no copy.
    if (convention === 'implicit') return withinConfidenceBound(alpha === 1 ? m : scaleCsr(m, alpha), alpha);
    return withinConfidenceBound({ ...m, data: Float32Array.from(m.data, (r) => confidenceValue(r, alpha, convention)) }, alpha);
  }
  const t = data.timestamps;
  if (t === undefined || t.length !== nnz(m)) {
    throw invalidOption('recencyHalfLife', '0 (off) for interactions without a timestamp per rating', recencyHalfLife);
  }
  const decayPerSecond = Math.LN2 / (recencyHalfLife * SECONDS_PER_DAY);
  const data32 = new Float32Array(m.data.length);
  for (let u = 0; u < m.rows; u++) {
    const begin = m.indptr[u]!;
    const end = m.indptr[u + 1]!;
    let latest = -Infinity;
    for (let p = begin; p < end; p++) latest = Math.max(latest, t[p]!);
    for (let p = begin; p < end; p++) data32[p] = confidenceValue(m.data[p]!, alpha, convention, Math.exp(-(latest - t[p]!) * decayPerSecond));
  }
  return withinConfidenceBound({ ...m, data: data32 }, alpha);
}

/**
 * Why the confidence of `rating` is not an acceptable confidence (its magnitude above {@link MAX_CONFIDENCE}),
 * or null. For ratings that reach a fitted model without a fit (new users, updates); `convention`
 * is the model's (see {@link confidenceValue}).
 * @example confidenceProblem(1, 1e20) // 'confidence alpha x rating = 1 x 1e+20 exceeds 1e12 (the float32 solvers square confidences)'
 */
export function confidenceProblem(alpha: number, rating: number, convention: Convention = 'implicit'): string | null {
  const c = Math.abs(confidenceValue(rating, alpha, convention));
  if (c <= MAX_CONFIDENCE) return null;
  const formula = convention === 'implicit' ? `alpha x rating = ${alpha} x ${rating}` : `1 + alpha x |rating| = 1 + ${alpha} x ${Math.abs(rating)}`;
  return `confidence ${formula} exceeds 1e12 (the float32 solvers square confidences)`;
}

/** `C`, after checking that no |confidence| exceeds {@link MAX_CONFIDENCE} (NaN counts as exceeding). */
function withinConfidenceBound(C: Csr, alpha: number): Csr {
  let largest = 0;
  const n = nnz(C);
  for (let p = 0; p < n; p++) {
    const c = Math.abs(C.data[p]!);
    if (!(c <= largest)) largest = c;
  }
  if (!(largest <= MAX_CONFIDENCE)) {
    throw new InvalidOptionError('alpha',
      `Expected alpha x |rating| <= 1e12 (confidences are float32 and the solvers square them) for alpha but received ${alpha} (largest confidence ${Number(largest.toPrecision(7)).toExponential()}; lower alpha or rescale the ratings)`);
  }
  return C;
}

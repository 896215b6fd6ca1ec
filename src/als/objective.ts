/**
 * The training objective's knobs beyond Hu, Koren & Volinsky (2008), shared by both backends,
 * the training loss, partial fits and fold-in (docs/model.md has the derivation):
 *
 *   L = sum_(u,i) observed c_ui (p_ui - x_u.y_i)^2 + a0 * sum_(u,i) unobserved (x_u.y_i)^2
 *       + sum_u lambda_u |x_u|^2 + sum_i lambda_i |y_i|^2
 *
 *   lambda_u = lambda                                  exponent nu = 0 (Hu et al., implicit)
 *   lambda_u = lambda * (n_u + a0 * |I|)^nu            convention 'implicit', nu > 0 (Rendle,
 *                                                      Krichene, Zhang & Koren 2021, eq. for R(W,H))
 *   lambda_u = lambda * n_u^nu                         convention 'spark' (nu = 1: Spark's ALS-WR,
 *                                                      `numExplicits * regParam` in
 *                                                      ml/recommendation/ALS.scala computeFactors)
 *
 * n_u counts the row's entries with preference 1 (stored value > 0; Spark counts ratings > 0 in
 * implicit mode), |I| the other side's size (items for a user, users for an item), a0 the
 * weight of unobserved pairs. Row u's normal equations:
 *   (a0*YtY + Yt(Cu - a0*I)Y + lambda_u*I) x_u = Yt Cu p_u
 */
import type { Csr } from '../matrix/csr.js';

/** What a half-sweep needs beyond lambda; `{ 1, 0, 0 }` is Hu et al.'s objective. */
export interface ObjectiveScaling {
  /** a0: the weight of every unobserved pair (Rendle et al.'s alpha0). */
  readonly unobservedWeight: number;
  /** nu: 0 keeps lambda_u = lambda for every row. */
  readonly regularizationExponent: number;
  /** Added to n_u before the power: a0 * |other side| ('implicit'), or 0 ('spark'). */
  readonly frequencyOffset: number;
}

/** Hu et al.'s objective: every unobserved pair weighs 1, every row the same lambda. */
export const PLAIN_OBJECTIVE: ObjectiveScaling = { unobservedWeight: 1, regularizationExponent: 0, frequencyOffset: 0 };

/**
 * The scaling of one half-sweep whose fixed side has `otherRows` rows.
 *
 * @example
 * halfSweepScaling({ convention: 'implicit', unobservedWeight: 0.1, regularizationExponent: 1 }, 1682);
 * // { unobservedWeight: 0.1, regularizationExponent: 1, frequencyOffset: 168.2 }
 */
export function halfSweepScaling(
  o: { readonly convention: 'implicit' | 'spark'; readonly unobservedWeight: number; readonly regularizationExponent: number },
  otherRows: number,
): ObjectiveScaling {
  return {
    unobservedWeight: o.unobservedWeight,
    regularizationExponent: o.regularizationExponent,
    frequencyOffset: o.convention === 'spark' ? 0 : o.unobservedWeight * otherRows,
  };
}

/**
 * lambda_u of a row with `positives` entries of preference 1.
 * @example rowRegularization(0.01, { unobservedWeight: 1, regularizationExponent: 1, frequencyOffset: 0 }, 20); // 0.2
 */
export function rowRegularization(lambda: number, s: ObjectiveScaling, positives: number): number {
  return s.regularizationExponent === 0 ? lambda : lambda * Math.pow(positives + s.frequencyOffset, s.regularizationExponent);
}

/** Entries with a stored value > 0 (preference 1) in row `u` of `C`. */
export function positiveEntries(C: Csr, u: number): number {
  let n = 0;
  for (let q = C.indptr[u]!; q < C.indptr[u + 1]!; q++) if (C.data[q]! > 0) n++;
  return n;
}

/**
 * The objective's options as a phrase for logs, empty for Hu et al.'s.
 * @example describeObjective({ convention: 'spark', regularizationExponent: 1, unobservedWeight: 1 }); // ', convention spark (lambda_u = lambda * n_u^1)'
 */
export function describeObjective(o: { readonly convention: 'implicit' | 'spark'; readonly unobservedWeight: number; readonly regularizationExponent: number }): string {
  const parts: string[] = [];
  if (o.convention !== 'implicit') parts.push(`convention ${o.convention}`);
  if (o.regularizationExponent !== 0) {
    parts.push(`regularization exponent ${o.regularizationExponent} (lambda_u = lambda * (${o.convention === 'spark' ? 'n_u' : 'n_u + a0 * |I|'})^${o.regularizationExponent})`);
  }
  if (o.unobservedWeight !== 1) parts.push(`unobserved weight ${o.unobservedWeight}`);
  return parts.map((p) => `, ${p}`).join('');
}

/**
 * Recommendations for a user the model has not seen, from a few ratings (fold-in: one exact
 * least-squares solve of the user's factors against the fixed item factors,
 * x = (YtY + Yᵀ(Cu − I)Y + lambda·I)⁻¹ Yᵀ Cu p, then the usual top-n skipping the rated movies).
 * The maths is the TS backend's Cholesky row solve, applied to a one-row matrix.
 */
import type { ALS, Recommendation } from '../als/model.js';
import { buildCsr } from '../matrix/csr.js';
import { solveRowsCholesky, topNScores } from '../als/tsBackend.js';
import { RowSolveError } from '../als/backend.js';
import { NumericalError } from '../errors.js';

export interface NewUserRating {
  movieId: number;
  rating: number;
}

/**
 * Top-n movies for a new user who rated `ratings` (movie ids must be unique and known to the
 * model; UnknownIdError otherwise).
 * @example recommendForRatings(model, [{ movieId: 50, rating: 5 }], 10)
 */
export function recommendForRatings(model: ALS, ratings: readonly NewUserRating[], n: number): Recommendation[] {
  const s = model.state;
  const { factors: k, alpha, regularization } = model.options;
  const cols = s.items.indices(ratings.map((r) => r.movieId), 'movie');
  const confidence = Float32Array.from(ratings, (r) => alpha * r.rating);
  const Cu = buildCsr(new Int32Array(cols.length), cols, confidence, 1, s.items.size);
  const x = new Float32Array(k);
  try {
    solveRowsCholesky(Cu, x, s.itemFactors, k, regularization);
  } catch (err) {
    if (err instanceof RowSolveError) throw new NumericalError(`Cholesky failed for the new user; the model's regularization (${regularization}) is too small`);
    throw err;
  }
  const top = topNScores(x, s.itemFactors, k, Int32Array.of(0), n, Cu);
  const out: Recommendation[] = [];
  for (let j = 0; j < n && top.items[j]! >= 0; j++) out.push({ itemId: s.items.id(top.items[j]!), score: top.scores[j]! });
  return out;
}

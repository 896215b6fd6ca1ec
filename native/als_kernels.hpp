// ALS kernels for implicit feedback (Hu, Koren & Volinsky 2008), float32, no Node headers.
//
// Glossary (names as in the paper):
//   Cui     confidence matrix, CSR rows x cols; c_ui = alpha * r_ui. A negative stored value means
//           preference p_ui = 0 with confidence |c_ui| (as in benfred/implicit).
//   X       factors being solved, row-major rows x k (one x_u per CSR row), updated in place.
//   Y       fixed factors, row-major cols x k (one y_i per CSR column).
//   YtY     Y^T Y (k x k), computed once per half-sweep.
//   Cu      diag(c_u1 .. c_u,cols); Cu - I is non-zero only on the row's stored entries.
//   lambda  L2 regularization; lambda_u the row's own (see Objective).
//   a0      the weight of unobserved pairs (alpha0 of Rendle et al. 2021; 1 in Hu et al.).
//   Normal equations of row u (paper eq. 4, generalized as in docs/model.md):
//       A_u x_u = b_u,  A_u = a0*YtY + Y^T (Cu - a0*I) Y + lambda_u*I,  b_u = Y^T Cu p(u)
//   where, over the row's stored entries only, (Cu - a0*I) contributes (|c| - a0) y y^T to A_u
//   and Cu p(u) contributes c y to b_u when c > 0. With a0 = 1 and lambda_u = lambda this is
//   Hu et al.'s (and implicit's) system exactly.
//
// Every kernel takes plain pointers and sizes, validates what it indexes (so a bad index is a
// status, never an out-of-bounds access) and gives bit-identical results for any thread count:
// rows are independent, and shared quantities (YtY) are summed over a fixed split of the rows.
// Sources: cg_solver.cpp, cholesky_solver.cpp, scoring.cpp; kernel_support.hpp holds the shared
// pieces and worker_pool.hpp the threads they run on.
#pragma once

#include <cstdint>

namespace alsrec {

/**
 * The most factors (k) a kernel accepts, the same cap as the TypeScript options
 * (MAX_FACTORS in src/als/options.ts): a k x k system is 64 MiB of float at this size, and
 * every index into k x k scratch stays far inside 32 bits.
 */
constexpr int kMaxFactors = 4096;

/** A CSR matrix over caller-owned arrays; `indptr` has rows + 1 entries, `indices`/`data` nnz. */
struct CsrView {
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  std::int64_t nnz = 0;
  const std::int32_t* indptr = nullptr;
  const std::int32_t* indices = nullptr;
  const float* data = nullptr;  // may be null where only the pattern is used (topN exclusion)
};

/** Outcome of a kernel: numerical trouble and malformed input are reported, not thrown. */
struct KernelStatus {
  enum class Kind : std::int32_t {
    Ok = 0,
    RowSolveFailed,   // Cholesky of A_u failed (not positive definite) or x_u is not finite
    BadIndptr,        // indptr not non-decreasing within [0, nnz]
    BadColumnIndex,   // a stored column index outside [0, cols) in row `row`
    BadRowIndex,      // topN: a requested row outside [0, rows)
  };
  Kind kind = Kind::Ok;
  std::int64_t row = -1;  // the smallest offending row (deterministic for any thread count)
  bool ok() const { return kind == Kind::Ok; }
};

/**
 * The objective's per-half-sweep parameters (docs/model.md):
 *   lambda_u = lambda                                    when exponent == 0 (Hu et al.)
 *   lambda_u = lambda * (n_u + frequencyOffset)^exponent otherwise
 * where n_u counts the row's stored entries with c > 0 (preference 1). frequencyOffset is
 * a0 * cols for Rendle et al.'s frequency-scaled regularization and 0 for Spark's ALS-WR
 * (exponent 1: lambda * n_u). Implicitly built from a bare lambda, so `halfSweepCG(C, X, Y, k,
 * 0.1f, ...)` is Hu et al.'s objective.
 */
struct Objective {
  float lambda = 0.0f;
  float unobservedWeight = 1.0f;
  double exponent = 0.0;
  double frequencyOffset = 0.0;
  Objective(float lambdaIn) : lambda(lambdaIn) {}  // NOLINT: implicit on purpose (see above)
  Objective(float lambdaIn, float unobservedWeightIn, double exponentIn, double frequencyOffsetIn)
      : lambda(lambdaIn), unobservedWeight(unobservedWeightIn), exponent(exponentIn), frequencyOffset(frequencyOffsetIn) {}
  /** True when lambda_u differs between rows (it is then added per row, not folded into YtY). */
  bool perRow() const { return exponent != 0.0; }
};

/** The SIMD instruction sets Eigen was compiled for (e.g. "AVX512, FMA, AVX2, AVX SSE, ..."). */
const char* simdInstructionSets();

/** YtY = Y^T Y for row-major Y (n x k); writes the full symmetric k x k matrix (row-major). */
void gram(const float* Y, std::int64_t n, int k, float* YtY);

/**
 * One half-sweep with an exact solve per row: x_u = LLT(A_u)^-1 b_u.
 * Rows without entries get x_u = 0. A failed row is left unchanged and reported.
 */
KernelStatus halfSweepCholesky(const CsrView& Cui, float* X, const float* Y, int k, const Objective& objective,
                               int threads);

/**
 * One half-sweep of `cgSteps` conjugate-gradient steps per row, warm-started from the current
 * x_u, following benfred/implicit 0.7 (`_least_squares_cg`); A_u is never formed.
 * Rows without entries get x_u = 0.
 */
KernelStatus halfSweepCG(const CsrView& Cui, float* X, const float* Y, int k, const Objective& objective,
                         int cgSteps, int threads);

/**
 * For each of the `count` requested rows, the n best columns by score x_u . y_i, best first,
 * skipping the columns stored in row u of `exclude` (may be null). Ties go to the smaller column.
 * Rows with fewer than n candidates are padded with item -1 and score -infinity.
 * NaN scores are never ranked (as src/als/selectTopN.ts: score descending, then column ascending).
 */
KernelStatus topN(const float* X, std::int64_t xRows, const float* Y, std::int64_t yRows, int k,
                  const std::int32_t* rows, std::int64_t count, int n, const CsrView* exclude,
                  int threads, std::int32_t* outItems, float* outScores);

/**
 * Dense scores for evaluation: out (count x yRows, row-major) = X[rows] Y^T, one matrix product
 * per block of users.
 */
KernelStatus scoreRows(const float* X, std::int64_t xRows, const float* Y, std::int64_t yRows, int k,
                       const std::int32_t* rows, std::int64_t count, int threads, float* out);

/**
 * EASE weights (Steck 2019; native/ease.cpp): W = B^T, row-major X.cols x X.cols, with
 * B = -P / diag(P) column-wise, zero diagonal, P = (X^T X + lambda I)^-1 computed in double.
 * score(u, j) = x_u . W_j. X's stored values are used as given (pass ones for binary data).
 * A Gram matrix that is not positive definite (lambda too small) returns RowSolveFailed, row -1.
 * Needs 16 n^2 bytes of scratch (G, factored in place, and P) besides W's 4 n^2.
 */
KernelStatus easeWeights(const CsrView& X, double lambda, int threads, float* W);

}  // namespace alsrec

// EASE (Steck 2019, "Embarrassingly Shallow Autoencoders for Sparse Data"), the closed-form
// item-item model used as a baseline. No Node headers; declared in als_kernels.hpp.
//
//   G = X^T X + lambda*I          (items x items, X the users x items training matrix)
//   P = G^-1
//   B_ij = -P_ij / P_jj, B_jj = 0  (the constrained least-squares solution, Steck eq. 8)
//   score(u, j) = x_u . B_{:,j}
//
// The kernel writes W = B^T, row-major, so row j holds the weights of every history item for
// candidate j and score(u, j) = x_u . W_j: the layout of an item-factor matrix with k = items, which
// the topN and scoreRows kernels already score. Since P is symmetric, W_ji = B_ij = -P_ji / P_jj:
// row j of P divided by -P_jj.
#include "als_kernels.hpp"
#include "kernel_support.hpp"

#include <Eigen/Cholesky>

#include <algorithm>
#include <cstdint>

namespace alsrec {

KernelStatus easeWeights(const CsrView& X, double lambda, int threads, float* W) {
  if (KernelStatus bad = detail::checkIndptr(X); !bad.ok()) return bad;
  const std::int64_t n = X.cols;
  for (std::int64_t u = 0; u < X.rows; ++u) {
    const std::int64_t begin = X.indptr[u];
    const std::int64_t len = X.indptr[u + 1] - begin;
    if (len > 0 && !detail::columnsInRange(X.indices + begin, len, n)) {
      return {KernelStatus::Kind::BadColumnIndex, u};
    }
  }
  if (n == 0) return {};
  // G = X^T X as a sum of each user's outer product x_u x_u^T, over the row's stored entries only
  // (upper triangle, then mirrored): O(sum_u nnz_u^2), in double so the inverse sees no float
  // rounding of the counts.
  Eigen::MatrixXd G = Eigen::MatrixXd::Zero(n, n);
  for (std::int64_t u = 0; u < X.rows; ++u) {
    for (std::int64_t p = X.indptr[u]; p < X.indptr[u + 1]; ++p) {
      const std::int64_t i = X.indices[p];
      const double xi = X.data[p];
      for (std::int64_t q = X.indptr[u]; q < X.indptr[u + 1]; ++q) {
        const std::int64_t j = X.indices[q];
        if (j >= i) G(i, j) += xi * X.data[q];  // column-major: G(i, j) with j >= i is the upper triangle
      }
    }
  }
  G.triangularView<Eigen::StrictlyLower>() = G.transpose().triangularView<Eigen::StrictlyLower>();
  G.diagonal().array() += lambda;
  // P = G^-1 from the Cholesky factor G = L L^T, factored in place (no third n x n matrix): P's
  // columns are independent solves, split across the workers in blocks (each reads the factor only).
  const Eigen::LLT<Eigen::Ref<Eigen::MatrixXd>> llt(G);
  if (llt.info() != Eigen::Success) return {KernelStatus::Kind::RowSolveFailed, -1};
  Eigen::MatrixXd P(n, n);
  constexpr std::int64_t kColumnBlock = 64;
  detail::parallelFor(n, kColumnBlock, threads, [&](int, std::int64_t first, std::int64_t last) {
    const std::int64_t width = last - first;
    Eigen::MatrixXd E = Eigen::MatrixXd::Zero(n, width);
    for (std::int64_t c = 0; c < width; ++c) E(first + c, c) = 1.0;
    P.middleCols(first, width) = llt.solve(E);
  });
  // W_j = -P_j / P_jj with a zero diagonal. P is column-major and symmetric, so column j is row j.
  detail::parallelFor(n, kColumnBlock, threads, [&](int, std::int64_t first, std::int64_t last) {
    for (std::int64_t j = first; j < last; ++j) {
      const double scale = -1.0 / P(j, j);
      float* row = W + j * n;
      for (std::int64_t i = 0; i < n; ++i) row[i] = static_cast<float>(P(i, j) * scale);
      row[j] = 0.0f;
    }
  });
  return {};
}

}  // namespace alsrec

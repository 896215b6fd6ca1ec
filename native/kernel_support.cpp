// Shared kernel building blocks (see kernel_support.hpp).
#include "kernel_support.hpp"

#include <cstdlib>
#include <new>

namespace alsrec::detail {

AlignedFloats::AlignedFloats(std::int64_t count) {
  constexpr std::size_t kAlignment = 64;
  const std::size_t bytes = (static_cast<std::size_t>(std::max<std::int64_t>(count, 1)) * sizeof(float) + kAlignment - 1) / kAlignment * kAlignment;
  auto* p = static_cast<float*>(std::aligned_alloc(kAlignment, bytes));
  if (p == nullptr) throw std::bad_alloc();
  std::fill_n(p, bytes / sizeof(float), 0.0f);
  data_.reset(p);
}

void AlignedFloats::Free::operator()(float* p) const { std::free(p); }

PaddedFactors::PaddedFactors(const float* Y, std::int64_t rows, int k, int threads)
    : width_(paddedWidth(k)), storage_(rows * paddedWidth(k)) {
  constexpr std::int64_t kRowsPerCopy = 4096;
  float* out = storage_.data();
  parallelFor(rows, kRowsPerCopy, threads, [&](int, std::int64_t first, std::int64_t last) {
    for (std::int64_t i = first; i < last; ++i) std::copy_n(Y + i * k, k, out + i * width_);  // padding stays 0
  });
}

KernelStatus checkIndptr(const CsrView& m) {
  for (std::int64_t u = 0; u < m.rows; ++u) {
    const std::int64_t lo = m.indptr[u];
    const std::int64_t hi = m.indptr[u + 1];
    if (lo < 0 || hi < lo || hi > m.nnz) return {KernelStatus::Kind::BadIndptr, u};
  }
  return {};
}

Eigen::MatrixXd gramDouble(const float* Y, std::int64_t n, int k, int threads) {
  using RowMajorD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  constexpr std::int64_t kBlocks = 8;  // fixed, so the order of the final sum is fixed
  constexpr std::int64_t kSlab = 512;  // rows widened to double at a time
  const std::int64_t perBlock = (n + kBlocks - 1) / kBlocks;
  std::vector<Eigen::MatrixXd> partial(kBlocks, Eigen::MatrixXd::Zero(k, k));
  parallelFor(kBlocks, 1, threads, [&](int, std::int64_t block, std::int64_t) {
    RowMajorD slab(kSlab, k);
    const std::int64_t end = std::min(n, (block + 1) * perBlock);
    for (std::int64_t first = block * perBlock; first < end; first += kSlab) {
      const std::int64_t rows = std::min(kSlab, end - first);
      slab.topRows(rows) = Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(Y + first * k, rows, k).cast<double>();
      partial[static_cast<std::size_t>(block)].selfadjointView<Eigen::Lower>().rankUpdate(slab.topRows(rows).transpose());
    }
  });
  Eigen::MatrixXd YtY = Eigen::MatrixXd::Zero(k, k);
  for (const Eigen::MatrixXd& p : partial) YtY += p;
  // Mirror the lower triangle, so both triangles hold the same bits.
  YtY.triangularView<Eigen::StrictlyUpper>() = YtY.transpose();
  return YtY;
}

AlignedFloats paddedRegularizedGram(const float* Y, std::int64_t n, int k, double lambda, int threads) {
  const Eigen::MatrixXd YtY = gramDouble(Y, n, k, threads);
  const auto width = static_cast<std::size_t>(paddedWidth(k));
  AlignedFloats out(static_cast<std::int64_t>(width * width));
  // size_t indexing: r * width + c in int would wrap past k = 46,340.
  for (std::size_t r = 0; r < static_cast<std::size_t>(k); ++r) {
    for (std::size_t c = 0; c < static_cast<std::size_t>(k); ++c) out.data()[r * width + c] = static_cast<float>(YtY(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) + (r == c ? lambda : 0.0));
  }
  return out;
}

}  // namespace alsrec::detail

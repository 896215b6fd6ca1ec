// Scoring kernels (top-n and dense scores for many users at once), YtY, and build information.
// See als_kernels.hpp.
#include "als_kernels.hpp"
#include "kernel_support.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace alsrec {
namespace {

using Index = Eigen::Index;
using RowMajorMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstRowMajorMap = Eigen::Map<const RowMajorMatrix>;

/** Users scored per matrix product: S_block (kUserBlock x cols) stays in L2. */
constexpr std::int64_t kUserBlock = 32;

/** A candidate column; `better` orders by score descending (NaN last), then index ascending. */
struct Candidate {
  float score;
  std::int32_t item;
};

float rankKey(float s) { return std::isnan(s) ? -std::numeric_limits<float>::infinity() : s; }

bool better(const Candidate& a, const Candidate& b) {
  const float ka = rankKey(a.score);
  const float kb = rankKey(b.score);
  if (ka != kb) return ka > kb;
  if (std::isnan(a.score) != std::isnan(b.score)) return !std::isnan(a.score);
  return a.item < b.item;
}

}  // namespace

const char* simdInstructionSets() { return Eigen::SimdInstructionSetsInUse(); }

void gram(const float* Y, std::int64_t n, int k, float* YtY) {
  Eigen::Map<Eigen::MatrixXf>(YtY, k, k) = detail::gramDouble(Y, n, k, 1).cast<float>();  // symmetric: storage order moot
}

KernelStatus topN(const float* X, std::int64_t xRows, const float* Y, std::int64_t yRows, int k,
                  const std::int32_t* rows, std::int64_t count, int n, const CsrView* exclude,
                  int threads, std::int32_t* outItems, float* outScores) {
  for (std::int64_t r = 0; r < count; ++r) {
    if (rows[r] < 0 || rows[r] >= xRows) return {KernelStatus::Kind::BadRowIndex, r};
  }
  if (exclude != nullptr) {
    if (KernelStatus bad = detail::checkIndptr(*exclude); !bad.ok()) return bad;
  }
  ConstRowMajorMap Ymap(Y, yRows, k);
  const std::int64_t blocks = (count + kUserBlock - 1) / kUserBlock;
  detail::StatusCollector status;
  detail::parallelFor(blocks, 1, threads, [&](int, std::int64_t firstBlock, std::int64_t lastBlock) {
    RowMajorMatrix Xb(kUserBlock, k);
    RowMajorMatrix S(kUserBlock, yRows);
    std::vector<unsigned char> excluded(static_cast<std::size_t>(yRows), 0);
    std::vector<Candidate> heap;
    heap.reserve(static_cast<std::size_t>(n));
    for (std::int64_t blk = firstBlock; blk < lastBlock; ++blk) {
      const std::int64_t first = blk * kUserBlock;
      const Index size = std::min(kUserBlock, count - first);
      for (Index b = 0; b < size; ++b) Xb.row(b) = Eigen::Map<const Eigen::RowVectorXf>(X + std::int64_t{rows[first + b]} * k, k);
      // S = X_block Y^T: all scores of the block's users as one matrix product.
      S.topRows(size).noalias() = Xb.topRows(size) * Ymap.transpose();
      for (Index b = 0; b < size; ++b) {
        const std::int64_t out = first + b;
        const std::int64_t u = rows[out];
        std::int64_t lo = 0;
        std::int64_t hi = 0;
        if (exclude != nullptr) {
          lo = exclude->indptr[u];
          hi = exclude->indptr[u + 1];
          bool inRange = true;
          for (std::int64_t p = lo; p < hi; ++p) inRange = inRange && exclude->indices[p] >= 0 && exclude->indices[p] < yRows;
          if (!inRange) {
            status.report(KernelStatus::Kind::BadColumnIndex, u);
            continue;
          }
          for (std::int64_t p = lo; p < hi; ++p) excluded[static_cast<std::size_t>(exclude->indices[p])] = 1;
        }
        // Keep the n best in a heap whose front is the worst kept candidate.
        auto worse = [](const Candidate& a, const Candidate& c) { return better(a, c); };
        heap.clear();
        for (std::int64_t i = 0; i < yRows; ++i) {
          if (excluded[static_cast<std::size_t>(i)]) continue;
          const Candidate c{S(b, i), static_cast<std::int32_t>(i)};
          if (static_cast<int>(heap.size()) < n) {
            heap.push_back(c);
            std::push_heap(heap.begin(), heap.end(), worse);
          } else if (better(c, heap.front())) {
            std::pop_heap(heap.begin(), heap.end(), worse);
            heap.back() = c;
            std::push_heap(heap.begin(), heap.end(), worse);
          }
        }
        for (std::int64_t p = lo; p < hi; ++p) excluded[static_cast<std::size_t>(exclude->indices[p])] = 0;
        std::sort(heap.begin(), heap.end(), better);
        for (int j = 0; j < n; ++j) {
          const bool filled = j < static_cast<int>(heap.size());
          outItems[out * n + j] = filled ? heap[static_cast<std::size_t>(j)].item : -1;
          outScores[out * n + j] = filled ? heap[static_cast<std::size_t>(j)].score : -std::numeric_limits<float>::infinity();
        }
      }
    }
  });
  return status.result();
}

KernelStatus scoreRows(const float* X, std::int64_t xRows, const float* Y, std::int64_t yRows, int k,
                       const std::int32_t* rows, std::int64_t count, int threads, float* out) {
  for (std::int64_t r = 0; r < count; ++r) {
    if (rows[r] < 0 || rows[r] >= xRows) return {KernelStatus::Kind::BadRowIndex, r};
  }
  ConstRowMajorMap Ymap(Y, yRows, k);
  const std::int64_t blocks = (count + kUserBlock - 1) / kUserBlock;
  detail::parallelFor(blocks, 1, threads, [&](int, std::int64_t firstBlock, std::int64_t lastBlock) {
    RowMajorMatrix Xb(kUserBlock, k);
    for (std::int64_t blk = firstBlock; blk < lastBlock; ++blk) {
      const std::int64_t first = blk * kUserBlock;
      const Index size = std::min(kUserBlock, count - first);
      for (Index b = 0; b < size; ++b) Xb.row(b) = Eigen::Map<const Eigen::RowVectorXf>(X + std::int64_t{rows[first + b]} * k, k);
      Eigen::Map<RowMajorMatrix> S(out + first * yRows, size, yRows);
      S.noalias() = Xb.topRows(size) * Ymap.transpose();  // the same product topN ranks
    }
  });
  return {};
}

}  // namespace alsrec

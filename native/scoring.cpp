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

/** Users scored per matrix product (topN and scoreRows). */
constexpr std::int64_t kUserBlock = 32;

/** topN scores items in tiles: S_tile (kUserBlock x kItemTile floats, 64 KB) and the tile of Y
 *  (kItemTile x k) stay in L2 while each user's running top-n rejects most scores with one compare.
 */
constexpr std::int64_t kItemTile = 512;
/** A last tile shorter than this joins the previous one (at most kItemTile + kMinTailTile - 1). */
constexpr std::int64_t kMinTailTile = 64;
/** Scores tested together (one vector compare per 8) before any is looked at individually. */
constexpr std::int64_t kScanChunk = 16;

/**
 * A candidate column; `better` orders by score descending, then index ascending: the ranking
 * rule of src/als/selectTopN.ts, which the TypeScript paths follow. A NaN score is never ranked
 * (topN drops it before it reaches a heap), so `better` never sees one.
 */
struct Candidate {
  float score;
  std::int32_t item;
};

bool better(const Candidate& a, const Candidate& b) {
  if (a.score != b.score) return a.score > b.score;
  return a.item < b.item;
}

/**
 * Length of the item tile starting at i0: kItemTile, except that a tail shorter than kMinTailTile
 * joins the last tile, so no tile is small enough for Eigen's coefficient-wise product. topN and
 * scoreRows both score tile by tile, so a user's score for an item is the same float in both
 * (Eigen's product rounds a column differently depending on its place in the panel).
 */
std::int64_t tileLength(std::int64_t i0, std::int64_t yRows) {
  const std::int64_t len = std::min(kItemTile, yRows - i0);
  return yRows - i0 - len < kMinTailTile ? yRows - i0 : len;
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
  if (n < 1) return {};
  ConstRowMajorMap Ymap(Y, yRows, k);
  const std::int64_t blocks = (count + kUserBlock - 1) / kUserBlock;
  const auto heapCap = static_cast<std::size_t>(n);
  detail::StatusCollector status;
  detail::parallelFor(blocks, 1, threads, [&](int, std::int64_t firstBlock, std::int64_t lastBlock) {
    RowMajorMatrix Xb(kUserBlock, k);
    RowMajorMatrix S(kUserBlock, kItemTile + kMinTailTile);
    std::vector<Candidate> heaps(static_cast<std::size_t>(kUserBlock) * heapCap);
    std::vector<int> heapSize(static_cast<std::size_t>(kUserBlock));
    std::vector<float> threshold(static_cast<std::size_t>(kUserBlock));  // the worst kept score once the heap is full
    std::vector<unsigned char> skip(static_cast<std::size_t>(kUserBlock));
    std::vector<std::int32_t> excluded;  // each user's exclusions, sorted, at excludedStart[b]..[b+1]
    std::vector<std::size_t> excludedStart(static_cast<std::size_t>(kUserBlock) + 1);
    auto worse = [](const Candidate& a, const Candidate& c) { return better(a, c); };
    for (std::int64_t blk = firstBlock; blk < lastBlock; ++blk) {
      const std::int64_t first = blk * kUserBlock;
      const Index size = std::min(kUserBlock, count - first);
      excluded.clear();
      for (Index b = 0; b < size; ++b) {
        const std::int64_t u = rows[first + b];
        Xb.row(b) = Eigen::Map<const Eigen::RowVectorXf>(X + u * k, k);
        heapSize[static_cast<std::size_t>(b)] = 0;
        threshold[static_cast<std::size_t>(b)] = -std::numeric_limits<float>::infinity();
        skip[static_cast<std::size_t>(b)] = 0;
        excludedStart[static_cast<std::size_t>(b)] = excluded.size();
        if (exclude == nullptr) continue;
        const std::int64_t lo = exclude->indptr[u];
        const std::int64_t hi = exclude->indptr[u + 1];
        bool inRange = true;
        for (std::int64_t p = lo; p < hi; ++p) inRange = inRange && exclude->indices[p] >= 0 && exclude->indices[p] < yRows;
        if (!inRange) {
          status.report(KernelStatus::Kind::BadColumnIndex, u);
          skip[static_cast<std::size_t>(b)] = 1;
          continue;
        }
        excluded.insert(excluded.end(), exclude->indices + lo, exclude->indices + hi);
        std::sort(excluded.begin() + static_cast<std::ptrdiff_t>(excludedStart[static_cast<std::size_t>(b)]), excluded.end());
      }
      excludedStart[static_cast<std::size_t>(size)] = excluded.size();
      // Items in tiles (see tileLength); scoreRows computes the same tiles, so scores agree bitwise.
      for (std::int64_t i0 = 0; i0 < yRows;) {
        const std::int64_t len = tileLength(i0, yRows);
        S.topLeftCorner(size, static_cast<Index>(len)).noalias() = Xb.topRows(size) * Ymap.middleRows(i0, static_cast<Index>(len)).transpose();
        for (Index b = 0; b < size; ++b) {
          const auto ub = static_cast<std::size_t>(b);
          if (skip[ub]) continue;
          Candidate* heap = heaps.data() + ub * heapCap;
          int& filled = heapSize[ub];
          float& thr = threshold[ub];
          const std::int32_t* exBegin = excluded.data() + excludedStart[ub];
          const std::int32_t* exEnd = excluded.data() + excludedStart[ub + 1];
          const float* s = S.data() + b * S.cols();
          // Items arrive in ascending index order, so a later item never beats a kept one with an
          // equal score: with a full heap, `s > thr` is exactly "would enter the heap" (NaN compares
          // false, and NaN is never ranked), one compare per score.
          auto consider = [&](std::int64_t j) {
            if (std::isnan(s[j])) return;
            const auto item = static_cast<std::int32_t>(i0 + j);
            if (exBegin != exEnd && std::binary_search(exBegin, exEnd, item)) return;
            const Candidate c{s[j], item};
            if (filled < n) {
              heap[filled++] = c;
              std::push_heap(heap, heap + filled, worse);
            } else if (better(c, heap[0])) {
              std::pop_heap(heap, heap + filled, worse);
              heap[filled - 1] = c;
              std::push_heap(heap, heap + filled, worse);
            } else {
              return;
            }
            thr = filled < n ? -std::numeric_limits<float>::infinity() : heap[0].score;
          };
          std::int64_t j = 0;
          // Until the heap is full, or while its worst score is -inf, every item is a candidate.
          for (; j < len && thr == -std::numeric_limits<float>::infinity(); ++j) consider(j);
          for (; j + kScanChunk <= len; j += kScanChunk) {
            int any = 0;
            for (std::int64_t t = 0; t < kScanChunk; ++t) any |= static_cast<int>(s[j + t] > thr);  // vectorizes
            if (!any) continue;
            for (std::int64_t t = 0; t < kScanChunk; ++t) {
              if (s[j + t] > thr) consider(j + t);
            }
          }
          for (; j < len; ++j) {
            if (s[j] > thr) consider(j);
          }
        }
        i0 += len;
      }
      for (Index b = 0; b < size; ++b) {
        const auto ub = static_cast<std::size_t>(b);
        if (skip[ub]) continue;
        Candidate* heap = heaps.data() + ub * heapCap;
        std::sort(heap, heap + heapSize[ub], better);
        const std::int64_t out = first + b;
        for (int j = 0; j < n; ++j) {
          const bool has = j < heapSize[ub];
          outItems[out * n + j] = has ? heap[j].item : -1;
          outScores[out * n + j] = has ? heap[j].score : -std::numeric_limits<float>::infinity();
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
      for (std::int64_t i0 = 0; i0 < yRows;) {  // the same tiles topN ranks
        const std::int64_t len = tileLength(i0, yRows);
        S.middleCols(i0, static_cast<Index>(len)).noalias() = Xb.topRows(size) * Ymap.middleRows(i0, static_cast<Index>(len)).transpose();
        i0 += len;
      }
    }
  });
  return {};
}

}  // namespace alsrec

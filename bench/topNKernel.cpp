// Standalone driver for the native batch top-n (no Node): random factors of a chosen shape, scored
// by alsrec::topN and by the previous implementation (kept here as `wholeRowTopN`: 32 users x all
// items per matrix product, then a heap over each full score row). Prints the CPU seconds of each
// and checks that both return bit-identical items and scores.
// Build: scripts/build-topn-bench.sh. Usage:
//   topNKernel [users items k n users-to-score exclusions-per-user threads which]
//   defaults: 200948 80185 13 10 20000 20 1 both   (which = both | new | old; `new`/`old` alone
//   under valgrind give instruction counts; a single-user serving figure is printed too)
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <limits>
#include <string>
#include <vector>

#include "../native/als_kernels.hpp"
#include "../native/kernel_support.hpp"

namespace {

struct SplitMix64 {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
};

using RowMajorMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
struct Candidate {
  float score;
  std::int32_t item;
};
float rankKey(float s) { return std::isnan(s) ? -std::numeric_limits<float>::infinity() : s; }
bool better(const Candidate& a, const Candidate& b) {
  const float ka = rankKey(a.score), kb = rankKey(b.score);
  if (ka != kb) return ka > kb;
  if (std::isnan(a.score) != std::isnan(b.score)) return !std::isnan(a.score);
  return a.item < b.item;
}

/** The previous alsrec::topN (single-threaded, no validation), as the before-figure and the check. */
void wholeRowTopN(const float* X, const float* Y, std::int64_t yRows, int k, const std::int32_t* rows, std::int64_t count,
                  int n, const alsrec::CsrView* exclude, std::int32_t* outItems, float* outScores) {
  constexpr std::int64_t kUserBlock = 32;
  Eigen::Map<const RowMajorMatrix> Ymap(Y, yRows, k);
  RowMajorMatrix Xb(kUserBlock, k);
  RowMajorMatrix S(kUserBlock, yRows);
  std::vector<unsigned char> excluded(static_cast<std::size_t>(yRows), 0);
  std::vector<Candidate> heap;
  auto worse = [](const Candidate& a, const Candidate& c) { return better(a, c); };
  for (std::int64_t first = 0; first < count; first += kUserBlock) {
    const Eigen::Index size = std::min(kUserBlock, count - first);
    for (Eigen::Index b = 0; b < size; ++b) Xb.row(b) = Eigen::Map<const Eigen::RowVectorXf>(X + std::int64_t{rows[first + b]} * k, k);
    S.topRows(size).noalias() = Xb.topRows(size) * Ymap.transpose();
    for (Eigen::Index b = 0; b < size; ++b) {
      const std::int64_t out = first + b, u = rows[out];
      const std::int64_t lo = exclude ? exclude->indptr[u] : 0, hi = exclude ? exclude->indptr[u + 1] : 0;
      for (std::int64_t p = lo; p < hi; ++p) excluded[static_cast<std::size_t>(exclude->indices[p])] = 1;
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
}

double cpuSeconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

}  // namespace

int main(int argc, char** argv) {
  const std::int64_t users = argc > 1 ? std::atoll(argv[1]) : 200948;
  const std::int64_t items = argc > 2 ? std::atoll(argv[2]) : 80185;
  const int k = argc > 3 ? std::atoi(argv[3]) : 13;
  const int n = argc > 4 ? std::atoi(argv[4]) : 10;
  const std::int64_t count = argc > 5 ? std::atoll(argv[5]) : 20000;
  const int perUser = argc > 6 ? std::atoi(argv[6]) : 20;
  const int threads = argc > 7 ? std::atoi(argv[7]) : 1;
  const std::string which = argc > 8 ? argv[8] : "both";
  SplitMix64 rng{42};
  // Factors like a trained model's: positive-leaning, so popular items dominate most users' top-n.
  std::vector<float> X(static_cast<std::size_t>(users * k)), Y(static_cast<std::size_t>(items * k));
  for (float& v : X) v = static_cast<float>(rng.uniform() * 0.6 - 0.1);
  for (float& v : Y) v = static_cast<float>(rng.uniform() * 0.6 - 0.1);
  std::vector<std::int32_t> indptr(static_cast<std::size_t>(users) + 1), indices;
  for (std::int64_t u = 0; u < users; ++u) {
    for (int p = 0; p < perUser; ++p) indices.push_back(static_cast<std::int32_t>(rng.uniform() * static_cast<double>(items)));
    std::sort(indices.end() - perUser, indices.end());
    indices.erase(std::unique(indices.end() - perUser, indices.end()), indices.end());
    indptr[static_cast<std::size_t>(u) + 1] = static_cast<std::int32_t>(indices.size());
  }
  const alsrec::CsrView ex{users, items, static_cast<std::int64_t>(indices.size()), indptr.data(), indices.data(), nullptr};
  std::vector<std::int32_t> rows(static_cast<std::size_t>(count));
  for (std::int64_t r = 0; r < count; ++r) rows[static_cast<std::size_t>(r)] = static_cast<std::int32_t>((r * 7919) % users);
  const auto outLen = static_cast<std::size_t>(count * n);
  std::vector<std::int32_t> newItems(outLen), oldItems(outLen);
  std::vector<float> newScores(outLen), oldScores(outLen);
  std::printf("users %lld (scored %lld) x items %lld, k %d, n %d, %d exclusions/user, %d thread(s)\n",
              static_cast<long long>(users), static_cast<long long>(count), static_cast<long long>(items), k, n, perUser, threads);
  if (which != "old") {
    const double t0 = cpuSeconds();
    const alsrec::KernelStatus st = alsrec::topN(X.data(), users, Y.data(), items, k, rows.data(), count, n, &ex, threads,
                                                 newItems.data(), newScores.data());
    const double t1 = cpuSeconds();
    if (!st.ok()) return std::puts("topN failed"), 1;
    std::printf("tiled topN:     %.3f s CPU, %.1f us CPU/user\n", t1 - t0, 1e6 * (t1 - t0) / static_cast<double>(count));
    const int singles = 200;
    std::vector<std::int32_t> oneItems(static_cast<std::size_t>(n));
    std::vector<float> oneScores(static_cast<std::size_t>(n));
    const double s0 = cpuSeconds();
    for (int r = 0; r < singles; ++r) alsrec::topN(X.data(), users, Y.data(), items, k, rows.data() + r, 1, n, &ex, 1, oneItems.data(), oneScores.data());
    const double s1 = cpuSeconds();
    std::printf("tiled single-user request: %.1f us CPU\n", 1e6 * (s1 - s0) / singles);
  }
  if (which != "new") {
    const double t0 = cpuSeconds();
    wholeRowTopN(X.data(), Y.data(), items, k, rows.data(), count, n, &ex, oldItems.data(), oldScores.data());
    const double t1 = cpuSeconds();
    std::printf("whole-row topN: %.3f s CPU, %.1f us CPU/user\n", t1 - t0, 1e6 * (t1 - t0) / static_cast<double>(count));
    const int singles = 200;
    std::vector<std::int32_t> oneItems(static_cast<std::size_t>(n));
    std::vector<float> oneScores(static_cast<std::size_t>(n));
    const double s0 = cpuSeconds();
    for (int r = 0; r < singles; ++r) wholeRowTopN(X.data(), Y.data(), items, k, rows.data() + r, 1, n, &ex, oneItems.data(), oneScores.data());
    const double s1 = cpuSeconds();
    std::printf("whole-row single-user request: %.1f us CPU\n", 1e6 * (s1 - s0) / singles);
  }
  if (which == "both") {
    // The old whole-row product rounds some scores 1 ulp differently (Eigen rounds a column by its
    // place in the panel), so compare with a tolerance there, and exactly against scoreRows (the
    // same tiled product) ranked by brute force for the first users.
    std::size_t itemDiffs = 0;
    double maxScoreDiff = 0;
    for (std::size_t j = 0; j < outLen; ++j) {
      itemDiffs += newItems[j] != oldItems[j];
      maxScoreDiff = std::max(maxScoreDiff, static_cast<double>(std::fabs(newScores[j] - oldScores[j])));
    }
    std::printf("vs whole-row: %zu of %zu positions hold another item, max score difference %.3g\n", itemDiffs, outLen, maxScoreDiff);
    const std::int64_t checked = std::min<std::int64_t>(count, 64);
    std::vector<float> scores(static_cast<std::size_t>(checked * items));
    alsrec::scoreRows(X.data(), users, Y.data(), items, k, rows.data(), checked, 1, scores.data());
    std::size_t exactDiffs = 0;
    for (std::int64_t r = 0; r < checked; ++r) {
      const std::int32_t u = rows[static_cast<std::size_t>(r)];
      std::vector<Candidate> all;
      for (std::int32_t i = 0; i < items; ++i) {
        if (!std::binary_search(indices.begin() + indptr[static_cast<std::size_t>(u)], indices.begin() + indptr[static_cast<std::size_t>(u) + 1], i))
          all.push_back({scores[static_cast<std::size_t>(r * items + i)], i});
      }
      std::partial_sort(all.begin(), all.begin() + std::min<std::ptrdiff_t>(n, static_cast<std::ptrdiff_t>(all.size())), all.end(), better);
      for (int j = 0; j < n && j < static_cast<int>(all.size()); ++j) {
        const std::size_t at = static_cast<std::size_t>(r * n + j);
        exactDiffs += all[static_cast<std::size_t>(j)].item != newItems[at] || std::memcmp(&all[static_cast<std::size_t>(j)].score, &newScores[at], sizeof(float)) != 0;
      }
    }
    std::printf("vs brute force over scoreRows (%lld users): %zu differences\n", static_cast<long long>(checked), exactDiffs);
    return exactDiffs == 0 && maxScoreDiff < 1e-5 ? 0 : 1;
  }
  return 0;
}

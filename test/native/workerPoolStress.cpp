// Stress test of the kernels' shared worker pool, for ThreadSanitizer (no Node):
// scripts/check-thread-sanitizer.sh builds it with -fsanitize=thread and runs it.
//
// Three threads submit half-sweeps at once (CG with 3 workers, Cholesky with 2, on one seeded
// problem), so jobs queue for the pool, pool threads join late or skip, and the pool grows while
// in use. Every result must equal the sequential one bit for bit; TSan reports any data race.
// A fourth thread meanwhile copies arrays through tryRunOnWorkers, as the binding's main thread
// does (it runs on the pool only when no half-sweep holds it, else copies alone); every copy must
// be whole.
#include <cstdio>
#include <cstring>
#include <thread>
#include <vector>

#include "../../native/als_kernels.hpp"
#include "../../native/worker_pool.hpp"

#include <algorithm>
#include <atomic>

namespace {

struct Problem {
  int rows = 300, cols = 200, k = 24;
  std::vector<int> indptr{0}, indices;
  std::vector<float> data, Y;
  alsrec::CsrView view() const {
    return {rows, cols, static_cast<std::int64_t>(indices.size()), indptr.data(), indices.data(), data.data()};
  }
};

Problem makeProblem() {
  Problem p;
  unsigned state = 7;
  auto uniform = [&] {
    state = state * 1664525u + 1013904223u;
    return static_cast<float>(state >> 8) / 16777216.0f;
  };
  for (int u = 0; u < p.rows; ++u) {
    for (int i = 0; i < p.cols; ++i) {
      if (uniform() < 0.1f) {
        p.indices.push_back(i);
        p.data.push_back(1.0f + 4.0f * uniform());
      }
    }
    p.indptr.push_back(static_cast<int>(p.indices.size()));
  }
  p.Y.resize(static_cast<std::size_t>(p.cols * p.k));
  for (float& v : p.Y) v = 0.1f * uniform();
  return p;
}

std::vector<float> sweep(const Problem& p, bool cholesky) {
  std::vector<float> X(static_cast<std::size_t>(p.rows * p.k), 0.01f);
  const alsrec::KernelStatus s = cholesky ? alsrec::halfSweepCholesky(p.view(), X.data(), p.Y.data(), p.k, 0.1f, 2)
                                          : alsrec::halfSweepCG(p.view(), X.data(), p.Y.data(), p.k, 0.1f, 3, 3);
  if (!s.ok()) X.clear();
  return X;
}

}  // namespace

int main() {
  const Problem p = makeProblem();
  const std::vector<float> expected[2] = {sweep(p, false), sweep(p, true)};
  constexpr int kSubmitters = 3;
  constexpr int kRounds = 20;
  int mismatches[kSubmitters] = {};
  std::vector<std::thread> submitters;
  for (int t = 0; t < kSubmitters; ++t) {
    submitters.emplace_back([&, t] {
      for (int r = 0; r < kRounds; ++r) {
        const bool cholesky = (t + r) % 2 == 1;
        const std::vector<float> X = sweep(p, cholesky);
        const std::vector<float>& want = expected[cholesky ? 1 : 0];
        if (X.size() != want.size() || std::memcmp(X.data(), want.data(), X.size() * sizeof(float)) != 0) ++mismatches[t];
      }
    });
  }
  int badCopies = 0;
  int pooledCopies = 0;
  constexpr int kCopies = 200;
  std::thread copier([&] {
    std::vector<float> from(1 << 16), to(from.size());
    constexpr std::int64_t kPieces = 16;
    const std::size_t piece = from.size() / kPieces;
    for (int r = 0; r < kCopies; ++r) {
      for (std::size_t j = 0; j < from.size(); ++j) from[j] = static_cast<float>(r * 7 + j);
      std::atomic<std::int64_t> next{0};
      auto copyPieces = [&] {
        for (std::int64_t c = next.fetch_add(1); c < kPieces; c = next.fetch_add(1)) {
          std::copy_n(from.data() + c * piece, piece, to.data() + c * piece);
        }
      };
      if (alsrec::detail::tryRunOnWorkers(2, [&](int) { copyPieces(); })) ++pooledCopies;
      else copyPieces();
      if (std::memcmp(from.data(), to.data(), from.size() * sizeof(float)) != 0) ++badCopies;
    }
  });
  for (std::thread& t : submitters) t.join();
  copier.join();
  std::printf("worker pool stress: %d copies beside the half-sweeps (%d on the pool), %d incomplete\n", kCopies, pooledCopies, badCopies);
  int total = badCopies;
  for (int m : mismatches) total += m;
  std::printf("worker pool stress: %d submitters x %d half-sweeps, %d results differing from the sequential ones\n", kSubmitters, kRounds, total);
  return total == 0 ? 0 : 1;
}

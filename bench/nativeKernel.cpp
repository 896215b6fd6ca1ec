// Standalone driver for the ALS kernels (no Node): a fixed, seeded workload that prints a checksum,
// so `valgrind --tool=callgrind` gives a deterministic instruction count (Ir) for CI.
// Build: scripts/build-kernel-bench.sh (x86-64-v3, the flags of alsrec_native_v3.node: valgrind
// cannot run AVX-512).
//
// Usage: nativeKernel [rows cols nnz k threads repeats solver]
//   defaults: 600 900 20000 32 1 1 both -> one CG half-sweep (3 steps) and one Cholesky half-sweep.
//   solver cg|cholesky runs only that kernel, so callgrind's count (Ir) can be gated per kernel:
//   the workload's set-up is the same for both and is subtracted as the count of `none`.
// With repeats > 1 it also prints the median wall time of each half-sweep (not for CI).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "../native/als_kernels.hpp"

namespace {

/** SplitMix64: a fixed, portable generator so the workload is identical everywhere. */
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

struct Csr {
  std::int64_t rows, cols;
  std::vector<std::int32_t> indptr, indices;
  std::vector<float> data;
  alsrec::CsrView view() const {
    return {rows, cols, static_cast<std::int64_t>(indices.size()), indptr.data(), indices.data(), data.data()};
  }
};

/** Random CSR with popularity skew (item ~ cols * u^2) and confidences 40 * rating, rating 1..5. */
Csr randomCsr(std::int64_t rows, std::int64_t cols, std::int64_t nnz, SplitMix64& rng) {
  std::vector<std::vector<std::int32_t>> perRow(static_cast<std::size_t>(rows));
  std::vector<std::uint8_t> seen(static_cast<std::size_t>(rows * cols), 0);
  for (std::int64_t placed = 0; placed < nnz;) {
    const auto u = static_cast<std::int64_t>(rng.uniform() * static_cast<double>(rows));
    const double s = rng.uniform();
    const auto i = static_cast<std::int64_t>(s * s * static_cast<double>(cols));
    auto& cell = seen[static_cast<std::size_t>(u * cols + i)];
    if (cell) continue;
    cell = 1;
    perRow[static_cast<std::size_t>(u)].push_back(static_cast<std::int32_t>(i));
    ++placed;
  }
  Csr m{rows, cols, {0}, {}, {}};
  for (auto& row : perRow) {
    std::sort(row.begin(), row.end());
    for (std::int32_t i : row) {
      m.indices.push_back(i);
      m.data.push_back(40.0f * static_cast<float>(1 + rng.next() % 5));
    }
    m.indptr.push_back(static_cast<std::int32_t>(m.indices.size()));
  }
  return m;
}

std::vector<float> randomFactors(std::int64_t rows, int k, SplitMix64& rng) {
  std::vector<float> f(static_cast<std::size_t>(rows * k));
  for (float& v : f) v = static_cast<float>((rng.uniform() - 0.5) * 0.02);
  return f;
}

double checksum(const std::vector<float>& v) {
  double s = 0;
  for (std::size_t j = 0; j < v.size(); ++j) s += static_cast<double>(v[j]) * static_cast<double>(1 + j % 7);
  return s;
}

template <typename F>
double medianMs(int repeats, F run) {
  std::vector<double> ms;
  for (int r = 0; r < repeats; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    run();
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

bool check(const alsrec::KernelStatus& s, const char* what) {
  if (s.ok()) return true;
  std::fprintf(stderr, "%s failed: status %d at row %lld\n", what, static_cast<int>(s.kind), static_cast<long long>(s.row));
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  const std::int64_t rows = argc > 1 ? std::atoll(argv[1]) : 600;
  const std::int64_t cols = argc > 2 ? std::atoll(argv[2]) : 900;
  const std::int64_t nnz = argc > 3 ? std::atoll(argv[3]) : 20000;
  const int k = argc > 4 ? std::atoi(argv[4]) : 32;
  const int threads = argc > 5 ? std::atoi(argv[5]) : 1;
  const int repeats = argc > 6 ? std::atoi(argv[6]) : 1;
  const std::string solver = argc > 7 ? argv[7] : "both";
  const bool runCg = solver == "both" || solver == "cg";
  const bool runCholesky = solver == "both" || solver == "cholesky";
  if (rows < 1 || cols < 1 || nnz < 0 || nnz > rows * cols || k < 1 || threads < 1 || repeats < 1 ||
      !(runCg || runCholesky || solver == "none")) {
    std::fprintf(stderr, "usage: nativeKernel [rows cols nnz k threads repeats both|cg|cholesky|none]\n");
    return 2;
  }
  SplitMix64 rng{42};
  const Csr Cui = randomCsr(rows, cols, nnz, rng);
  const std::vector<float> Y = randomFactors(cols, k, rng);
  const std::vector<float> X0 = randomFactors(rows, k, rng);
  const float lambda = 0.1f;
  const int cgSteps = 3;

  std::vector<float> Xcg = X0;
  std::vector<float> Xchol = X0;
  if (runCg && !check(alsrec::halfSweepCG(Cui.view(), Xcg.data(), Y.data(), k, lambda, cgSteps, threads), "CG")) return 1;
  if (runCholesky && !check(alsrec::halfSweepCholesky(Cui.view(), Xchol.data(), Y.data(), k, lambda, threads), "Cholesky")) return 1;
  std::printf("workload rows=%lld cols=%lld nnz=%lld k=%d threads=%d\n", static_cast<long long>(rows),
              static_cast<long long>(cols), static_cast<long long>(nnz), k, threads);
  std::printf("checksum cg=%.9e cholesky=%.9e\n", checksum(Xcg), checksum(Xchol));

  if (repeats > 1) {
    std::vector<float> X = X0;
    const double cgMs = medianMs(repeats, [&] { alsrec::halfSweepCG(Cui.view(), X.data(), Y.data(), k, lambda, cgSteps, threads); });
    const double cholMs = medianMs(repeats, [&] { alsrec::halfSweepCholesky(Cui.view(), X.data(), Y.data(), k, lambda, threads); });
    // Cholesky flops: rank-nnz update of the lower triangle ~ nnz*k*(k+1), LLT k^3/3 and two
    // triangular solves 2k^2 per row, b = Y_u^T c 2*nnz*k.
    const double flops = static_cast<double>(nnz) * k * (k + 1) + 2.0 * static_cast<double>(nnz) * k +
                         static_cast<double>(rows) * (k * k * k / 3.0 + 2.0 * k * k);
    std::printf("median ms cg=%.3f cholesky=%.3f (%.1f GFLOP/s)\n", cgMs, cholMs, flops / (cholMs * 1e6));
  }
  return 0;
}

// Standalone residual checks of the ALS kernels, without Node: for builds that cannot load the
// addon here, above all the arm64 (NEON) cross-build run under qemu-aarch64
// (scripts/check-arm64-kernels.sh). Seeded problems; every check prints its figure and the run
// exits 1 if any exceeds its tolerance.
//   Cholesky: each row's relative residual ||A_u x_u - b_u|| / ||b_u|| (A_u, b_u rebuilt here in
//             double from the glossary's formulas, als_kernels.hpp) < 1e-4
//   CG:       k + 5 steps from zero reach the Cholesky solution (relative difference < 1e-3)
//   gram:     YtY against a double loop (relative < 1e-5)
//   topN:     the best items against a scan of the scores (same items, same order)
// k = 13 and 32 cover a padded and an unpadded factor width for any SIMD packet size.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "../../native/als_kernels.hpp"

namespace {

struct Rng {
  std::uint64_t s;
  double uniform() {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(s >> 11) * 0x1.0p-53;
  }
};

struct Problem {
  std::int64_t rows, cols;
  std::vector<std::int32_t> indptr, indices;
  std::vector<float> data, Y;
  alsrec::CsrView view() const {
    return {rows, cols, static_cast<std::int64_t>(indices.size()), indptr.data(), indices.data(), data.data()};
  }
};

Problem makeProblem(std::int64_t rows, std::int64_t cols, int k, double density, std::uint64_t seed) {
  Rng rng{seed};
  Problem p{rows, cols, {0}, {}, {}, {}};
  for (std::int64_t u = 0; u < rows; ++u) {
    for (std::int64_t i = 0; i < cols; ++i) {
      if (u == 0 || rng.uniform() >= density) continue;  // row 0 stays empty: its x must be 0
      p.indices.push_back(static_cast<std::int32_t>(i));
      // confidences 1..40, one in ten negative (preference 0, confidence |c|)
      const float c = static_cast<float>(1 + std::floor(rng.uniform() * 40));
      p.data.push_back(rng.uniform() < 0.1 ? -c : c);
    }
    p.indptr.push_back(static_cast<std::int32_t>(p.indices.size()));
  }
  p.Y.resize(static_cast<std::size_t>(cols * k));
  for (float& y : p.Y) y = static_cast<float>((rng.uniform() - 0.5) * 0.6);
  return p;
}

int failures = 0;
void report(const char* what, int k, double value, double tolerance) {
  const bool ok = value <= tolerance;
  std::printf("%-40s k=%-3d %.3e (limit %.0e) %s\n", what, k, value, tolerance, ok ? "ok" : "FAIL");
  if (!ok) ++failures;
}

/** max over rows of ||A_u x_u - b_u|| / ||b_u||, A_u and b_u in double (paper eq. 4). */
double worstResidual(const Problem& p, const std::vector<float>& X, int k, double lambda) {
  std::vector<double> YtY(static_cast<std::size_t>(k * k), 0.0);
  for (std::int64_t i = 0; i < p.cols; ++i)
    for (int a = 0; a < k; ++a)
      for (int b = 0; b < k; ++b) YtY[a * k + b] += double(p.Y[i * k + a]) * p.Y[i * k + b];
  double worst = 0;
  for (std::int64_t u = 0; u < p.rows; ++u) {
    std::vector<double> A(YtY), b(static_cast<std::size_t>(k), 0.0);
    for (int a = 0; a < k; ++a) A[a * k + a] += lambda;
    for (std::int32_t j = p.indptr[u]; j < p.indptr[u + 1]; ++j) {
      const float* y = &p.Y[static_cast<std::size_t>(p.indices[j]) * k];
      const double c = std::fabs(double(p.data[j]));
      for (int a = 0; a < k; ++a) {
        for (int bb = 0; bb < k; ++bb) A[a * k + bb] += (c - 1) * y[a] * y[bb];
        if (p.data[j] > 0) b[a] += c * y[a];
      }
    }
    double rr = 0, bb2 = 0;
    for (int a = 0; a < k; ++a) {
      double r = -b[a];
      for (int c = 0; c < k; ++c) r += A[a * k + c] * X[u * k + c];
      rr += r * r;
      bb2 += b[a] * b[a];
    }
    if (bb2 == 0) {
      for (int a = 0; a < k; ++a) worst = std::max(worst, std::fabs(double(X[u * k + a])));
    } else {
      worst = std::max(worst, std::sqrt(rr / bb2));
    }
  }
  return worst;
}

void checkK(int k) {
  const Problem p = makeProblem(120, 90, k, 0.15, 7 + k);
  const float lambda = 0.1f;
  std::vector<float> Xchol(static_cast<std::size_t>(p.rows * k), 0.01f);
  alsrec::KernelStatus s = alsrec::halfSweepCholesky(p.view(), Xchol.data(), p.Y.data(), k, lambda, 2);
  if (!s.ok()) {
    std::printf("Cholesky failed at row %lld\n", static_cast<long long>(s.row));
    ++failures;
    return;
  }
  report("Cholesky: worst relative residual", k, worstResidual(p, Xchol, k, lambda), 1e-4);

  std::vector<float> Xcg(static_cast<std::size_t>(p.rows * k), 0.0f);
  s = alsrec::halfSweepCG(p.view(), Xcg.data(), p.Y.data(), k, lambda, k + 5, 2);
  double diff = 0, scale = 0;
  for (std::size_t j = 0; j < Xcg.size(); ++j) {
    diff = std::max(diff, std::fabs(double(Xcg[j]) - Xchol[j]));
    scale = std::max(scale, std::fabs(double(Xchol[j])));
  }
  report("CG (k+5 steps) vs Cholesky, relative", k, s.ok() ? diff / scale : 1e9, 1e-3);

  std::vector<float> G(static_cast<std::size_t>(k * k));
  alsrec::gram(p.Y.data(), p.cols, k, G.data());
  double gd = 0, gs = 0;
  for (int a = 0; a < k; ++a)
    for (int b = 0; b < k; ++b) {
      double ref = 0;
      for (std::int64_t i = 0; i < p.cols; ++i) ref += double(p.Y[i * k + a]) * p.Y[i * k + b];
      gd = std::max(gd, std::fabs(ref - G[a * k + b]));
      gs = std::max(gs, std::fabs(ref));
    }
  report("gram vs double loop, relative", k, gd / gs, 1e-5);

  const int n = 5;
  std::vector<std::int32_t> rowsWanted = {1, 7, 42};
  std::vector<std::int32_t> items(rowsWanted.size() * n);
  std::vector<float> scores(rowsWanted.size() * n);
  s = alsrec::topN(Xchol.data(), p.rows, p.Y.data(), p.cols, k, rowsWanted.data(), static_cast<std::int64_t>(rowsWanted.size()), n, nullptr, 2, items.data(), scores.data());
  int mismatches = s.ok() ? 0 : 1;
  for (std::size_t r = 0; r < rowsWanted.size(); ++r) {
    std::vector<std::pair<double, std::int32_t>> all;
    for (std::int64_t i = 0; i < p.cols; ++i) {
      double dot = 0;
      for (int a = 0; a < k; ++a) dot += double(Xchol[rowsWanted[r] * k + a]) * p.Y[i * k + a];
      all.push_back({-dot, static_cast<std::int32_t>(i)});
    }
    std::sort(all.begin(), all.end());
    for (int j = 0; j < n; ++j) mismatches += all[j].second != items[r * n + j];
  }
  report("topN vs a scan: mismatched items", k, mismatches, 0);
}

}  // namespace

int main() {
  std::printf("kernel SIMD: %s\n", alsrec::simdInstructionSets());
  for (int k : {13, 32}) checkK(k);
  std::printf(failures == 0 ? "all kernel checks passed\n" : "%d kernel checks FAILED\n", failures);
  return failures == 0 ? 0 : 1;
}

// halfSweepCG: a few conjugate-gradient steps per row, warm-started from the current x_u, with
// A_u never formed (Takács, Pilászy & Tikk 2011; benfred/implicit 0.7 `_least_squares_cg`).
// Glossary and normal equations: als_kernels.hpp.
//
// Per row, every product A_u v = (a0*YtY + lambda_u*I) v + Y_u^T (Cu - a0*I) Y_u v is two parts:
//   (a0*YtY + lambda*I) v  a k x k matrix-vector product (gramTimes); a per-row lambda_u
//                        (frequency-scaled regularization) is added to it in double instead
//   Y_u^T diag(s) Y_u v  one pass over the row's factor rows: s_j from y_j . v, then s_j y_j is
//                        added while y_j is still in L1 (rowProducts). The residual
//                        r = b - A x = sum_j (c+_j - w_j y_j.x) y_j - (a0*YtY + lambda_u*I) x is the
//                        same pass with other coefficients.
// Precision: those products (the O(nnz k) work) run in float32 SIMD over the padded factor rows;
// everything CG builds from them runs in double: x, r, p, Ap, the step sizes, and the sum of each
// product, into which the float partial sums are flushed every kFlushRows rows. All-float CG
// drifted 6.6e-4 (relative) from the float64 TS backend after one ML-100K iteration (the first
// sweeps see nearly collinear initial factors, so A_u is ill-conditioned); this split drifts 4e-6,
// for k-length vector work per step.
// The row's factor rows are read in place from the padded copy, not gathered into a block per row:
// a row's rows stay in L1/L2 across its CG steps either way, and on ML-100K the per-row gather
// (float, prefetched) cost 6.0 ms per iteration against 3.7 ms in place (2 threads).
#include "als_kernels.hpp"
#include "kernel_support.hpp"

#include <cmath>

namespace alsrec {
namespace {

using detail::kLanes;
using detail::PacketF;
using detail::PaddedFactors;

/** Rows handed to a worker at a time: balances uneven rows without contending on the counter. */
constexpr std::int64_t kRowsPerChunk = 16;
/** Rows whose products are summed in float before being added to the double sum. */
constexpr std::int64_t kFlushRows = 64;
/** Rows of the block handled together: their dot products are independent, so they overlap. */
constexpr int kRowGroup = 4;
/** implicit 0.7 stops CG when r.r falls below this (absolute, as there). */
constexpr double kCgTolerance = 1e-20;

/**
 * out += sum_j coefficient(j, y_j . v) y_j over the row's factor rows y_j = Yp.row(columns[j]).
 * NP packets per row (0: Yp.width() / kLanes, read at run time); v and acc hold NP packets, acc is
 * zero on entry and on return. Sums run in a fixed order (deterministic).
 */
template <int NP, typename Coefficient>
void rowProductsFixed(const PaddedFactors& Yp, const std::int32_t* columns, std::int64_t len, const float* v,
                      float* acc, double* out, Coefficient coefficient) {
  using namespace Eigen::internal;
  const int width = NP > 0 ? NP * kLanes : Yp.width();
  auto flush = [&] {
    for (int c = 0; c < width; ++c) {
      out[c] += static_cast<double>(acc[c]);
      acc[c] = 0.0f;
    }
  };
  std::int64_t j = 0;
  for (; j + kRowGroup <= len; j += kRowGroup) {
    for (int g = 0; g < kRowGroup && j + g + detail::kPrefetchDistance < len; ++g) {
      detail::prefetchRow(Yp.row(columns[j + g + detail::kPrefetchDistance]), width);
    }
    const float* y[kRowGroup];
    PacketF dot[kRowGroup];
    for (int g = 0; g < kRowGroup; ++g) {
      y[g] = Yp.row(columns[j + g]);
      dot[g] = pset1<PacketF>(0.0f);
    }
    for (int c = 0; c < width; c += kLanes) {
      const PacketF vc = pload<PacketF>(v + c);
      for (int g = 0; g < kRowGroup; ++g) dot[g] = pmadd(pload<PacketF>(y[g] + c), vc, dot[g]);
    }
    PacketF s[kRowGroup];
    for (int g = 0; g < kRowGroup; ++g) s[g] = pset1<PacketF>(coefficient(j + g, predux(dot[g])));
    for (int c = 0; c < width; c += kLanes) {
      PacketF a = pload<PacketF>(acc + c);
      for (int g = 0; g < kRowGroup; ++g) a = pmadd(s[g], pload<PacketF>(y[g] + c), a);
      pstore(acc + c, a);
    }
    if ((j + kRowGroup) % kFlushRows == 0) flush();
  }
  for (; j < len; ++j) {
    const float* yj = Yp.row(columns[j]);
    PacketF dot = pset1<PacketF>(0.0f);
    for (int c = 0; c < width; c += kLanes) dot = pmadd(pload<PacketF>(yj + c), pload<PacketF>(v + c), dot);
    const PacketF s = pset1<PacketF>(coefficient(j, predux(dot)));
    for (int c = 0; c < width; c += kLanes) pstore(acc + c, pmadd(s, pload<PacketF>(yj + c), pload<PacketF>(acc + c)));
  }
  flush();
}

/** rowProductsFixed with the packet count fixed at compile time for the common widths. */
template <typename Coefficient>
void rowProducts(const PaddedFactors& Yp, const std::int32_t* columns, std::int64_t len, const float* v, float* acc,
                 double* out, Coefficient coefficient) {
  switch (Yp.width() / kLanes) {
    case 1: return rowProductsFixed<1>(Yp, columns, len, v, acc, out, coefficient);
    case 2: return rowProductsFixed<2>(Yp, columns, len, v, acc, out, coefficient);
    case 3: return rowProductsFixed<3>(Yp, columns, len, v, acc, out, coefficient);
    case 4: return rowProductsFixed<4>(Yp, columns, len, v, acc, out, coefficient);
    case 5: return rowProductsFixed<5>(Yp, columns, len, v, acc, out, coefficient);
    case 6: return rowProductsFixed<6>(Yp, columns, len, v, acc, out, coefficient);
    case 7: return rowProductsFixed<7>(Yp, columns, len, v, acc, out, coefficient);
    case 8: return rowProductsFixed<8>(Yp, columns, len, v, acc, out, coefficient);
    default: return rowProductsFixed<0>(Yp, columns, len, v, acc, out, coefficient);
  }
}

/** Packets [c0, c0 + NP * kLanes) of out = G v, accumulated in registers over G's k columns. */
template <int NP>
void gramTimesPackets(const float* G, int k, int width, const float* v, double* out, int c0) {
  using namespace Eigen::internal;
  PacketF sum[NP];
  for (int a = 0; a < NP; ++a) sum[a] = pset1<PacketF>(0.0f);
  for (int col = 0; col < k; ++col) {
    const PacketF vc = pset1<PacketF>(v[col]);
    const float* g = G + static_cast<std::int64_t>(col) * width + c0;
    for (int a = 0; a < NP; ++a) sum[a] = pmadd(pload<PacketF>(g + a * kLanes), vc, sum[a]);
  }
  alignas(64) float lanes[NP * kLanes];
  for (int a = 0; a < NP; ++a) pstore(lanes + a * kLanes, sum[a]);
  for (int c = 0; c < NP * kLanes; ++c) out[c0 + c] = static_cast<double>(lanes[c]);
}

/**
 * out = G v for G = YtY + lambda*I (width x width, zero beyond k; symmetric, so its rows are its
 * columns) and v zero beyond k: the sum over the k columns of G scaled by v_c, up to
 * kGramPackets packets at a time (their accumulators stay in registers).
 */
void gramTimes(const float* G, int k, int width, const float* v, double* out) {
  constexpr int kGramPackets = 8;
  int c0 = 0;
  for (; c0 + kGramPackets * kLanes <= width; c0 += kGramPackets * kLanes) gramTimesPackets<kGramPackets>(G, k, width, v, out, c0);
  switch ((width - c0) / kLanes) {
    case 1: return gramTimesPackets<1>(G, k, width, v, out, c0);
    case 2: return gramTimesPackets<2>(G, k, width, v, out, c0);
    case 3: return gramTimesPackets<3>(G, k, width, v, out, c0);
    case 4: return gramTimesPackets<4>(G, k, width, v, out, c0);
    case 5: return gramTimesPackets<5>(G, k, width, v, out, c0);
    case 6: return gramTimesPackets<6>(G, k, width, v, out, c0);
    case 7: return gramTimesPackets<7>(G, k, width, v, out, c0);
    default: return;  // width is a whole number of packets: nothing is left
  }
}

/** Per-worker CG state: float copies for the products, double vectors for CG itself. */
struct CgScratch {
  detail::AlignedFloats v, acc;
  Eigen::VectorXd x, r, p, Ap;
  explicit CgScratch(int width)
      : v(width), acc(width), x(Eigen::VectorXd::Zero(width)), r(Eigen::VectorXd::Zero(width)),
        p(Eigen::VectorXd::Zero(width)), Ap(Eigen::VectorXd::Zero(width)) {}
};

}  // namespace

KernelStatus halfSweepCG(const CsrView& Cui, float* X, const float* Y, int k, const Objective& objective,
                         int cgSteps, int threads) {
  if (KernelStatus bad = detail::checkIndptr(Cui); !bad.ok()) return bad;
  const detail::AlignedFloats G = detail::objectiveGram(Y, Cui.cols, k, objective, threads);
  const float a0 = objective.unobservedWeight;
  const bool perRow = objective.perRow();
  const PaddedFactors Yp(Y, Cui.cols, k, threads);
  const int width = Yp.width();
  detail::StatusCollector status;
  detail::PerWorker<CgScratch> scratch(threads);
  detail::parallelFor(Cui.rows, kRowsPerChunk, threads, [&](int worker, std::int64_t first, std::int64_t last) {
    CgScratch& s = scratch.get(worker, [&] { return CgScratch(width); });
    float* v = s.v.data();
    float* acc = s.acc.data();
    Eigen::VectorXd& x = s.x;
    Eigen::VectorXd& r = s.r;
    Eigen::VectorXd& p = s.p;
    Eigen::VectorXd& Ap = s.Ap;
    detail::forEachRowToSolve(Cui, first, last, X, k, status, [&](const detail::SweepRow& row) {
      const std::int32_t* columns = row.columns;
      const float* c = row.c;
      const std::int64_t len = row.len;
      // r = b - A x = sum_j (c+_j - w_j y_j.x) y_j - G x - lambda_u' x, with w_j = |c_j| - a0,
      // c+_j = max(c_j, 0), G = a0*YtY (+ lambda*I when lambda_u is uniform) and lambda_u' the
      // per-row part of the regularization (0 when it is folded into G). Padding entries of x,
      // r, p, Ap stay 0.
      const double lambdaU = perRow ? detail::rowLambda(objective, c, len) : 0.0;
      for (int f = 0; f < k; ++f) {
        x[f] = row.x[f];
        v[f] = row.x[f];
      }
      gramTimes(G.data(), k, width, v, r.data());
      r = -r;
      if (perRow) r -= lambdaU * x;
      rowProducts(Yp, columns, len, v, acc, r.data(), [&, a0](std::int64_t j, float yx) {
        return std::max(c[j], 0.0f) - (std::fabs(c[j]) - a0) * yx;
      });
      p = r;
      double rsold = r.squaredNorm();
      if (rsold < kCgTolerance) return;
      for (int step = 0; step < cgSteps; ++step) {
        // Ap = G p + lambda_u' p + sum_j w_j (y_j.p) y_j
        for (int f = 0; f < k; ++f) v[f] = static_cast<float>(p[f]);
        gramTimes(G.data(), k, width, v, Ap.data());
        if (perRow) Ap += lambdaU * p;
        rowProducts(Yp, columns, len, v, acc, Ap.data(), [&, a0](std::int64_t j, float yp) { return (std::fabs(c[j]) - a0) * yp; });
        const double alpha = rsold / p.dot(Ap);
        x += alpha * p;
        r -= alpha * Ap;
        const double rsnew = r.squaredNorm();
        if (rsnew < kCgTolerance) break;
        p = r + (rsnew / rsold) * p;
        rsold = rsnew;
      }
      for (int f = 0; f < k; ++f) row.x[f] = static_cast<float>(x[f]);
    });
  });
  return status.result();
}

}  // namespace alsrec

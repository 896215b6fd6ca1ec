// halfSweepCholesky: the exact solve per row, x_u = A_u^-1 b_u (Hu, Koren & Volinsky 2008, eq. 4).
// Glossary and normal equations: als_kernels.hpp.
//
// A_u = a0*YtY + lambda_u*I + Y_u^T diag(w) Y_u is built as a matrix product over the row's factor
// rows, not nnz rank-1 updates: rows are gathered kBlockBytes at a time (y_j and w_j y_j side by
// side, so the block stays in L1) and a register-blocked tile kernel, a GEMM micro-kernel with
// kTileRows x kTilePackets packets of accumulators, adds their products to A's upper triangle.
// A is row-major with the padded width as its stride; its upper triangle read column-major is
// the lower triangle L of A = L L^T that the solves use. The factorization is blocked the same
// way: each strip of kLanes rows is factored in registers, then the rows below take one
// rank-kLanes update from the same tile kernel. Entries below the diagonal are scratch.
// Measured on synth-1m, k = 64, 2 threads: the tile kernel and this factorization took a
// half-sweep pair from 0.26-0.32 s (Eigen rank updates and a column-by-column Cholesky, itself
// ~10% faster than Eigen::LLT at these sizes) to 0.14 s.
#include "als_kernels.hpp"
#include "kernel_support.hpp"

#include <cmath>

namespace alsrec {
namespace {

using detail::kLanes;
using detail::PacketF;

constexpr std::int64_t kRowsPerChunk = 16;
/** Accumulator tile: kTileRows rows of A by kTilePackets packets of columns (6 x 4 x 16 floats
 *  with AVX-512's 32 registers, 6 x 2 x 8 with AVX2's 16), leaving registers for the operands. */
constexpr int kTileRows = 6;
constexpr int kTilePackets = detail::kVectorRegisters >= 32 ? 4 : 2;
/** Bytes of gathered rows (y and w*y) per block: within L1 next to the tile. */
constexpr int kBlockBytes = 24 * 1024;

/** The operands of one tile: A[row][col] = initial[row][col] +- sum_j lhs[j][row] rhs[j][col]. */
struct TileArgs {
  const float* lhs;      // depth x width, row-major: its columns are A's rows
  const float* rhs;      // depth x width, row-major: its columns are A's columns
  std::int64_t depth;
  int width;             // padded k: the stride of lhs, rhs, initial and A
  const float* initial;  // may be A itself
  float* A;
};

template <int MR, int NR, bool Subtract>
void tile(const TileArgs& t, int a0, int b0) {
  using namespace Eigen::internal;
  PacketF sum[MR][NR];
  for (int r = 0; r < MR; ++r) {
    for (int q = 0; q < NR; ++q) sum[r][q] = pload<PacketF>(t.initial + static_cast<std::int64_t>(a0 + r) * t.width + b0 + q * kLanes);
  }
  for (std::int64_t j = 0; j < t.depth; ++j) {
    const float* left = t.lhs + j * t.width + a0;
    const float* right = t.rhs + j * t.width + b0;
    PacketF rhs[NR];
    for (int q = 0; q < NR; ++q) rhs[q] = pload<PacketF>(right + q * kLanes);
    for (int r = 0; r < MR; ++r) {
      const PacketF l = Subtract ? pnegate(pset1<PacketF>(left[r])) : pset1<PacketF>(left[r]);
      for (int q = 0; q < NR; ++q) sum[r][q] = pmadd(l, rhs[q], sum[r][q]);
    }
  }
  for (int r = 0; r < MR; ++r) {
    for (int q = 0; q < NR; ++q) pstore(t.A + static_cast<std::int64_t>(a0 + r) * t.width + b0 + q * kLanes, sum[r][q]);
  }
}

/** tile<mr, nr> with mr <= kTileRows and nr <= kTilePackets chosen at run time. */
template <bool Subtract, int MR = 1, int NR = 1>
void tileOfSize(int mr, int nr, const TileArgs& t, int a0, int b0) {
  if constexpr (MR < kTileRows) {
    if (mr > MR) return tileOfSize<Subtract, MR + 1, NR>(mr, nr, t, a0, b0);
  }
  if constexpr (NR < kTilePackets) {
    if (nr > NR) return tileOfSize<Subtract, MR, NR + 1>(mr, nr, t, a0, b0);
  }
  tile<MR, NR, Subtract>(t, a0, b0);
}

/** The upper triangle of rows [firstRow, k) of A = initial +- lhs^T rhs, tile by tile: each row
 *  tile spans the packets from the one holding its first diagonal entry to the padded width. */
template <bool Subtract>
void addUpperProduct(const TileArgs& t, int k, int firstRow) {
  for (int a0 = firstRow; a0 < k; a0 += kTileRows) {
    const int mr = std::min(kTileRows, k - a0);
    for (int b0 = a0 / kLanes * kLanes; b0 < t.width; b0 += kTilePackets * kLanes) {
      tileOfSize<Subtract>(mr, std::min(kTilePackets, (t.width - b0) / kLanes), t, a0, b0);
    }
  }
}

/**
 * Row r of the strip starting at row i0, NR packets from column c0, left-looking in registers:
 * A[r][c] -= sum over the strip's finished rows i < r of U[i][r] U[i][c].
 */
template <int NR>
void updateStripRow(float* A, int width, int i0, int r, int c0) {
  using namespace Eigen::internal;
  float* row = A + static_cast<std::int64_t>(r) * width + c0;
  PacketF sum[NR];
  for (int q = 0; q < NR; ++q) sum[q] = pload<PacketF>(row + q * kLanes);
  for (int i = i0; i < r; ++i) {
    const float* ui = A + static_cast<std::int64_t>(i) * width;
    const PacketF f = pset1<PacketF>(-ui[r]);
    for (int q = 0; q < NR; ++q) sum[q] = pmadd(f, pload<PacketF>(ui + c0 + q * kLanes), sum[q]);
  }
  for (int q = 0; q < NR; ++q) pstore(row + q * kLanes, sum[q]);
}

template <int NR = 1>
void updateStripRowOfSize(int nr, float* A, int width, int i0, int r, int c0) {
  if constexpr (NR < kTilePackets) {
    if (nr > NR) return updateStripRowOfSize<NR + 1>(nr, A, width, i0, r, c0);
  }
  updateStripRow<NR>(A, width, i0, r, c0);
}

/**
 * A = U^T U in place on the upper triangle of row-major A (k x k, stride `width`); false if A is
 * not (numerically) positive definite. Blocked by strips of kLanes rows: within a strip each row
 * is finished left-looking (updated by the strip's rows above it, in registers, then divided by
 * its diagonal, U[r][r] = sqrt(A[r][r] - sum_i U[i][r]^2)); the rows below the strip then take
 * one rank-kLanes update from the tile kernel (right-looking across strips).
 */
bool choleskyUpper(float* A, int k, int width) {
  using namespace Eigen::internal;
  for (int i0 = 0; i0 < k; i0 += kLanes) {
    const int i1 = std::min(i0 + kLanes, k);
    for (int r = i0; r < i1; ++r) {
      for (int c0 = i0; c0 < width; c0 += kTilePackets * kLanes) {
        updateStripRowOfSize(std::min(kTilePackets, (width - c0) / kLanes), A, width, i0, r, c0);
      }
      float* row = A + static_cast<std::int64_t>(r) * width;
      const float d = row[r];
      if (!(d > 0.0f) || !std::isfinite(d)) return false;
      const float urr = std::sqrt(d);
      const PacketF inverse = pset1<PacketF>(1.0f / urr);
      for (int c = i0; c < width; c += kLanes) pstore(row + c, pmul(pload<PacketF>(row + c), inverse));
      row[r] = urr;
    }
    // Rows below the strip: A[r][c] -= sum over the strip's rows t of U[t][r] U[t][c].
    const float* strip = A + static_cast<std::int64_t>(i0) * width;
    if (i1 < k) addUpperProduct<true>({strip, strip, i1 - i0, width, A, A}, k, i1);
  }
  return true;
}

/** Per-worker scratch: a block of gathered rows y_j and w_j y_j, A and b (all padded width). */
struct CholeskyScratch {
  detail::AlignedFloats Yu, WYu, A, b;
  CholeskyScratch(std::int64_t blockRows, int width)
      : Yu(blockRows * width), WYu(blockRows * width), A(static_cast<std::int64_t>(width) * width), b(width) {}
};

}  // namespace

KernelStatus halfSweepCholesky(const CsrView& Cui, float* X, const float* Y, int k, const Objective& objective,
                               int threads) {
  using namespace Eigen::internal;
  if (KernelStatus bad = detail::checkIndptr(Cui); !bad.ok()) return bad;
  const detail::AlignedFloats G = detail::objectiveGram(Y, Cui.cols, k, objective, threads);
  const float a0 = objective.unobservedWeight;
  const bool perRow = objective.perRow();
  const detail::PaddedFactors Yp(Y, Cui.cols, k, threads);
  const int width = Yp.width();
  const std::int64_t blockRows = std::max(8, kBlockBytes / (2 * width * static_cast<int>(sizeof(float))));
  detail::StatusCollector status;
  detail::PerWorker<CholeskyScratch> scratch(threads);
  detail::parallelFor(Cui.rows, kRowsPerChunk, threads, [&](int worker, std::int64_t first, std::int64_t last) {
    CholeskyScratch& s = scratch.get(worker, [&] { return CholeskyScratch(blockRows, width); });
    float* A = s.A.data();
    float* b = s.b.data();
    detail::forEachRowToSolve(Cui, first, last, X, k, status, [&](const detail::SweepRow& row) {
      const std::int32_t* columns = row.columns;
      const float* c = row.c;
      // A = G + sum_j w_j y_j y_j^T and b = sum_j c+_j y_j, with G = a0*YtY (+ lambda*I when
      // lambda_u is uniform), w_j = |c_j| - a0 and c+_j = max(c_j, 0), one block of rows at a
      // time; a per-row lambda_u is then added to the diagonal.
      std::fill_n(b, width, 0.0f);
      for (std::int64_t j0 = 0; j0 < row.len; j0 += blockRows) {
        const std::int64_t rows = std::min(blockRows, row.len - j0);
        for (std::int64_t j = 0; j < rows; ++j) {
          if (j + detail::kPrefetchDistance < rows) detail::prefetchRow(Yp.row(columns[j0 + j + detail::kPrefetchDistance]), width);
          const float* y = Yp.row(columns[j0 + j]);
          const PacketF w = pset1<PacketF>(std::fabs(c[j0 + j]) - a0);
          const PacketF positive = pset1<PacketF>(std::max(c[j0 + j], 0.0f));
          for (int f = 0; f < width; f += kLanes) {
            const PacketF yf = pload<PacketF>(y + f);
            pstore(s.Yu.data() + j * width + f, yf);
            pstore(s.WYu.data() + j * width + f, pmul(w, yf));
            pstore(b + f, pmadd(positive, yf, pload<PacketF>(b + f)));
          }
        }
        addUpperProduct<false>({s.Yu.data(), s.WYu.data(), rows, width, j0 == 0 ? G.data() : A, A}, k, 0);
      }
      if (perRow) {
        const auto lambdaU = static_cast<float>(detail::rowLambda(objective, c, row.len));
        for (int f = 0; f < k; ++f) A[static_cast<std::int64_t>(f) * width + f] += lambdaU;
      }
      if (!choleskyUpper(A, k, width)) {
        status.report(KernelStatus::Kind::RowSolveFailed, row.u);
        return;
      }
      // x = L^-T (L^-1 b), L = U^T: the upper triangle of A read column-major.
      const Eigen::Map<const Eigen::MatrixXf, 0, Eigen::OuterStride<>> L(A, k, k, Eigen::OuterStride<>(width));
      Eigen::Map<Eigen::VectorXf> x(b, k);
      L.triangularView<Eigen::Lower>().solveInPlace(x);
      L.triangularView<Eigen::Lower>().transpose().solveInPlace(x);
      if (!x.allFinite()) {
        status.report(KernelStatus::Kind::RowSolveFailed, row.u);
        return;
      }
      std::copy_n(b, k, row.x);
    });
  });
  return status.result();
}

}  // namespace alsrec

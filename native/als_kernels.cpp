// ALS half-sweep, Gram and top-n kernels. See als_kernels.hpp for the glossary and the maths.
#include "als_kernels.hpp"

#include <Eigen/Cholesky>
#include <Eigen/Core>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <limits>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace alsrec {
namespace {

using Index = Eigen::Index;
using RowMajorMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstRowMajorMap = Eigen::Map<const RowMajorMatrix>;
using Matrix = Eigen::MatrixXf;  // column-major: k x k systems
using Vector = Eigen::VectorXf;

/** Rows handed to a worker at a time: small enough to balance uneven rows, large enough that the
 *  shared counter is not contended. */
constexpr std::int64_t kRowsPerChunk = 16;
/** Users scored per matrix product in topN: S_block (kTopNBlock x cols) stays in L2. */
constexpr std::int64_t kTopNBlock = 32;
/** implicit 0.7 stops CG when r.r falls below this (absolute, as there). */
constexpr double kCgTolerance = 1e-20;

/**
 * Runs body(worker, begin, end) over [0, count) in chunks claimed from an atomic counter by
 * `threads` workers (the calling thread is worker 0). Which worker runs a row never affects its
 * result. The first exception thrown by any worker is rethrown after all have joined.
 */
template <typename Body>
void parallelFor(std::int64_t count, std::int64_t chunk, int threads, Body body) {
  const std::int64_t chunks = (count + chunk - 1) / chunk;
  const int workers = static_cast<int>(std::max<std::int64_t>(1, std::min<std::int64_t>(threads, chunks)));
  std::atomic<std::int64_t> next{0};
  std::exception_ptr failure;
  std::mutex failureMutex;
  auto run = [&](int worker) {
    try {
      for (std::int64_t c = next.fetch_add(1); c < chunks; c = next.fetch_add(1)) {
        body(worker, c * chunk, std::min(count, (c + 1) * chunk));
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(failureMutex);
      if (!failure) failure = std::current_exception();
      next.store(chunks);  // let the other workers stop early
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(static_cast<std::size_t>(workers - 1));
  try {
    for (int w = 1; w < workers; ++w) pool.emplace_back(run, w);
  } catch (...) {
    next.store(chunks);
    for (auto& t : pool) t.join();
    throw;
  }
  run(0);
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
}

/** Keeps the smallest offending row over all workers, so the report does not depend on timing. */
class StatusCollector {
 public:
  void report(KernelStatus::Kind kind, std::int64_t row) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (status_.ok() || row < status_.row) status_ = KernelStatus{kind, row};
  }
  KernelStatus result() const { return status_; }

 private:
  std::mutex mutex_;
  KernelStatus status_;
};

/**
 * Scratch storage of each worker, created on its first chunk and reused by the later ones: a row
 * block sized for the longest row can be large (a popular item's column of synth-10m holds ~130k
 * entries), so allocating it per chunk would cost more than the chunk's work.
 */
template <typename T>
class PerWorker {
 public:
  explicit PerWorker(int threads) : slots_(static_cast<std::size_t>(std::max(1, threads))) {}

  template <typename Make>
  T& get(int worker, Make make) {
    std::unique_ptr<T>& slot = slots_[static_cast<std::size_t>(worker)];
    if (!slot) slot = std::make_unique<T>(make());
    return *slot;
  }

 private:
  std::vector<std::unique_ptr<T>> slots_;  // one per worker; each touched by its worker only
};

/** indptr must be non-decreasing within [0, nnz]; otherwise the first bad row. O(rows). */
KernelStatus checkIndptr(const CsrView& m) {
  for (std::int64_t u = 0; u < m.rows; ++u) {
    const std::int64_t lo = m.indptr[u];
    const std::int64_t hi = m.indptr[u + 1];
    if (lo < 0 || hi < lo || hi > m.nnz) return {KernelStatus::Kind::BadIndptr, u};
  }
  return {};
}

std::int64_t maxRowLength(const CsrView& m) {
  std::int64_t longest = 0;
  for (std::int64_t u = 0; u < m.rows; ++u) longest = std::max<std::int64_t>(longest, m.indptr[u + 1] - m.indptr[u]);
  return longest;
}

/**
 * The Cholesky solver's row block: the row's factor rows and weights, gathered once into
 * contiguous per-worker storage (the CG solver has its own, in double: PaddedRowBlock).
 */
struct RowBlock {
  using Scalar = float;
  using Block = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  using Weights = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
  Block Yu;    // nnz_u x k: y_i of the row's items (capacity rows = longest row)
  Weights w;   // |c| - 1: the diagonal of (Cu - I) on the row's items
  Weights bw;  // c if c > 0 else 0: the row's Cu p(u)

  RowBlock(std::int64_t capacity, int k) : Yu(capacity, k), w(capacity), bw(capacity) {}

  /** Gathers row u; false if a column index is out of range (nothing is read out of bounds). */
  bool gather(const CsrView& Cui, std::int64_t u, const float* Y, int k) {
    const std::int64_t begin = Cui.indptr[u];
    const std::int64_t len = Cui.indptr[u + 1] - begin;
    for (std::int64_t j = 0; j < len; ++j) {
      const std::int64_t i = Cui.indices[begin + j];
      if (i < 0 || i >= Cui.cols) return false;
      const Scalar c = Cui.data[begin + j];
      std::copy_n(Y + i * k, k, Yu.data() + j * k);
      w[j] = std::fabs(c) - Scalar(1);
      bw[j] = c > Scalar(0) ? c : Scalar(0);
    }
    return true;
  }
};

/** YtY + lambda*I, exactly symmetric, computed once on the calling thread. */
Matrix regularizedGram(const float* Y, std::int64_t n, int k, float lambda) {
  ConstRowMajorMap Ymap(Y, n, k);
  Matrix YtY = Matrix::Zero(k, k);
  // Lower triangle by a symmetric rank-n update, mirrored, so both triangles hold the same bits.
  YtY.selfadjointView<Eigen::Lower>().rankUpdate(Ymap.transpose());
  YtY.triangularView<Eigen::StrictlyUpper>() = YtY.transpose();
  YtY.diagonal().array() += lambda;
  return YtY;
}

/**
 * YtY + lambda*I in double precision, for CG. The first half-sweeps see tiny, nearly collinear
 * initial factors, so A is ill-conditioned (condition number ~1e4 on ML-100K) and float32
 * rounding in CG grows to ~3e-4 relative error in one iteration; in double CG agrees with the
 * float64 TypeScript reference to ~1e-6. Y is converted in slabs to bound the extra memory.
 */
Eigen::MatrixXd regularizedGramDouble(const float* Y, std::int64_t n, int k, double lambda) {
  constexpr std::int64_t kSlab = 1024;
  Eigen::MatrixXd YtY = Eigen::MatrixXd::Zero(k, k);
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> slab(std::min(n, kSlab), k);
  for (std::int64_t first = 0; first < n; first += kSlab) {
    const std::int64_t rows = std::min(kSlab, n - first);
    slab.topRows(rows) = ConstRowMajorMap(Y + first * k, rows, k).cast<double>();
    YtY.selfadjointView<Eigen::Lower>().rankUpdate(slab.topRows(rows).transpose());
  }
  YtY.triangularView<Eigen::StrictlyUpper>() = YtY.transpose();
  YtY.diagonal().array() += lambda;
  return YtY;
}

/**
 * A = L L^T on the lower triangle of A (column-major k x k), in place; false if A is not
 * (numerically) positive definite. Left-looking (Crout) order: column j is updated by the
 * finished columns p < j, L[j:, j] = A[j:, j] - sum_p L[j, p] L[j:, p], four p at a time so each
 * pass over the column feeds four fused multiply-adds, then scaled by 1 / L[j, j]. At ALS sizes
 * (k ~ 10..128) the matrix sits in L1 and these contiguous column loops vectorize; Eigen's LLT
 * (blocked, or its unblocked gemv-per-column variant) spends as long here as in building A.
 */
bool choleskyInPlace(Matrix& A) {
  const Index k = A.rows();
  float* a = A.data();
  for (Index j = 0; j < k; ++j) {
    float* __restrict colj = a + j * k;
    Index p = 0;
    for (; p + 4 <= j; p += 4) {
      const float* __restrict c0 = a + p * k;
      const float* __restrict c1 = c0 + k;
      const float* __restrict c2 = c1 + k;
      const float* __restrict c3 = c2 + k;
      const float l0 = c0[j], l1 = c1[j], l2 = c2[j], l3 = c3[j];
      for (Index i = j; i < k; ++i) colj[i] -= l0 * c0[i] + l1 * c1[i] + l2 * c2[i] + l3 * c3[i];
    }
    for (; p < j; ++p) {
      const float* __restrict cp = a + p * k;
      const float lp = cp[j];
      for (Index i = j; i < k; ++i) colj[i] -= lp * cp[i];
    }
    const float d = colj[j];
    if (!(d > 0.0f) || !std::isfinite(d)) return false;
    const float ljj = std::sqrt(d);
    colj[j] = ljj;
    const float inverse = 1.0f / ljj;
    for (Index i = j + 1; i < k; ++i) colj[i] *= inverse;
  }
  return true;
}

/**
 * The CG inner loops work on whole SIMD packets of doubles (8 with AVX-512, 4 with AVX2), through
 * Eigen's packet primitives so the accumulators stay in registers: k is padded with zeros to a
 * multiple of kLanes, so no loop has a tail. Eigen::internal is used here (the
 * vendored Eigen is pinned).
 */
using Packet = Eigen::internal::packet_traits<double>::type;
constexpr int kLanes = Eigen::internal::packet_traits<double>::size;

int paddedK(int k) { return (k + kLanes - 1) / kLanes * kLanes; }

/** Block rows handled together by addRowProducts: their dot products are independent, so they
 *  overlap in the pipeline, and `out` is loaded and stored once per group instead of per row. */
constexpr int kRowGroup = 4;

/**
 * out += sum_j s_j y_j over the first `len` rows y_j of `Yu` (row-major, stride n), where
 * s_j = coefficient(j, y_j . v): Y_u^T diag(.) Y_u v in one pass over the block, each y_j read
 * once while it is in L1. n is a multiple of kLanes. Sums run in a fixed order (deterministic).
 */
template <typename Coefficient>
void addRowProducts(const double* Yu, std::int64_t len, int n, const double* v, double* out,
                    Coefficient coefficient) {
  using namespace Eigen::internal;
  std::int64_t j = 0;
  for (; j + kRowGroup <= len; j += kRowGroup) {
    const double* y[kRowGroup];
    Packet acc[kRowGroup];
    for (int g = 0; g < kRowGroup; ++g) {
      y[g] = Yu + (j + g) * n;
      acc[g] = pset1<Packet>(0.0);
    }
    for (int c = 0; c < n; c += kLanes) {
      const Packet vc = ploadu<Packet>(v + c);
      for (int g = 0; g < kRowGroup; ++g) acc[g] = pmadd(ploadu<Packet>(y[g] + c), vc, acc[g]);
    }
    Packet s[kRowGroup];
    for (int g = 0; g < kRowGroup; ++g) s[g] = pset1<Packet>(coefficient(j + g, predux(acc[g])));
    for (int c = 0; c < n; c += kLanes) {
      Packet o = ploadu<Packet>(out + c);
      for (int g = 0; g < kRowGroup; ++g) o = pmadd(s[g], ploadu<Packet>(y[g] + c), o);
      pstoreu(out + c, o);
    }
  }
  for (; j < len; ++j) {
    const double* y = Yu + j * n;
    Packet acc = pset1<Packet>(0.0);
    for (int c = 0; c < n; c += kLanes) acc = pmadd(ploadu<Packet>(y + c), ploadu<Packet>(v + c), acc);
    const Packet s = pset1<Packet>(coefficient(j, predux(acc)));
    for (int c = 0; c < n; c += kLanes) pstoreu(out + c, pmadd(s, ploadu<Packet>(y + c), ploadu<Packet>(out + c)));
  }
}

/** M (k x k) zero-padded to n x n (n >= k), so products with padded vectors need no tail. */
Eigen::MatrixXd padded(const Eigen::MatrixXd& M, int n) {
  Eigen::MatrixXd out = Eigen::MatrixXd::Zero(n, n);
  out.topLeftCorner(M.rows(), M.cols()) = M;
  return out;
}

/**
 * The CG solver's row block: y_i of the row's items widened to double once (they are reused by
 * every CG step), each padded with zeros to `kp` entries, and the row's weights.
 */
struct PaddedRowBlock {
  int kp;
  // nnz_u x kp, row-major, zero padding columns. Not initialized: only the rows a row gathers are
  // touched, so a long-row capacity costs memory only when a row that long is met.
  std::unique_ptr<double[]> Yu;
  Eigen::VectorXd w;   // |c| - 1: the diagonal of (Cu - I) on the row's items
  Eigen::VectorXd bw;  // c if c > 0 else 0: the row's Cu p(u)

  PaddedRowBlock(std::int64_t capacity, int paddedk)
      : kp(paddedk), Yu(new double[static_cast<std::size_t>(capacity * paddedk)]), w(capacity), bw(capacity) {}

  /** Gathers row u; false if a column index is out of range (nothing is read out of bounds). */
  bool gather(const CsrView& Cui, std::int64_t u, const float* Y, int k) {
    const std::int64_t begin = Cui.indptr[u];
    const std::int64_t len = Cui.indptr[u + 1] - begin;
    for (std::int64_t j = 0; j < len; ++j) {
      const std::int64_t i = Cui.indices[begin + j];
      if (i < 0 || i >= Cui.cols) return false;
      const double c = Cui.data[begin + j];
      double* y = Yu.get() + j * kp;
      std::copy_n(Y + i * k, k, y);
      std::fill(y + k, y + kp, 0.0);
      w[j] = std::fabs(c) - 1.0;
      bw[j] = c > 0.0 ? c : 0.0;
    }
    return true;
  }
};

}  // namespace

const char* simdInstructionSets() { return Eigen::SimdInstructionSetsInUse(); }

void gram(const float* Y, std::int64_t n, int k, float* YtY) {
  Eigen::Map<Matrix>(YtY, k, k) = regularizedGram(Y, n, k, 0.0f);  // symmetric: storage order moot
}

KernelStatus halfSweepCholesky(const CsrView& Cui, float* X, const float* Y, int k, float lambda,
                               int threads) {
  if (KernelStatus bad = checkIndptr(Cui); !bad.ok()) return bad;
  const Matrix YtYreg = regularizedGram(Y, Cui.cols, k, lambda);
  const std::int64_t capacity = maxRowLength(Cui);
  StatusCollector status;
  struct Scratch {
    RowBlock row;
    RowMajorMatrix S;  // sqrt(|w_j|) y_j, rows with w > 0 first, then w < 0
    Matrix A;
    Vector b, x;
  };
  PerWorker<Scratch> scratch(threads);
  parallelFor(Cui.rows, kRowsPerChunk, threads, [&](int worker, std::int64_t first, std::int64_t last) {
    Scratch& w = scratch.get(worker, [&] {
      return Scratch{RowBlock(capacity, k), RowMajorMatrix(capacity, k), Matrix(k, k), Vector(k), Vector(k)};
    });
    RowBlock& row = w.row;
    RowMajorMatrix& S = w.S;
    Matrix& A = w.A;
    Vector& b = w.b;
    Vector& x = w.x;
    for (std::int64_t u = first; u < last; ++u) {
      Eigen::Map<Eigen::RowVectorXf> xu(X + u * k, k);
      const Index len = Cui.indptr[u + 1] - Cui.indptr[u];
      if (len == 0) {
        xu.setZero();
        continue;
      }
      if (!row.gather(Cui, u, Y, k)) {
        status.report(KernelStatus::Kind::BadColumnIndex, u);
        continue;
      }
      // A = YtY + lambda*I + Y_u^T diag(w) Y_u, the last term as one symmetric rank-len update
      // of the lower triangle: sum_j w_j y_j y_j^T = S+^T S+ - S-^T S-, S+- = sqrt(|w|) y.
      Index positives = 0;
      Index negatives = 0;
      for (Index j = 0; j < len; ++j) {
        if (row.w[j] > 0.0f) S.row(positives++) = std::sqrt(row.w[j]) * row.Yu.row(j);
      }
      for (Index j = 0; j < len; ++j) {
        if (row.w[j] < 0.0f) S.row(positives + negatives++) = std::sqrt(-row.w[j]) * row.Yu.row(j);
      }
      A = YtYreg;
      if (positives > 0) A.selfadjointView<Eigen::Lower>().rankUpdate(S.topRows(positives).transpose(), 1.0f);
      if (negatives > 0) {
        A.selfadjointView<Eigen::Lower>().rankUpdate(S.middleRows(positives, negatives).transpose(), -1.0f);
      }
      // b = Y_u^T (Cu p(u)) over the row's items.
      b.noalias() = row.Yu.topRows(len).transpose() * row.bw.head(len);
      // A = L L^T in place, then x = L^-T (L^-1 b).
      if (!choleskyInPlace(A)) {
        status.report(KernelStatus::Kind::RowSolveFailed, u);
        continue;
      }
      x = b;
      A.triangularView<Eigen::Lower>().solveInPlace(x);
      A.triangularView<Eigen::Lower>().transpose().solveInPlace(x);
      if (!x.allFinite()) {
        status.report(KernelStatus::Kind::RowSolveFailed, u);
        continue;
      }
      xu = x.transpose();
    }
  });
  return status.result();
}

KernelStatus halfSweepCG(const CsrView& Cui, float* X, const float* Y, int k, float lambda,
                         int cgSteps, int threads) {
  if (KernelStatus bad = checkIndptr(Cui); !bad.ok()) return bad;
  // CG runs in double (see regularizedGramDouble); factors are stored back as float.
  const int kp = paddedK(k);
  const Eigen::MatrixXd YtYreg = padded(regularizedGramDouble(Y, Cui.cols, k, lambda), kp);
  const std::int64_t capacity = maxRowLength(Cui);
  StatusCollector status;
  struct Scratch {
    PaddedRowBlock row;
    Eigen::VectorXd x, r, p, Ap;
  };
  PerWorker<Scratch> scratch(threads);
  parallelFor(Cui.rows, kRowsPerChunk, threads, [&](int worker, std::int64_t first, std::int64_t last) {
    Scratch& w = scratch.get(worker, [&] {
      return Scratch{PaddedRowBlock(capacity, kp), Eigen::VectorXd::Zero(kp), Eigen::VectorXd(kp), Eigen::VectorXd(kp), Eigen::VectorXd(kp)};
    });
    PaddedRowBlock& row = w.row;
    Eigen::VectorXd& x = w.x;
    Eigen::VectorXd& r = w.r;
    Eigen::VectorXd& p = w.p;
    Eigen::VectorXd& Ap = w.Ap;
    for (std::int64_t u = first; u < last; ++u) {
      float* xu = X + u * k;
      const std::int64_t len = Cui.indptr[u + 1] - Cui.indptr[u];
      if (len == 0) {
        std::fill_n(xu, k, 0.0f);
        continue;
      }
      if (!row.gather(Cui, u, Y, k)) {
        status.report(KernelStatus::Kind::BadColumnIndex, u);
        continue;
      }
      std::copy_n(xu, k, x.data());  // warm start from the previous x_u (padding stays 0)
      // r = b - A x = sum_j (c+_j - w_j y_j.x) y_j - (YtY + lambda*I) x, one pass over the block.
      r.noalias() = -(YtYreg * x);
      addRowProducts(row.Yu.get(), len, kp, x.data(), r.data(),
                     [&](std::int64_t j, double yx) { return row.bw[j] - row.w[j] * yx; });
      p = r;
      double rsold = r.squaredNorm();
      if (rsold < kCgTolerance) continue;
      for (int it = 0; it < cgSteps; ++it) {
        // Ap = (YtY + lambda*I) p + sum_j w_j (y_j.p) y_j, one pass over the block.
        Ap.noalias() = YtYreg * p;
        addRowProducts(row.Yu.get(), len, kp, p.data(), Ap.data(),
                       [&](std::int64_t j, double yp) { return row.w[j] * yp; });
        const double alpha = rsold / p.dot(Ap);
        x += alpha * p;
        r -= alpha * Ap;
        const double rsnew = r.squaredNorm();
        if (rsnew < kCgTolerance) break;
        p = r + (rsnew / rsold) * p;
        rsold = rsnew;
      }
      for (int c = 0; c < k; ++c) xu[c] = static_cast<float>(x[c]);
    }
  });
  return status.result();
}

namespace {

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

KernelStatus topN(const float* X, std::int64_t xRows, const float* Y, std::int64_t yRows, int k,
                  const std::int32_t* rows, std::int64_t count, int n, const CsrView* exclude,
                  int threads, std::int32_t* outItems, float* outScores) {
  for (std::int64_t r = 0; r < count; ++r) {
    if (rows[r] < 0 || rows[r] >= xRows) return {KernelStatus::Kind::BadRowIndex, r};
  }
  if (exclude != nullptr) {
    if (KernelStatus bad = checkIndptr(*exclude); !bad.ok()) return bad;
  }
  ConstRowMajorMap Ymap(Y, yRows, k);
  const std::int64_t blocks = (count + kTopNBlock - 1) / kTopNBlock;
  StatusCollector status;
  parallelFor(blocks, 1, threads, [&](int, std::int64_t firstBlock, std::int64_t lastBlock) {
    RowMajorMatrix Xb(kTopNBlock, k);
    RowMajorMatrix S(kTopNBlock, yRows);
    std::vector<unsigned char> excluded(static_cast<std::size_t>(yRows), 0);
    std::vector<Candidate> heap;
    heap.reserve(static_cast<std::size_t>(n));
    for (std::int64_t blk = firstBlock; blk < lastBlock; ++blk) {
      const std::int64_t first = blk * kTopNBlock;
      const Index size = std::min(kTopNBlock, count - first);
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
  const std::int64_t blocks = (count + kTopNBlock - 1) / kTopNBlock;
  parallelFor(blocks, 1, threads, [&](int, std::int64_t firstBlock, std::int64_t lastBlock) {
    RowMajorMatrix Xb(kTopNBlock, k);
    for (std::int64_t blk = firstBlock; blk < lastBlock; ++blk) {
      const std::int64_t first = blk * kTopNBlock;
      const Index size = std::min(kTopNBlock, count - first);
      for (Index b = 0; b < size; ++b) Xb.row(b) = Eigen::Map<const Eigen::RowVectorXf>(X + std::int64_t{rows[first + b]} * k, k);
      Eigen::Map<RowMajorMatrix> S(out + first * yRows, size, yRows);
      S.noalias() = Xb.topRows(size) * Ymap.transpose();  // the same product topN ranks
    }
  });
  return {};
}

}  // namespace alsrec

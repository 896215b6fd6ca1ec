// ALS half-sweep, Gram and top-n kernels. See als_kernels.hpp for the glossary and the maths.
#include "als_kernels.hpp"

#include <Eigen/Cholesky>
#include <Eigen/Core>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <limits>
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
 * The row's factor rows and weights, gathered once into contiguous per-worker storage, in the
 * kernel's compute precision (float for Cholesky, double for CG: see halfSweepCG).
 */
template <typename Scalar>
struct RowBlock {
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

/** Largest k for which the unblocked factorization is used (see choleskyInPlace). */
constexpr Index kUnblockedCholeskyMaxK = 128;

/**
 * A = L L^T on the lower triangle of A, in place; false if A is not (numerically) positive
 * definite. This is the factorization Eigen::LLT runs, called directly: for k >= 32 Eigen::LLT
 * switches to its blocked variant with blocks of 8 columns, whose per-block triangular solves and
 * GEMM calls cost more than they save at ALS sizes (k ~ 10..128): one Cholesky half-sweep at
 * k = 50 takes about 20% fewer instructions unblocked. The vendored Eigen is pinned, so relying
 * on Eigen::internal is safe; revisit when updating Eigen.
 */
bool choleskyInPlace(Matrix& A) {
  using Llt = Eigen::internal::llt_inplace<float, Eigen::Lower>;
  const Index failedColumn = A.rows() <= kUnblockedCholeskyMaxK ? Llt::unblocked(A) : Llt::blocked(A);
  return failedColumn < 0;
}

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
  parallelFor(Cui.rows, kRowsPerChunk, threads, [&](int, std::int64_t first, std::int64_t last) {
    RowBlock<float> row(capacity, k);
    RowMajorMatrix S(capacity, k);  // sqrt(|w_j|) y_j, rows with w > 0 first, then w < 0
    Matrix A(k, k);
    Vector b(k);
    Vector x(k);
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
  const Eigen::MatrixXd YtYreg = regularizedGramDouble(Y, Cui.cols, k, lambda);
  const std::int64_t capacity = maxRowLength(Cui);
  StatusCollector status;
  parallelFor(Cui.rows, kRowsPerChunk, threads, [&](int, std::int64_t first, std::int64_t last) {
    RowBlock<double> row(capacity, k);
    Eigen::VectorXd t(capacity);  // per-item scratch: Y_u x or Y_u p
    Eigen::VectorXd x(k), r(k), p(k), Ap(k);
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
      const auto Yu = row.Yu.topRows(len);
      const auto w = row.w.head(len);
      auto tu = t.head(len);
      x = xu.transpose().cast<double>();  // warm start from the previous x_u
      // r = b - A x = Y_u^T (Cu p(u)) - (YtY + lambda*I) x - Y_u^T diag(|c| - 1) Y_u x
      tu.noalias() = Yu * x;
      tu = row.bw.head(len) - w.cwiseProduct(tu);
      r.noalias() = Yu.transpose() * tu;
      r.noalias() -= YtYreg * x;
      p = r;
      double rsold = r.squaredNorm();
      if (rsold < kCgTolerance) continue;
      for (int it = 0; it < cgSteps; ++it) {
        // Ap = (YtY + lambda*I) p + Y_u^T diag(|c| - 1) (Y_u p)
        tu.noalias() = Yu * p;
        tu = w.cwiseProduct(tu);
        Ap.noalias() = YtYreg * p;
        Ap.noalias() += Yu.transpose() * tu;
        const double alpha = rsold / p.dot(Ap);
        x += alpha * p;
        r -= alpha * Ap;
        const double rsnew = r.squaredNorm();
        if (rsnew < kCgTolerance) break;
        p = r + (rsnew / rsold) * p;
        rsold = rsnew;
      }
      xu = x.transpose().cast<float>();
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

}  // namespace alsrec

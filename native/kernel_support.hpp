// Building blocks shared by the kernels (internal; no Node headers): SIMD packets, padded factor
// storage, the row-parallel loop, per-worker scratch, status collection and index checks.
#pragma once

#include <Eigen/Core>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <vector>

#include "als_kernels.hpp"
#include "worker_pool.hpp"

namespace alsrec::detail {

/**
 * Eigen's widest float packet for the target: 16 lanes with AVX-512, 8 with AVX2, 4 with SSE or
 * NEON. The kernels are written with Eigen::internal's packet primitives (pload, pmadd, predux),
 * so one source serves every instruction set; the vendored Eigen is pinned (VENDOR.md).
 */
using PacketF = Eigen::internal::packet_traits<float>::type;
constexpr int kLanes = Eigen::internal::packet_traits<float>::size;
/** Registers the register-blocked loops may use: 32 vector registers with AVX-512, else 16. */
constexpr int kVectorRegisters = kLanes >= 16 ? 32 : 16;

/** k rounded up to whole packets: the stride of padded factor rows and of k x k scratch. */
inline int paddedWidth(int k) { return (k + kLanes - 1) / kLanes * kLanes; }

/** A zero-initialized float array aligned to 64 bytes (a cache line; any packet's alignment). */
class AlignedFloats {
 public:
  explicit AlignedFloats(std::int64_t count);
  float* data() { return data_.get(); }
  const float* data() const { return data_.get(); }

 private:
  struct Free {
    void operator()(float* p) const;
  };
  std::unique_ptr<float, Free> data_;
};

/**
 * The fixed side's factors Y (rows x k, row-major) copied into rows of paddedWidth(k) floats,
 * zero beyond k and 64-byte aligned, so every row is a whole number of packets: the inner loops
 * have no tails and use aligned loads, and the kernels read rows straight from here instead of
 * gathering them. Copied once per half-sweep (O(rows * k), split across the workers), which is
 * small next to the half-sweep's O(nnz * k) or more.
 */
class PaddedFactors {
 public:
  PaddedFactors(const float* Y, std::int64_t rows, int k, int threads);
  int width() const { return width_; }
  const float* row(std::int64_t i) const { return storage_.data() + i * width_; }

 private:
  int width_;
  AlignedFloats storage_;
};

/** Asks the cache for the padded row at `row` (a hint; random rows otherwise miss in turn). */
inline void prefetchRow(const float* row, int width) {
  for (int off = 0; off < width; off += 64 / static_cast<int>(sizeof(float))) __builtin_prefetch(row + off);
}

/** Rows ahead whose factor rows are prefetched: enough to cover a miss to L3 or memory. */
constexpr int kPrefetchDistance = 8;

/**
 * Runs body(worker, begin, end) over [0, count) in chunks claimed from an atomic counter by up to
 * `threads` workers (the calling thread is worker 0, the others come from the process-wide pool).
 * Which worker runs a chunk never affects its result. The first exception thrown by any worker is
 * rethrown after all have finished.
 */
template <typename Body>
void parallelFor(std::int64_t count, std::int64_t chunk, int threads, Body body) {
  const std::int64_t chunks = (count + chunk - 1) / chunk;
  const int workers = static_cast<int>(std::max<std::int64_t>(1, std::min<std::int64_t>(threads, chunks)));
  std::atomic<std::int64_t> next{0};
  std::exception_ptr failure;
  std::mutex failureMutex;
  runOnWorkers(workers, [&](int worker) {
    try {
      for (std::int64_t c = next.fetch_add(1); c < chunks; c = next.fetch_add(1)) {
        body(worker, c * chunk, std::min(count, (c + 1) * chunk));
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(failureMutex);
      if (!failure) failure = std::current_exception();
      next.store(chunks);  // let the other workers stop early
    }
  });
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

/** Scratch storage of each worker, made on its first chunk and reused by its later ones. */
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
KernelStatus checkIndptr(const CsrView& m);

/** True if all `len` column indices lie in [0, cols): checked before any of them is dereferenced. */
inline bool columnsInRange(const std::int32_t* columns, std::int64_t len, std::int64_t cols) {
  // A min/max reduction: branch-free, and the compiler vectorizes it.
  std::int32_t lowest = 0;
  std::int32_t highest = 0;
  if (len > 0) lowest = highest = columns[0];
  for (std::int64_t j = 1; j < len; ++j) {
    lowest = std::min(lowest, columns[j]);
    highest = std::max(highest, columns[j]);
  }
  return lowest >= 0 && highest < cols;
}

/** A row of a half-sweep to solve: its stored columns (checked to be in range) and values. */
struct SweepRow {
  std::int64_t u;
  float* x;  // x_u, k floats, written by the solver
  const std::int32_t* columns;
  const float* c;  // confidences
  std::int64_t len;
};

/**
 * Calls solve(row) for each row u in [first, last) of a half-sweep, except that a row without
 * entries gets x_u = 0, and a row with a column index outside [0, cols) is reported (and left
 * unchanged) before any of its indices is dereferenced.
 */
template <typename Solve>
void forEachRowToSolve(const CsrView& C, std::int64_t first, std::int64_t last, float* X, int k, StatusCollector& status, Solve solve) {
  for (std::int64_t u = first; u < last; ++u) {
    float* xu = X + u * k;
    const std::int64_t begin = C.indptr[u];
    const std::int64_t len = C.indptr[u + 1] - begin;
    if (len == 0) {
      std::fill_n(xu, k, 0.0f);
      continue;
    }
    if (!columnsInRange(C.indices + begin, len, C.cols)) {
      status.report(KernelStatus::Kind::BadColumnIndex, u);
      continue;
    }
    solve(SweepRow{u, xu, C.indices + begin, C.data + begin, len});
  }
}

/**
 * YtY = Y^T Y (k x k) in double for row-major float Y (n x k). Partial sums over a fixed number
 * of row blocks are added in block order, so the result does not depend on `threads`.
 */
Eigen::MatrixXd gramDouble(const float* Y, std::int64_t n, int k, int threads);

/** (scale*YtY + lambda*I) rounded to float, into a paddedWidth(k)-square array, zero beyond k. */
AlignedFloats paddedRegularizedGram(const float* Y, std::int64_t n, int k, double scale, double lambda, int threads);

/**
 * The Gramian every row of a half-sweep starts from: a0*YtY, plus lambda*I when lambda_u is the
 * same for every row (then nothing is added per row; with a0 = 1 this is exactly YtY + lambda*I).
 */
inline AlignedFloats objectiveGram(const float* Y, std::int64_t n, int k, const Objective& o, int threads) {
  return paddedRegularizedGram(Y, n, k, o.unobservedWeight, o.perRow() ? 0.0 : o.lambda, threads);
}

/**
 * lambda_u for a row with confidences c[0..len) (see Objective): counted here, O(len), only when
 * the regularization is frequency-scaled. Spark's ALS.computeFactors counts the same entries
 * (`numExplicits`, ratings > 0 in implicit mode).
 */
inline double rowLambda(const Objective& o, const float* c, std::int64_t len) {
  std::int64_t positives = 0;
  for (std::int64_t j = 0; j < len; ++j) positives += c[j] > 0.0f ? 1 : 0;
  return static_cast<double>(o.lambda) * std::pow(static_cast<double>(positives) + o.frequencyOffset, o.exponent);
}

}  // namespace alsrec::detail

// N-API binding of the ALS kernels: the only file that includes napi.h.
//
// Each call validates what is O(1) (types, lengths, numeric options) and throws TypeError or
// RangeError with "Expected <what> for <name> but received <value>" messages; typed arrays over a
// SharedArrayBuffer (JS may write them while the worker reads) or a detached ArrayBuffer are
// TypeErrors. It then copies the inputs the kernel reads into a job the worker owns (JS can
// detach, transfer or free an ArrayBuffer while the worker runs, and a reference to the typed
// array does not stop that) and runs the kernel in an AsyncWorker, returning a Promise. A
// half-sweep's X is copied in, solved in the job's copy and written back when the promise
// settles; X detached or resized meanwhile rejects with a TypeError. The copies cost O(inputs),
// small next to the kernels' O(nnz * k) and up, and are split across the call's worker threads
// while the main thread waits inside the call (CopyPlan), so no buffer can be detached meanwhile. A failed Cholesky row rejects with an Error
// carrying `row` and code 'ERR_ALSREC_ROW_SOLVE'; malformed CSR contents found by the kernel
// reject with RangeError; a C++ exception (std::bad_alloc...) becomes an Error with a `code`
// (ERR_ALSREC_NATIVE_OUT_OF_MEMORY, ERR_ALSREC_NATIVE_FAILURE) and a one-line message, on the
// main thread or in the worker alike.
#include <napi.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <limits>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "als_kernels.hpp"
#include "cpu_check.hpp"
#include "worker_pool.hpp"

namespace {

using alsrec::CsrView;
using alsrec::KernelStatus;

constexpr double kMaxDimension = std::numeric_limits<std::int32_t>::max();
constexpr double kMaxK = alsrec::kMaxFactors;
constexpr double kMaxThreads = 1024;
constexpr double kMaxCgSteps = 1 << 20;
constexpr double kMaxN = 1 << 24;

const char* typedArrayName(napi_typedarray_type type) {
  switch (type) {
    case napi_int8_array: return "Int8Array";
    case napi_uint8_array: return "Uint8Array";
    case napi_uint8_clamped_array: return "Uint8ClampedArray";
    case napi_int16_array: return "Int16Array";
    case napi_uint16_array: return "Uint16Array";
    case napi_int32_array: return "Int32Array";
    case napi_uint32_array: return "Uint32Array";
    case napi_float32_array: return "Float32Array";
    case napi_float64_array: return "Float64Array";
    case napi_bigint64_array: return "BigInt64Array";
    case napi_biguint64_array: return "BigUint64Array";
    default: return "TypedArray";
  }
}

/**
 * "" for a typed array over a live ArrayBuffer, else what its memory is: a SharedArrayBuffer can
 * be written by JS while a worker reads it, and a detached buffer has no memory at all.
 */
std::string bufferKind(const Napi::Value& v) {
  napi_env env = v.Env();
  napi_value buffer = nullptr;
  if (napi_get_typedarray_info(env, v, nullptr, nullptr, nullptr, &buffer, nullptr) != napi_ok) return " (unreadable)";
  bool isArrayBuffer = false;
  if (napi_is_arraybuffer(env, buffer, &isArrayBuffer) != napi_ok || !isArrayBuffer) return " over a SharedArrayBuffer";
  bool detached = false;
  if (napi_is_detached_arraybuffer(env, buffer, &detached) != napi_ok || detached) return " over a detached ArrayBuffer";
  return "";
}

/** Describes a received value as src/errors.ts does: `-1 of type number`, `a Float64Array`. */
std::string describe(const Napi::Value& v) {
  if (v.IsUndefined()) return "undefined";
  if (v.IsNull()) return "null";
  if (v.IsString()) return "\"" + v.As<Napi::String>().Utf8Value() + "\" of type string";
  if (v.IsNumber()) return v.ToString().Utf8Value() + " of type number";
  if (v.IsBoolean()) return v.ToString().Utf8Value() + " of type boolean";
  if (v.IsTypedArray()) {
    const std::string name = typedArrayName(v.As<Napi::TypedArray>().TypedArrayType());
    return (name[0] == 'I' ? "an " : "a ") + name + bufferKind(v);
  }
  if (v.IsArray()) return "an array of length " + std::to_string(v.As<Napi::Array>().Length());
  if (v.IsFunction()) return "a function";
  if (v.IsObject()) return "an object";
  return "a value of type " + std::string(v.IsBigInt() ? "bigint" : "symbol");
}

[[noreturn]] void throwType(Napi::Env env, const std::string& name, const std::string& expected, const Napi::Value& v) {
  throw Napi::TypeError::New(env, "Expected " + expected + " for " + name + " but received " + describe(v));
}

[[noreturn]] void throwRange(Napi::Env env, const std::string& name, const std::string& expected, const std::string& received) {
  throw Napi::RangeError::New(env, "Expected " + expected + " for " + name + " but received " + received);
}

/** A number that must be an integer in [min, max]: TypeError if not a number, else RangeError. */
std::int64_t integerArg(const Napi::Value& v, const std::string& name, double min, double max) {
  const std::string expected = "an integer in [" + std::to_string(static_cast<std::int64_t>(min)) + ", " +
                               std::to_string(static_cast<std::int64_t>(max)) + "]";
  if (!v.IsNumber()) throwType(v.Env(), name, expected, v);
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= min && d <= max) || std::trunc(d) != d) throwRange(v.Env(), name, expected, describe(v));
  return static_cast<std::int64_t>(d);
}

float regularizationArg(const Napi::Value& v, const std::string& name) {
  const std::string expected = "a finite number >= 0";
  if (!v.IsNumber()) throwType(v.Env(), name, expected, v);
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= 0 && d <= std::numeric_limits<float>::max())) throwRange(v.Env(), name, expected, describe(v));
  return static_cast<float>(d);
}

/** A typed array of exactly the element type T, with its length optionally checked. */
template <typename T>
struct ArrayArg {
  Napi::TypedArrayOf<T> array;
  T* data = nullptr;  // null when empty: an empty array's data pointer is not trusted
  std::int64_t length = 0;
};

template <typename T>
ArrayArg<T> arrayArg(const Napi::Value& v, const std::string& name) {
  constexpr napi_typedarray_type type = std::is_same<T, float>::value ? napi_float32_array : napi_int32_array;
  const std::string expected = std::string("a") + (type == napi_int32_array ? "n " : " ") + typedArrayName(type);
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != type) throwType(v.Env(), name, expected, v);
  if (!bufferKind(v).empty()) throwType(v.Env(), name, expected + " over an ArrayBuffer", v);
  ArrayArg<T> arg;
  arg.array = v.As<Napi::TypedArrayOf<T>>();
  arg.length = static_cast<std::int64_t>(arg.array.ElementLength());
  arg.data = arg.length > 0 ? arg.array.Data() : nullptr;
  return arg;
}

void expectLength(Napi::Env env, const std::string& name, std::int64_t length, std::int64_t expected, const std::string& formula) {
  if (length != expected) {
    throwRange(env, name, "length " + formula + " = " + std::to_string(expected), "length " + std::to_string(length));
  }
}

Napi::Object objectArg(const Napi::Value& v, const std::string& name) {
  if (!v.IsObject() || v.IsTypedArray() || v.IsArray()) throwType(v.Env(), name, "a CSR object { rows, cols, indptr, indices, data }", v);
  return v.As<Napi::Object>();
}

/**
 * Memory for the jobs' copies, reused from call to call. Fresh memory costs a page fault per page
 * on first touch, which in a sandboxed VM was measured at about 1 s for 16 MiB, far more than the
 * copy itself (about 1 ms into memory already touched) or the kernels; reused blocks cost only
 * the copy. Freed blocks are kept up to kMaxPooledBytes in all and handed out again for requests
 * of at least half their size. Used from the main thread (take) and from wherever a job is
 * destroyed (give), hence the mutex.
 */
class BlockPool {
 public:
  static BlockPool& instance() {
    static BlockPool* pool = new BlockPool();  // never destroyed: jobs may outlive static teardown
    return *pool;
  }

  /** A block of at least `bytes` (its capacity in `capacity`); throws std::bad_alloc. */
  void* take(std::size_t bytes, std::size_t& capacity) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      std::size_t best = free_.size();
      for (std::size_t j = 0; j < free_.size(); ++j) {
        const std::size_t c = free_[j].second;
        if (c >= bytes && c / 2 <= bytes && (best == free_.size() || c < free_[best].second)) best = j;
      }
      if (best < free_.size()) {
        void* p = free_[best].first;
        capacity = free_[best].second;
        freeBytes_ -= capacity;
        free_.erase(free_.begin() + static_cast<std::ptrdiff_t>(best));
        return p;
      }
    }
    void* p = std::malloc(bytes);
    if (p == nullptr) throw std::bad_alloc();
    capacity = bytes;
    return p;
  }

  void give(void* p, std::size_t capacity) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (freeBytes_ + capacity > kMaxPooledBytes || free_.size() >= kMaxBlocks) {
      std::free(p);
      return;
    }
    free_.emplace_back(p, capacity);
    freeBytes_ += capacity;
  }

 private:
  static constexpr std::size_t kMaxPooledBytes = std::size_t{1} << 30;
  static constexpr std::size_t kMaxBlocks = 64;
  std::mutex mutex_;
  std::vector<std::pair<void*, std::size_t>> free_;
  std::size_t freeBytes_ = 0;
};

/** A job-owned array of `size` trivially copyable T in a pooled block (uninitialized). */
template <typename T>
class JobArray {
 public:
  JobArray() = default;
  explicit JobArray(std::size_t size) : size_(size) {
    if (size_ > 0) data_ = static_cast<T*>(BlockPool::instance().take(size_ * sizeof(T), capacity_));
  }
  JobArray(const JobArray&) = delete;
  JobArray& operator=(const JobArray&) = delete;
  JobArray(JobArray&& other) noexcept { swap(other); }
  JobArray& operator=(JobArray&& other) noexcept {
    JobArray(std::move(other)).swap(*this);
    return *this;
  }
  ~JobArray() {
    if (data_ != nullptr) BlockPool::instance().give(data_, capacity_);
  }

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  /** Null when empty, as ArrayArg's data. */
  T* data() { return data_; }
  const T* data() const { return data_; }
  T& operator[](std::size_t j) { return data_[j]; }
  const T& operator[](std::size_t j) const { return data_[j]; }

 private:
  void swap(JobArray& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    std::swap(capacity_, other.capacity_);
  }
  T* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

/**
 * Copies between JS memory and a job's own arrays, done while the main thread is inside the
 * addon call (JS cannot run, so no buffer can be detached or freed meanwhile: that is what makes
 * reading JS memory safe here and nowhere else) but split across the call's worker threads: the
 * JS thread takes part and waits for the others before it returns. Serial on the main thread,
 * these copies (CSR, X, Y and X's write-back: ~20 MB per synth-1m half-sweep at k = 64) capped
 * CG's 2-thread speed-up at 1.39x. If another job holds the pool, the main thread copies alone
 * rather than wait behind a kernel (tryRunOnWorkers).
 */
class CopyPlan {
 public:
  /** Adds a copy of `count` elements from `from` to `to` (either may be null when count is 0). */
  template <typename T>
  void add(T* to, const T* from, std::size_t count) {
    if (count > 0) segments_.push_back({reinterpret_cast<unsigned char*>(to), reinterpret_cast<const unsigned char*>(from), count * sizeof(T)});
  }

  /** Runs every copy, on up to `threads` threads; pieces of kChunkBytes are handed out in turn. */
  void run(int threads) {
    std::vector<Piece> pieces;
    std::size_t total = 0;
    for (const Segment& s : segments_) {
      for (std::size_t at = 0; at < s.bytes; at += kChunkBytes) pieces.push_back({&s, at, std::min(kChunkBytes, s.bytes - at)});
      total += s.bytes;
    }
    auto copyPieces = [&](std::atomic<std::size_t>& next) {
      for (std::size_t j = next.fetch_add(1); j < pieces.size(); j = next.fetch_add(1)) {
        const Piece& p = pieces[j];
        std::memcpy(p.segment->to + p.offset, p.segment->from + p.offset, p.bytes);
      }
    };
    std::atomic<std::size_t> next{0};
    // Below ~1 MB, waking a pool thread costs more than it saves.
    const int workers = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(std::max(1, threads)), total / kChunkBytes + 1));
    if (workers <= 1 || !alsrec::detail::tryRunOnWorkers(workers, [&](int) { copyPieces(next); })) copyPieces(next);
    segments_.clear();
  }

 private:
  static constexpr std::size_t kChunkBytes = std::size_t{1} << 19;
  struct Segment {
    unsigned char* to;
    const unsigned char* from;
    std::size_t bytes;
  };
  struct Piece {
    const Segment* segment;
    std::size_t offset;
    std::size_t bytes;
  };
  std::vector<Segment> segments_;
};

/**
 * A job-owned array for an argument's elements, filled when `plan` runs (on the main thread and
 * the workers, see CopyPlan; the file comment says why jobs own copies).
 */
template <typename T>
JobArray<T> ownCopy(const ArrayArg<T>& arg, CopyPlan& plan) {
  JobArray<T> copy(static_cast<std::size_t>(arg.length));
  plan.add(copy.data(), arg.data, copy.size());
  return copy;
}

/** A job-owned copy of an argument, taken now on the main thread alone: for small arrays. */
template <typename T>
JobArray<T> ownCopy(const ArrayArg<T>& arg) {
  CopyPlan plan;
  JobArray<T> copy = ownCopy(arg, plan);
  plan.run(1);
  return copy;
}

template <typename T>
T* dataOf(JobArray<T>& v) { return v.data(); }
template <typename T>
const T* dataOf(const JobArray<T>& v) { return v.data(); }

/** The parsed CSR plus its arrays. `needData` is false for topN exclusion (pattern only). */
struct CsrArg {
  CsrView view;
  ArrayArg<std::int32_t> indptr;
  ArrayArg<std::int32_t> indices;
  ArrayArg<float> data;
};

CsrArg csrArg(const Napi::Value& v, const std::string& name, bool needData) {
  Napi::Object obj = objectArg(v, name);
  CsrArg csr;
  csr.view.rows = integerArg(obj.Get("rows"), name + ".rows", 0, kMaxDimension);
  csr.view.cols = integerArg(obj.Get("cols"), name + ".cols", 0, kMaxDimension);
  csr.indptr = arrayArg<std::int32_t>(obj.Get("indptr"), name + ".indptr");
  csr.indices = arrayArg<std::int32_t>(obj.Get("indices"), name + ".indices");
  expectLength(v.Env(), name + ".indptr", csr.indptr.length, csr.view.rows + 1, "rows + 1");
  // O(1): the last indptr entry is the number of stored entries; the kernel checks the rest.
  csr.view.nnz = csr.indptr.data[csr.view.rows];
  if (csr.view.nnz < 0) throwRange(v.Env(), name + ".indptr", "a last entry >= 0", std::to_string(csr.view.nnz));
  expectLength(v.Env(), name + ".indices", csr.indices.length, csr.view.nnz, "indptr[rows]");
  if (needData) {
    csr.data = arrayArg<float>(obj.Get("data"), name + ".data");
    expectLength(v.Env(), name + ".data", csr.data.length, csr.view.nnz, "indptr[rows]");
  }
  csr.view.indptr = csr.indptr.data;
  csr.view.indices = csr.indices.data;
  csr.view.data = csr.data.data;
  return csr;
}

/** X is written by the kernel; an input sharing its memory would be read while being written. */
template <typename T>
void expectDisjoint(Napi::Env env, const ArrayArg<float>& X, const ArrayArg<T>& other, const std::string& name) {
  const auto* xBegin = reinterpret_cast<const unsigned char*>(X.data);
  const auto* oBegin = reinterpret_cast<const unsigned char*>(other.data);
  if (xBegin == nullptr || oBegin == nullptr) return;
  const auto* xEnd = xBegin + X.length * static_cast<std::int64_t>(sizeof(float));
  const auto* oEnd = oBegin + other.length * static_cast<std::int64_t>(sizeof(T));
  if (xBegin < oEnd && oBegin < xEnd) throwRange(env, name, "memory not shared with X", "an overlapping view");
}

/** A coded Error for a C++ exception, the same shape on the main thread and in a worker. */
Napi::Error nativeFailure(Napi::Env env, const std::string& code, const std::string& message) {
  Napi::Error e = Napi::Error::New(env, message);
  e.Set("code", Napi::String::New(env, code));
  return e;
}

constexpr const char* kOutOfMemory = "ERR_ALSREC_NATIVE_OUT_OF_MEMORY";
constexpr const char* kFailure = "ERR_ALSREC_NATIVE_FAILURE";

std::string outOfMemoryMessage(const std::string& call) {
  return "alsrec native: out of memory in " + call + "; use fewer ids per call, fewer factors or a machine with more memory";
}

/** The rejection for a kernel status: the row is kept so TS can build RowSolveError(row). */
Napi::Error statusError(Napi::Env env, const KernelStatus& s, const std::string& csrName) {
  const std::string row = std::to_string(s.row);
  switch (s.kind) {
    case KernelStatus::Kind::RowSolveFailed: {
      Napi::Error e = Napi::Error::New(env, "Cholesky factorization failed for row " + row);
      e.Set("row", Napi::Number::New(env, static_cast<double>(s.row)));
      e.Set("code", Napi::String::New(env, "ERR_ALSREC_ROW_SOLVE"));
      return e;
    }
    case KernelStatus::Kind::BadIndptr:
      return Napi::RangeError::New(env, "Expected non-decreasing values in [0, indptr[rows]] for " + csrName +
                                            ".indptr but received a bad span at row " + row);
    case KernelStatus::Kind::BadColumnIndex:
      return Napi::RangeError::New(env, "Expected column indices in [0, cols) for " + csrName +
                                            ".indices but received one outside in row " + row);
    case KernelStatus::Kind::BadRowIndex:
      return Napi::RangeError::New(env, "Expected row indices in [0, rows of X) for rows but received one outside at position " + row);
    default:
      return Napi::Error::New(env, "alsrec native: unexpected kernel status");
  }
}

/**
 * Runs a job off the main thread and settles a promise. `Job` is a plain struct with
 * `KernelStatus run()` and `Napi::Value result(Napi::Env)`; it must not touch N-API in run().
 */
template <typename Job>
class KernelWorker : public Napi::AsyncWorker {
 public:
  KernelWorker(Napi::Env env, Job job, std::string csrName)
      : Napi::AsyncWorker(env, "alsrec:kernel"),
        deferred_(Napi::Promise::Deferred::New(env)),
        job_(std::move(job)),
        csrName_(std::move(csrName)) {}

  Napi::Promise promise() const { return deferred_.Promise(); }

  void Execute() override {
    try {
      status_ = job_.run();
    } catch (const std::bad_alloc&) {
      fail(kOutOfMemory, outOfMemoryMessage(Job::kName));
    } catch (const std::exception& e) {
      fail(kFailure, "alsrec native: " + std::string(Job::kName) + " failed: " + e.what());
    } catch (...) {
      fail(kFailure, "alsrec native: " + std::string(Job::kName) + " failed with an unknown exception");
    }
  }

  void OnOK() override {
    settle([this] {
      if (!failureCode_.empty()) {
        deferred_.Reject(nativeFailure(Env(), failureCode_, failureMessage_).Value());
        return;
      }
      try {
        // Results first (a half-sweep's X goes back even when a row failed, as the kernels
        // leave every other row solved), then the status.
        Napi::Value result = job_.result(Env());
        if (status_.ok()) {
          deferred_.Resolve(result);
        } else {
          deferred_.Reject(statusError(Env(), status_, csrName_).Value());
        }
      } catch (const Napi::Error& e) {
        deferred_.Reject(e.Value());
      }
    });
  }

 private:
  /**
   * Runs a promise settlement. If the environment is being torn down (a worker terminated while
   * the kernel ran), N-API calls fail and node-addon-api throws; nobody can observe the promise
   * any more, so the failure is dropped instead of escaping into a noexcept callback.
   */
  template <typename Settle>
  void settle(Settle run) {
    try {
      Napi::HandleScope scope(Env());
      run();
    } catch (const Napi::Error&) {
      // Environment shutting down: see above.
    }
  }

  /** Records a C++ exception of Execute(); OnOK rejects with it (no N-API off the main thread). */
  void fail(const char* code, std::string message) {
    failureCode_ = code;
    failureMessage_ = std::move(message);
  }

  Napi::Promise::Deferred deferred_;
  Job job_;
  std::string csrName_;
  KernelStatus status_;
  std::string failureCode_;
  std::string failureMessage_;
};

template <typename Job>
Napi::Value queue(Napi::Env env, Job job, const std::string& csrName) {
  auto* worker = new KernelWorker<Job>(env, std::move(job), csrName);
  Napi::Promise promise = worker->promise();
  worker->Queue();  // the worker deletes itself after OnOK/OnError
  return promise;
}

struct HalfSweepJob {
  static constexpr const char* kName = "halfSweep";
  bool cholesky = false;
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  std::int64_t nnz = 0;
  JobArray<std::int32_t> indptr;
  JobArray<std::int32_t> indices;
  JobArray<float> data;
  JobArray<float> X;  // solved here, written back to the caller's X in result()
  JobArray<float> Y;
  int k = 0;
  alsrec::Objective objective{0.0f};
  int cgSteps = 0;
  int threads = 0;
  std::shared_ptr<Napi::ObjectReference> xRef;

  KernelStatus run() {
    const CsrView C{rows, cols, nnz, dataOf(indptr), dataOf(indices), dataOf(data)};
    return cholesky ? alsrec::halfSweepCholesky(C, dataOf(X), dataOf(Y), k, objective, threads)
                    : alsrec::halfSweepCG(C, dataOf(X), dataOf(Y), k, objective, cgSteps, threads);
  }

  /** Copies the solved X back; the caller's X must still be there, whole. */
  Napi::Value result(Napi::Env env) {
    Napi::Value target = xRef->Value();
    if (!bufferKind(target).empty() || target.As<Napi::Float32Array>().ElementLength() != X.size()) {
      throw Napi::TypeError::New(env, "Expected X to stay attached and of length " + std::to_string(X.size()) +
                                          " until halfSweep settled but received " + describe(target) + " of length " +
                                          std::to_string(target.As<Napi::Float32Array>().ElementLength()) +
                                          "; the solved factors are lost");
    }
    CopyPlan plan;
    plan.add(X.size() > 0 ? target.As<Napi::Float32Array>().Data() : nullptr, X.data(), X.size());
    plan.run(threads);  // on the main thread (OnOK), so X cannot be detached meanwhile
    return env.Undefined();
  }
};

/**
 * The optional last argument of the half-sweeps, { unobservedWeight, regularizationExponent,
 * frequencyOffset } (docs/model.md); absent, the objective is Hu et al.'s (1, 0, 0).
 */
alsrec::Objective objectiveArg(const Napi::Value& v, float lambda) {
  if (v.IsUndefined()) return alsrec::Objective(lambda);
  if (!v.IsObject() || v.IsTypedArray() || v.IsArray()) {
    throwType(v.Env(), "objective", "an object { unobservedWeight, regularizationExponent, frequencyOffset }", v);
  }
  Napi::Object o = v.As<Napi::Object>();
  auto number = [&](const char* name, double min, bool minIncluded) {
    const Napi::Value field = o.Get(name);
    const std::string expected = std::string("a finite number ") + (minIncluded ? ">= " : "> ") + std::to_string(static_cast<int>(min));
    if (!field.IsNumber()) throwType(v.Env(), std::string("objective.") + name, expected, field);
    const double d = field.As<Napi::Number>().DoubleValue();
    if (!std::isfinite(d) || d < min || (!minIncluded && d == min) || d > std::numeric_limits<float>::max()) {
      throwRange(v.Env(), std::string("objective.") + name, expected, describe(field));
    }
    return d;
  };
  const double a0 = number("unobservedWeight", 0, false);
  const double exponent = number("regularizationExponent", 0, true);
  const double offset = number("frequencyOffset", 0, true);
  return alsrec::Objective(lambda, static_cast<float>(a0), exponent, offset);
}

/** halfSweepCholesky(C, X, Y, k, regularization, threads[, objective]) and
 *  halfSweepCG(C, X, Y, k, regularization, cgSteps, threads[, objective]). */
Napi::Value halfSweep(const Napi::CallbackInfo& info, bool cholesky) {
  Napi::Env env = info.Env();
  const std::size_t expectedArgs = cholesky ? 6 : 7;
  if (info.Length() != expectedArgs && info.Length() != expectedArgs + 1) {
    throw Napi::TypeError::New(env, "Expected " + std::to_string(expectedArgs) + " arguments for " +
                                        (cholesky ? "halfSweepCholesky" : "halfSweepCG") + " but received " +
                                        std::to_string(info.Length()));
  }
  HalfSweepJob job;
  job.cholesky = cholesky;
  CsrArg C = csrArg(info[0], "confidence", true);
  ArrayArg<float> X = arrayArg<float>(info[1], "X");
  ArrayArg<float> Y = arrayArg<float>(info[2], "Y");
  job.k = static_cast<int>(integerArg(info[3], "k", 1, kMaxK));
  const float lambda = regularizationArg(info[4], "regularization");
  job.cgSteps = cholesky ? 0 : static_cast<int>(integerArg(info[5], "cgSteps", 1, kMaxCgSteps));
  job.threads = static_cast<int>(integerArg(info[cholesky ? 5 : 6], "threads", 1, kMaxThreads));
  job.objective = objectiveArg(info.Length() > expectedArgs ? info[expectedArgs] : env.Undefined(), lambda);
  expectLength(env, "X", X.length, C.view.rows * job.k, "confidence.rows * k");
  expectLength(env, "Y", Y.length, C.view.cols * job.k, "confidence.cols * k");
  expectDisjoint(env, X, Y, "Y");
  expectDisjoint(env, X, C.data, "confidence.data");
  expectDisjoint(env, X, C.indptr, "confidence.indptr");
  expectDisjoint(env, X, C.indices, "confidence.indices");
  job.rows = C.view.rows;
  job.cols = C.view.cols;
  job.nnz = C.view.nnz;
  CopyPlan plan;
  job.indptr = ownCopy(C.indptr, plan);
  job.indices = ownCopy(C.indices, plan);
  job.data = ownCopy(C.data, plan);
  job.X = ownCopy(X, plan);
  job.Y = ownCopy(Y, plan);
  plan.run(job.threads);
  job.xRef = std::make_shared<Napi::ObjectReference>(Napi::Persistent(X.array.As<Napi::Object>()));
  return queue(env, std::move(job), "confidence");
}

/** X, Y, k and rows of the scoring calls (topN, scoreRows), checked: lengths and row ranges. */
/**
 * A factor matrix copied once into memory the addon owns (`pinFactors`), for scoring calls that
 * reuse one Y (serving: every request scores against the same item factors). A call given a
 * pinned Y shares it instead of copying all of Y (4 MB for 80,000 items at k = 13) per call; it
 * is immutable, so JS can neither detach nor change what a running job reads.
 */
struct PinnedFactors {
  JobArray<float> values;
  std::int64_t rows = 0;
  int k = 0;
};
using PinnedHandle = std::shared_ptr<const PinnedFactors>;

// Tags the externals pinFactors makes, so another addon's external is never taken for one.
constexpr napi_type_tag kPinnedFactorsTag = {0x616c737265635066ULL, 0x6163746f72733031ULL};

/** pinFactors(Y, k) -> an opaque pinned copy of Y (rows x k), accepted as Y by topN and scoreRows. */
Napi::Value pinFactors(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 2) {
    throw Napi::TypeError::New(env, "Expected 2 arguments for pinFactors but received " + std::to_string(info.Length()));
  }
  const ArrayArg<float> Y = arrayArg<float>(info[0], "Y");
  const int k = static_cast<int>(integerArg(info[1], "k", 1, kMaxK));
  if (Y.length % k != 0) throwRange(env, "Y", "a length that is a multiple of k = " + std::to_string(k), "length " + std::to_string(Y.length));
  if (Y.length / k > kMaxDimension) throwRange(env, "Y", "at most 2^31 - 1 rows", std::to_string(Y.length / k) + " rows");
  auto pinned = std::make_shared<PinnedFactors>();
  pinned->rows = Y.length / k;
  pinned->k = k;
  CopyPlan plan;
  pinned->values = ownCopy(Y, plan);
  plan.run(1);
  const auto bytes = static_cast<std::int64_t>(pinned->values.size() * sizeof(float));
  auto* holder = new PinnedHandle(std::move(pinned));
  auto external = Napi::External<PinnedHandle>::New(env, holder, [bytes](Napi::Env finalEnv, PinnedHandle* h) {
    Napi::MemoryManagement::AdjustExternalMemory(finalEnv, -bytes);
    delete h;
  });
  Napi::MemoryManagement::AdjustExternalMemory(env, bytes);
  external.TypeTag(&kPinnedFactorsTag);
  return external;
}

struct ScoringArgs {
  ArrayArg<float> X;
  ArrayArg<float> Y;
  PinnedHandle pinnedY;  // set instead of Y when the caller passed a pinned table
  ArrayArg<std::int32_t> rows;
  int k = 0;
  std::int64_t xRows = 0;
  std::int64_t yRows = 0;
};

ScoringArgs scoringArgs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ScoringArgs a{arrayArg<float>(info[0], "X"), {}, nullptr, {}, 0, 0, 0};
  a.k = static_cast<int>(integerArg(info[2], "k", 1, kMaxK));
  if (info[1].IsExternal()) {
    auto external = info[1].As<Napi::External<PinnedHandle>>();
    if (!external.CheckTypeTag(&kPinnedFactorsTag)) throw Napi::TypeError::New(env, "Expected Y to be a Float32Array or a table from pinFactors but received another external");
    a.pinnedY = *external.Data();
    if (a.pinnedY->k != a.k) throwRange(env, "Y", "a table pinned with k = " + std::to_string(a.k), "k = " + std::to_string(a.pinnedY->k));
  } else {
    a.Y = arrayArg<float>(info[1], "Y");
  }
  a.rows = arrayArg<std::int32_t>(info[3], "rows");
  if (a.X.length % a.k != 0) throwRange(env, "X", "a length that is a multiple of k = " + std::to_string(a.k), "length " + std::to_string(a.X.length));
  if (!a.pinnedY && a.Y.length % a.k != 0) throwRange(env, "Y", "a length that is a multiple of k = " + std::to_string(a.k), "length " + std::to_string(a.Y.length));
  a.xRows = a.X.length / a.k;
  a.yRows = a.pinnedY ? a.pinnedY->rows : a.Y.length / a.k;
  if (a.yRows > kMaxDimension) throwRange(env, "Y", "at most 2^31 - 1 rows", std::to_string(a.yRows) + " rows");
  // O(len(rows)): cheap next to the scoring, and an out-of-range row would read out of bounds.
  for (std::int64_t r = 0; r < a.rows.length; ++r) {
    if (a.rows.data[r] < 0 || a.rows.data[r] >= a.xRows) {
      throwRange(env, "rows[" + std::to_string(r) + "]", "a row index in [0, " + std::to_string(a.xRows) + ")",
                 std::to_string(a.rows.data[r]));
    }
  }
  return a;
}

/**
 * What the scoring kernels read, owned by the job: the requested rows of X (in request order, so
 * the kernel's rows are 0..count-1) and all of Y. O(count * k + Y), against the kernels'
 * O(count * Y); copying all of X instead would cost O(X) for a one-user request.
 */
struct ScoringInputs {
  JobArray<float> X;
  JobArray<float> Y;
  PinnedHandle pinnedY;  // shared instead of Y when the caller passed a pinned table
  JobArray<std::int32_t> rows;  // 0..count-1, into X
  JobArray<std::int32_t> requested;  // the caller's rows, for error messages
  int k = 0;
  std::int64_t count = 0;
  std::int64_t yRows = 0;
  const float* y() const { return pinnedY ? pinnedY->values.data() : Y.data(); }
};

ScoringInputs scoringInputs(const ScoringArgs& a, int threads) {
  ScoringInputs in;
  in.k = a.k;
  in.count = a.rows.length;
  in.yRows = a.yRows;
  in.X = JobArray<float>(static_cast<std::size_t>(in.count) * static_cast<std::size_t>(a.k));
  in.rows = JobArray<std::int32_t>(static_cast<std::size_t>(in.count));
  for (std::int64_t r = 0; r < in.count; ++r) {
    const auto k = static_cast<std::size_t>(a.k);
    std::copy_n(a.X.data + static_cast<std::size_t>(a.rows.data[r]) * k, k, in.X.data() + static_cast<std::size_t>(r) * k);
    in.rows[static_cast<std::size_t>(r)] = static_cast<std::int32_t>(r);
  }
  in.requested = ownCopy(a.rows);
  if (a.pinnedY) {
    in.pinnedY = a.pinnedY;
    return in;
  }
  CopyPlan plan;
  in.Y = ownCopy(a.Y, plan);
  plan.run(threads);
  return in;
}

struct TopNJob {
  static constexpr const char* kName = "topN";
  ScoringInputs in;
  int n = 0;
  bool hasExclude = false;
  // The exclusion rows of the requested users only, in request order (row r of `in.rows`).
  std::int64_t excludeCols = 0;
  JobArray<std::int32_t> excludeIndptr;
  JobArray<std::int32_t> excludeIndices;
  KernelStatus excludeStatus;  // a bad indptr span found while copying, reported as the kernel would
  int threads = 0;
  std::int32_t* items = nullptr;
  float* scores = nullptr;
  // Handles to the output arrays, created on the main thread and read back in OnOK. No JS code
  // can reach them before the promise resolves, so the kernel writes into them directly.
  std::shared_ptr<Napi::ObjectReference> itemsRef;
  std::shared_ptr<Napi::ObjectReference> scoresRef;

  KernelStatus run() {
    if (!excludeStatus.ok()) return excludeStatus;
    const CsrView exclude{in.count, excludeCols, static_cast<std::int64_t>(excludeIndices.size()), dataOf(excludeIndptr),
                          dataOf(excludeIndices), nullptr};
    KernelStatus s = alsrec::topN(dataOf(in.X), in.count, in.y(), in.yRows, in.k, dataOf(in.rows), in.count, n,
                                  hasExclude ? &exclude : nullptr, threads, items, scores);
    // The kernel names rows of the copy; report the caller's row.
    if (s.kind == KernelStatus::Kind::BadColumnIndex) s.row = in.requested[static_cast<std::size_t>(s.row)];
    return s;
  }
  Napi::Value result(Napi::Env env) const {
    Napi::Object out = Napi::Object::New(env);
    out.Set("items", itemsRef->Value());
    out.Set("scores", scoresRef->Value());
    return out;
  }
};

/** Copies the exclusion rows of the requested users (checking their spans) into the job. */
void copyExcludeRows(TopNJob& job, const CsrArg& exclude) {
  const CsrView& e = exclude.view;
  job.excludeCols = e.cols;
  job.excludeIndptr = JobArray<std::int32_t>(static_cast<std::size_t>(job.in.count) + 1);
  std::fill_n(job.excludeIndptr.data(), job.excludeIndptr.size(), 0);
  std::int64_t total = 0;
  for (std::int64_t r = 0; r < job.in.count && job.excludeStatus.ok(); ++r) {
    const std::int64_t u = job.in.requested[static_cast<std::size_t>(r)];
    const std::int64_t lo = e.indptr[u];
    const std::int64_t hi = e.indptr[u + 1];
    if (lo < 0 || hi < lo || hi > e.nnz) job.excludeStatus = {KernelStatus::Kind::BadIndptr, u};
    else total += hi - lo;
  }
  if (!job.excludeStatus.ok()) return;
  job.excludeIndices = JobArray<std::int32_t>(static_cast<std::size_t>(total));
  std::int64_t at = 0;
  for (std::int64_t r = 0; r < job.in.count; ++r) {
    const std::int64_t u = job.in.requested[static_cast<std::size_t>(r)];
    const std::int64_t lo = e.indptr[u];
    const std::int64_t hi = e.indptr[u + 1];
    if (hi > lo) std::copy(e.indices + lo, e.indices + hi, job.excludeIndices.data() + at);
    at += hi - lo;
    job.excludeIndptr[static_cast<std::size_t>(r) + 1] = static_cast<std::int32_t>(at);
  }
}

/** topN(X, Y, k, rows, n, exclude | null, threads) -> Promise<{ items, scores }>. */
Napi::Value topN(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 7) {
    throw Napi::TypeError::New(env, "Expected 7 arguments for topN but received " + std::to_string(info.Length()));
  }
  TopNJob job;
  ScoringArgs a = scoringArgs(info);
  job.n = static_cast<int>(integerArg(info[4], "n", 1, kMaxN));
  job.threads = static_cast<int>(integerArg(info[6], "threads", 1, kMaxThreads));
  const std::int64_t count = a.rows.length;
  if (static_cast<double>(count) * job.n > static_cast<double>(1u << 30)) {
    throwRange(env, "n", "rows.length * n <= 2^30", std::to_string(count) + " * " + std::to_string(job.n));
  }
  CsrArg exclude;
  if (!info[5].IsNull() && !info[5].IsUndefined()) {
    exclude = csrArg(info[5], "exclude", false);
    if (exclude.view.rows != a.xRows) {
      throwRange(env, "exclude.rows", "the number of rows of X (" + std::to_string(a.xRows) + ")", std::to_string(exclude.view.rows));
    }
    if (exclude.view.cols != a.yRows) {
      throwRange(env, "exclude.cols", "the number of rows of Y (" + std::to_string(a.yRows) + ")", std::to_string(exclude.view.cols));
    }
    job.hasExclude = true;
  }
  job.in = scoringInputs(a, job.threads);
  if (job.hasExclude) copyExcludeRows(job, exclude);
  const auto outLength = static_cast<std::size_t>(count * job.n);
  Napi::Int32Array items = Napi::Int32Array::New(env, outLength);
  Napi::Float32Array scores = Napi::Float32Array::New(env, outLength);
  job.items = outLength > 0 ? items.Data() : nullptr;
  job.scores = outLength > 0 ? scores.Data() : nullptr;
  job.itemsRef = std::make_shared<Napi::ObjectReference>(Napi::Persistent(items.As<Napi::Object>()));
  job.scoresRef = std::make_shared<Napi::ObjectReference>(Napi::Persistent(scores.As<Napi::Object>()));
  return queue(env, std::move(job), "exclude");
}

struct ScoreRowsJob {
  static constexpr const char* kName = "scoreRows";
  ScoringInputs in;
  int threads = 0;
  float* out = nullptr;
  std::shared_ptr<Napi::ObjectReference> outRef;

  KernelStatus run() {
    return alsrec::scoreRows(dataOf(in.X), in.count, in.y(), in.yRows, in.k, dataOf(in.rows), in.count, threads, out);
  }
  Napi::Value result(Napi::Env) const { return outRef->Value(); }
};

/** scoreRows(X, Y, k, rows, threads) -> Promise<Float32Array> (rows.length x Y rows). */
Napi::Value scoreRows(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 5) {
    throw Napi::TypeError::New(env, "Expected 5 arguments for scoreRows but received " + std::to_string(info.Length()));
  }
  ScoreRowsJob job;
  ScoringArgs a = scoringArgs(info);
  job.threads = static_cast<int>(integerArg(info[4], "threads", 1, kMaxThreads));
  const std::int64_t count = a.rows.length;
  if (static_cast<double>(count) * static_cast<double>(a.yRows) > static_cast<double>(1u << 30)) {
    throwRange(env, "rows", "rows.length * Y rows <= 2^30 (score in batches)", std::to_string(count) + " * " + std::to_string(a.yRows));
  }
  job.in = scoringInputs(a, job.threads);
  const auto outLength = static_cast<std::size_t>(count * a.yRows);
  Napi::Float32Array out = Napi::Float32Array::New(env, outLength);
  job.out = outLength > 0 ? out.Data() : nullptr;
  job.outRef = std::make_shared<Napi::ObjectReference>(Napi::Persistent(out.As<Napi::Object>()));
  return queue(env, std::move(job), "rows");
}

/** gram(Y, k) -> Float32Array (k x k, YtY): synchronous, for tests and diagnostics. */
Napi::Value gram(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 2) throw Napi::TypeError::New(env, "Expected 2 arguments for gram but received " + std::to_string(info.Length()));
  ArrayArg<float> Y = arrayArg<float>(info[0], "Y");
  const int k = static_cast<int>(integerArg(info[1], "k", 1, kMaxK));
  if (Y.length % k != 0) throwRange(env, "Y", "a length that is a multiple of k = " + std::to_string(k), "length " + std::to_string(Y.length));
  Napi::Float32Array out = Napi::Float32Array::New(env, static_cast<std::size_t>(k) * k);
  alsrec::gram(Y.data, Y.length / k, k, out.Data());
  return out;
}

struct EaseJob {
  static constexpr const char* kName = "easeWeights";
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  std::int64_t nnz = 0;
  JobArray<std::int32_t> indptr;
  JobArray<std::int32_t> indices;
  JobArray<float> data;
  double lambda = 0;
  int threads = 0;
  float* out = nullptr;
  std::shared_ptr<Napi::ObjectReference> outRef;

  KernelStatus run() {
    const CsrView X{rows, cols, nnz, dataOf(indptr), dataOf(indices), dataOf(data)};
    return alsrec::easeWeights(X, lambda, threads, out);
  }
  Napi::Value result(Napi::Env) const { return outRef->Value(); }
};

/** easeWeights(X, regularization, threads) -> Promise<Float32Array> (cols x cols, W = B^T). */
Napi::Value easeWeights(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 3) {
    throw Napi::TypeError::New(env, "Expected 3 arguments for easeWeights but received " + std::to_string(info.Length()));
  }
  EaseJob job;
  CsrArg X = csrArg(info[0], "X", true);
  job.rows = X.view.rows;
  job.cols = X.view.cols;
  job.nnz = X.view.nnz;
  job.lambda = regularizationArg(info[1], "regularization");
  job.threads = static_cast<int>(integerArg(info[2], "threads", 1, kMaxThreads));
  // The dense matrices are the caller's to bound (TypeScript refuses large catalogs); this only
  // keeps n^2 within what a typed array can hold.
  if (static_cast<double>(job.cols) * static_cast<double>(job.cols) > static_cast<double>(1u << 30)) {
    throwRange(env, "X.cols", "cols^2 <= 2^30", std::to_string(job.cols));
  }
  const auto outLength = static_cast<std::size_t>(job.cols * job.cols);
  Napi::Float32Array out = Napi::Float32Array::New(env, outLength);
  job.out = outLength > 0 ? out.Data() : nullptr;
  job.outRef = std::make_shared<Napi::ObjectReference>(Napi::Persistent(out.As<Napi::Object>()));
  CopyPlan plan;
  job.indptr = ownCopy(X.indptr, plan);
  job.indices = ownCopy(X.indices, plan);
  job.data = ownCopy(X.data, plan);
  plan.run(job.threads);
  return queue(env, std::move(job), "X");
}

/**
 * retainFreedMemory(): asks glibc's malloc to keep freed memory for reuse instead of returning it
 * to the kernel (no mmap for large blocks, no trimming of the heap's top). A batch job's data
 * path allocates and frees hundreds of MB of typed arrays phase after phase; returned pages must
 * be faulted in again on their next use, which costs ~5 ms per MB on a VM whose kernel reports
 * free pages to the host (Firecracker's free page reporting), more than the work on them. After
 * this call the process's resident size stays at its peak. Returns false where the allocator is
 * not glibc (nothing changed). Process-wide: the CLI calls it for batch commands only.
 */
Napi::Value retainFreedMemory(const Napi::CallbackInfo& info) {
#if defined(__GLIBC__)
  const bool applied = mallopt(M_MMAP_MAX, 0) == 1 && mallopt(M_TRIM_THRESHOLD, -1) == 1;
  return Napi::Boolean::New(info.Env(), applied);
#else
  return Napi::Boolean::New(info.Env(), false);
#endif
}

/**
 * Wraps a main-thread entry point: node-addon-api turns a thrown Napi::Error into a JS exception
 * but lets any other C++ exception escape into N-API, which aborts the process; the copies and
 * output arrays made here can throw std::bad_alloc.
 */
template <typename Call>
Napi::Value guarded(const Napi::CallbackInfo& info, const char* name, Call call) {
  try {
    return call(info);
  } catch (const Napi::Error&) {
    throw;
  } catch (const std::bad_alloc&) {
    throw nativeFailure(info.Env(), kOutOfMemory, outOfMemoryMessage(name));
  } catch (const std::exception& e) {
    throw nativeFailure(info.Env(), kFailure, "alsrec native: " + std::string(name) + " failed: " + e.what());
  }
}

/** Exports `call` as `name`, guarded. */
template <typename Call>
void exportGuarded(Napi::Env env, Napi::Object exports, const char* name, Call call) {
  exports.Set(name, Napi::Function::New(env, [name, call](const Napi::CallbackInfo& info) { return guarded(info, name, call); }, name));
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  // First, before any kernel code runs: refuse to load on a CPU without this variant's instruction
  // sets (this file is compiled for baseline x86-64; see cpu_check.hpp). The thrown error makes
  // require() fail, and the TS loader tries the next variant.
  char missing[256];
  if (alsrec::missingCpuFeatures(missing, sizeof missing) > 0) {
    Napi::Error error = Napi::Error::New(env, std::string("alsrec native variant ") + alsrec::kVariant +
                                                  " needs CPU features this machine lacks: " + missing);
    error.Set("code", Napi::String::New(env, "ERR_ALSREC_CPU_UNSUPPORTED"));
    throw error;
  }
  exportGuarded(env, exports, "halfSweepCholesky", [](const Napi::CallbackInfo& info) { return halfSweep(info, true); });
  exportGuarded(env, exports, "halfSweepCG", [](const Napi::CallbackInfo& info) { return halfSweep(info, false); });
  exportGuarded(env, exports, "topN", topN);
  exportGuarded(env, exports, "scoreRows", scoreRows);
  exportGuarded(env, exports, "pinFactors", pinFactors);
  exportGuarded(env, exports, "gram", gram);
  exportGuarded(env, exports, "easeWeights", easeWeights);
  exportGuarded(env, exports, "retainFreedMemory", retainFreedMemory);
  Napi::Object build = Napi::Object::New(env);
  build.Set("napiVersion", Napi::Number::New(env, NAPI_VERSION));
  build.Set("simd", Napi::String::New(env, alsrec::simdInstructionSets()));
  build.Set("variant", Napi::String::New(env, alsrec::kVariant));
  build.Set("targetFeatures", Napi::String::New(env, alsrec::kTargetFeatures + (alsrec::kTargetFeatures[0] == ' ' ? 1 : 0)));
  exports.Set("build", build);
  return exports;
}

}  // namespace

NODE_API_MODULE(alsrec_native, Init)

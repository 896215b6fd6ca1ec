// N-API binding of the ALS kernels: the only file that includes napi.h.
//
// Each call validates what is O(1) (types, lengths, numeric options) and throws TypeError or
// RangeError with "Expected <what> for <name> but received <value>" messages; it then copies the
// arguments into a plain job struct, keeps the typed arrays referenced and runs the kernel in an
// AsyncWorker, returning a Promise. The caller must not mutate or transfer the arrays until the
// promise settles. A failed Cholesky row rejects with an Error carrying `row` and
// code 'ERR_ALSREC_ROW_SOLVE'; malformed CSR contents found by the kernel reject with RangeError.
#include <napi.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <new>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "als_kernels.hpp"

namespace {

using alsrec::CsrView;
using alsrec::KernelStatus;

constexpr double kMaxDimension = std::numeric_limits<std::int32_t>::max();
constexpr double kMaxK = 1 << 16;
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

/** Describes a received value as src/errors.ts does: `-1 of type number`, `a Float64Array`. */
std::string describe(const Napi::Value& v) {
  if (v.IsUndefined()) return "undefined";
  if (v.IsNull()) return "null";
  if (v.IsString()) return "\"" + v.As<Napi::String>().Utf8Value() + "\" of type string";
  if (v.IsNumber()) return v.ToString().Utf8Value() + " of type number";
  if (v.IsBoolean()) return v.ToString().Utf8Value() + " of type boolean";
  if (v.IsTypedArray()) return std::string("a ") + typedArrayName(v.As<Napi::TypedArray>().TypedArrayType());
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

/** Typed arrays a job reads or writes, kept referenced until the worker has finished. */
class KeepAlive {
 public:
  template <typename T>
  void add(const ArrayArg<T>& arg) { refs_.push_back(Napi::Persistent(arg.array.template As<Napi::Object>())); }

 private:
  std::vector<Napi::ObjectReference> refs_;
};

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
  KernelWorker(Napi::Env env, Job job, KeepAlive keep, std::string csrName)
      : Napi::AsyncWorker(env, "alsrec:kernel"),
        deferred_(Napi::Promise::Deferred::New(env)),
        job_(std::move(job)),
        keep_(std::move(keep)),
        csrName_(std::move(csrName)) {}

  Napi::Promise promise() const { return deferred_.Promise(); }

  void Execute() override {
    try {
      status_ = job_.run();
    } catch (const std::bad_alloc&) {
      SetError("alsrec native: out of memory in " + std::string(Job::kName));
    } catch (const std::exception& e) {
      SetError("alsrec native: " + std::string(Job::kName) + " failed: " + e.what());
    } catch (...) {
      SetError("alsrec native: " + std::string(Job::kName) + " failed with an unknown exception");
    }
  }

  void OnOK() override {
    settle([this] {
      if (status_.ok()) {
        deferred_.Resolve(job_.result(Env()));
      } else {
        deferred_.Reject(statusError(Env(), status_, csrName_).Value());
      }
    });
  }

  void OnError(const Napi::Error& e) override {
    settle([this, &e] { deferred_.Reject(e.Value()); });
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

  Napi::Promise::Deferred deferred_;
  Job job_;
  KeepAlive keep_;
  std::string csrName_;
  KernelStatus status_;
};

template <typename Job>
Napi::Value queue(Napi::Env env, Job job, KeepAlive keep, const std::string& csrName) {
  auto* worker = new KernelWorker<Job>(env, std::move(job), std::move(keep), csrName);
  Napi::Promise promise = worker->promise();
  worker->Queue();  // the worker deletes itself after OnOK/OnError
  return promise;
}

struct HalfSweepJob {
  static constexpr const char* kName = "halfSweep";
  bool cholesky = false;
  CsrView Cui;
  float* X = nullptr;
  const float* Y = nullptr;
  int k = 0;
  float lambda = 0;
  int cgSteps = 0;
  int threads = 0;

  KernelStatus run() const {
    return cholesky ? alsrec::halfSweepCholesky(Cui, X, Y, k, lambda, threads)
                    : alsrec::halfSweepCG(Cui, X, Y, k, lambda, cgSteps, threads);
  }
  Napi::Value result(Napi::Env env) const { return env.Undefined(); }
};

/** halfSweepCholesky(C, X, Y, k, regularization, threads) and
 *  halfSweepCG(C, X, Y, k, regularization, cgSteps, threads). */
Napi::Value halfSweep(const Napi::CallbackInfo& info, bool cholesky) {
  Napi::Env env = info.Env();
  const std::size_t expectedArgs = cholesky ? 6 : 7;
  if (info.Length() != expectedArgs) {
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
  job.lambda = regularizationArg(info[4], "regularization");
  job.cgSteps = cholesky ? 0 : static_cast<int>(integerArg(info[5], "cgSteps", 1, kMaxCgSteps));
  job.threads = static_cast<int>(integerArg(info[cholesky ? 5 : 6], "threads", 1, kMaxThreads));
  expectLength(env, "X", X.length, C.view.rows * job.k, "confidence.rows * k");
  expectLength(env, "Y", Y.length, C.view.cols * job.k, "confidence.cols * k");
  expectDisjoint(env, X, Y, "Y");
  expectDisjoint(env, X, C.data, "confidence.data");
  expectDisjoint(env, X, C.indptr, "confidence.indptr");
  expectDisjoint(env, X, C.indices, "confidence.indices");
  job.Cui = C.view;
  job.X = X.data;
  job.Y = Y.data;
  KeepAlive keep;
  keep.add(C.indptr);
  keep.add(C.indices);
  keep.add(C.data);
  keep.add(X);
  keep.add(Y);
  return queue(env, job, std::move(keep), "confidence");
}

/** X, Y, k and rows of the scoring calls (topN, scoreRows), checked: lengths and row ranges. */
struct ScoringArgs {
  ArrayArg<float> X;
  ArrayArg<float> Y;
  ArrayArg<std::int32_t> rows;
  int k = 0;
  std::int64_t xRows = 0;
  std::int64_t yRows = 0;
};

ScoringArgs scoringArgs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ScoringArgs a{arrayArg<float>(info[0], "X"), arrayArg<float>(info[1], "Y"), {}, 0, 0, 0};
  a.k = static_cast<int>(integerArg(info[2], "k", 1, kMaxK));
  a.rows = arrayArg<std::int32_t>(info[3], "rows");
  if (a.X.length % a.k != 0) throwRange(env, "X", "a length that is a multiple of k = " + std::to_string(a.k), "length " + std::to_string(a.X.length));
  if (a.Y.length % a.k != 0) throwRange(env, "Y", "a length that is a multiple of k = " + std::to_string(a.k), "length " + std::to_string(a.Y.length));
  a.xRows = a.X.length / a.k;
  a.yRows = a.Y.length / a.k;
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

struct TopNJob {
  static constexpr const char* kName = "topN";
  const float* X = nullptr;
  std::int64_t xRows = 0;
  const float* Y = nullptr;
  std::int64_t yRows = 0;
  int k = 0;
  const std::int32_t* rows = nullptr;
  std::int64_t count = 0;
  int n = 0;
  bool hasExclude = false;
  CsrView exclude;
  int threads = 0;
  std::int32_t* items = nullptr;
  float* scores = nullptr;
  // Handles to the output arrays, created on the main thread and read back in OnOK.
  std::shared_ptr<Napi::ObjectReference> itemsRef;
  std::shared_ptr<Napi::ObjectReference> scoresRef;

  KernelStatus run() const {
    return alsrec::topN(X, xRows, Y, yRows, k, rows, count, n, hasExclude ? &exclude : nullptr, threads, items, scores);
  }
  Napi::Value result(Napi::Env env) const {
    Napi::Object out = Napi::Object::New(env);
    out.Set("items", itemsRef->Value());
    out.Set("scores", scoresRef->Value());
    return out;
  }
};

/** topN(X, Y, k, rows, n, exclude | null, threads) -> Promise<{ items, scores }>. */
Napi::Value topN(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 7) {
    throw Napi::TypeError::New(env, "Expected 7 arguments for topN but received " + std::to_string(info.Length()));
  }
  TopNJob job;
  ScoringArgs a = scoringArgs(info);
  job.k = a.k;
  job.xRows = a.xRows;
  job.yRows = a.yRows;
  job.n = static_cast<int>(integerArg(info[4], "n", 1, kMaxN));
  job.threads = static_cast<int>(integerArg(info[6], "threads", 1, kMaxThreads));
  const ArrayArg<float>& X = a.X;
  const ArrayArg<float>& Y = a.Y;
  const ArrayArg<std::int32_t>& rows = a.rows;
  job.count = rows.length;
  if (static_cast<double>(job.count) * job.n > static_cast<double>(1u << 30)) {
    throwRange(env, "n", "rows.length * n <= 2^30", std::to_string(job.count) + " * " + std::to_string(job.n));
  }
  KeepAlive keep;
  CsrArg exclude;
  if (!info[5].IsNull() && !info[5].IsUndefined()) {
    exclude = csrArg(info[5], "exclude", false);
    if (exclude.view.rows != job.xRows) {
      throwRange(env, "exclude.rows", "the number of rows of X (" + std::to_string(job.xRows) + ")", std::to_string(exclude.view.rows));
    }
    if (exclude.view.cols != job.yRows) {
      throwRange(env, "exclude.cols", "the number of rows of Y (" + std::to_string(job.yRows) + ")", std::to_string(exclude.view.cols));
    }
    job.hasExclude = true;
    job.exclude = exclude.view;
    keep.add(exclude.indptr);
    keep.add(exclude.indices);
  }
  const auto outLength = static_cast<std::size_t>(job.count * job.n);
  Napi::Int32Array items = Napi::Int32Array::New(env, outLength);
  Napi::Float32Array scores = Napi::Float32Array::New(env, outLength);
  job.X = X.data;
  job.Y = Y.data;
  job.rows = rows.data;
  job.items = outLength > 0 ? items.Data() : nullptr;
  job.scores = outLength > 0 ? scores.Data() : nullptr;
  job.itemsRef = std::make_shared<Napi::ObjectReference>(Napi::Persistent(items.As<Napi::Object>()));
  job.scoresRef = std::make_shared<Napi::ObjectReference>(Napi::Persistent(scores.As<Napi::Object>()));
  keep.add(X);
  keep.add(Y);
  keep.add(rows);
  return queue(env, std::move(job), std::move(keep), "exclude");
}

struct ScoreRowsJob {
  static constexpr const char* kName = "scoreRows";
  const float* X = nullptr;
  std::int64_t xRows = 0;
  const float* Y = nullptr;
  std::int64_t yRows = 0;
  int k = 0;
  const std::int32_t* rows = nullptr;
  std::int64_t count = 0;
  int threads = 0;
  float* out = nullptr;
  std::shared_ptr<Napi::ObjectReference> outRef;

  KernelStatus run() const { return alsrec::scoreRows(X, xRows, Y, yRows, k, rows, count, threads, out); }
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
  job.k = a.k;
  job.xRows = a.xRows;
  job.yRows = a.yRows;
  job.threads = static_cast<int>(integerArg(info[4], "threads", 1, kMaxThreads));
  const ArrayArg<float>& X = a.X;
  const ArrayArg<float>& Y = a.Y;
  const ArrayArg<std::int32_t>& rows = a.rows;
  job.count = rows.length;
  if (static_cast<double>(job.count) * static_cast<double>(job.yRows) > static_cast<double>(1u << 30)) {
    throwRange(env, "rows", "rows.length * Y rows <= 2^30 (score in batches)", std::to_string(job.count) + " * " + std::to_string(job.yRows));
  }
  const auto outLength = static_cast<std::size_t>(job.count * job.yRows);
  Napi::Float32Array out = Napi::Float32Array::New(env, outLength);
  job.X = X.data;
  job.Y = Y.data;
  job.rows = rows.data;
  job.out = outLength > 0 ? out.Data() : nullptr;
  job.outRef = std::make_shared<Napi::ObjectReference>(Napi::Persistent(out.As<Napi::Object>()));
  KeepAlive keep;
  keep.add(X);
  keep.add(Y);
  keep.add(rows);
  return queue(env, std::move(job), std::move(keep), "rows");
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
  CsrView X;
  double lambda = 0;
  int threads = 0;
  float* out = nullptr;
  std::shared_ptr<Napi::ObjectReference> outRef;

  KernelStatus run() const { return alsrec::easeWeights(X, lambda, threads, out); }
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
  job.X = X.view;
  job.lambda = regularizationArg(info[1], "regularization");
  job.threads = static_cast<int>(integerArg(info[2], "threads", 1, kMaxThreads));
  // The dense matrices are the caller's to bound (TypeScript refuses large catalogs); this only
  // keeps n^2 within what a typed array can hold.
  if (static_cast<double>(job.X.cols) * static_cast<double>(job.X.cols) > static_cast<double>(1u << 30)) {
    throwRange(env, "X.cols", "cols^2 <= 2^30", std::to_string(job.X.cols));
  }
  const auto outLength = static_cast<std::size_t>(job.X.cols * job.X.cols);
  Napi::Float32Array out = Napi::Float32Array::New(env, outLength);
  job.out = outLength > 0 ? out.Data() : nullptr;
  job.outRef = std::make_shared<Napi::ObjectReference>(Napi::Persistent(out.As<Napi::Object>()));
  KeepAlive keep;
  keep.add(X.indptr);
  keep.add(X.indices);
  keep.add(X.data);
  return queue(env, std::move(job), std::move(keep), "X");
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("halfSweepCholesky", Napi::Function::New(env, [](const Napi::CallbackInfo& info) { return halfSweep(info, true); }, "halfSweepCholesky"));
  exports.Set("halfSweepCG", Napi::Function::New(env, [](const Napi::CallbackInfo& info) { return halfSweep(info, false); }, "halfSweepCG"));
  exports.Set("topN", Napi::Function::New(env, topN, "topN"));
  exports.Set("scoreRows", Napi::Function::New(env, scoreRows, "scoreRows"));
  exports.Set("gram", Napi::Function::New(env, gram, "gram"));
  exports.Set("easeWeights", Napi::Function::New(env, easeWeights, "easeWeights"));
  Napi::Object build = Napi::Object::New(env);
  build.Set("napiVersion", Napi::Number::New(env, NAPI_VERSION));
  build.Set("simd", Napi::String::New(env, alsrec::simdInstructionSets()));
  exports.Set("build", build);
  return exports;
}

}  // namespace

NODE_API_MODULE(alsrec_native, Init)

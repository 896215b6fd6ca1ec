// The process-wide worker pool (see worker_pool.hpp).
//
// A job is announced by one 64-bit word, state_ = [generation : 32 | closed : 1 | active : 31].
// The caller publishes the task, then stores a new generation (open, no one active) and wakes the
// pool. A pool thread joins by incrementing `active` with a compare-and-swap that also checks the
// generation and the closed bit, so it can never join a job that has ended or been replaced.
// When the caller's own share is done it sets `closed` and waits until `active` is zero; then the
// task (which lives on the caller's stack) is no longer referenced by anyone.
#include "worker_pool.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <system_error>
#include <thread>

namespace alsrec::detail {
namespace {

constexpr int kGenerationShift = 32;
constexpr std::uint64_t kClosed = std::uint64_t{1} << 31;
constexpr std::uint64_t kActiveMask = kClosed - 1;
/** How long an idle pool thread polls for the next job before it blocks. Consecutive half-sweeps
 *  of a fit are microseconds apart; a fit's last sweep leaves the threads spinning this long. */
constexpr auto kSpinTime = std::chrono::microseconds(2000);

std::uint64_t generationOf(std::uint64_t state) { return state >> kGenerationShift; }

void cpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#else
  std::this_thread::yield();
#endif
}

class WorkerPool {
 public:
  void run(int workers, const std::function<void(int)>& task) {
    std::lock_guard<std::mutex> oneJobAtATime(submit_);
    runHoldingSubmit(workers, task);
  }

  bool tryRun(int workers, const std::function<void(int)>& task) {
    std::unique_lock<std::mutex> oneJobAtATime(submit_, std::try_to_lock);
    if (!oneJobAtATime.owns_lock()) return false;
    runHoldingSubmit(workers, task);
    return true;
  }

 private:
  void runHoldingSubmit(int workers, const std::function<void(int)>& task) {
    const int available = grow(workers - 1);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      task_ = &task;
      wanted_ = std::min(workers, available + 1);
      const std::uint64_t next = generationOf(state_.load(std::memory_order_relaxed)) + 1;
      state_.store(next << kGenerationShift, std::memory_order_release);
    }
    wake_.notify_all();
    task(0);
    std::unique_lock<std::mutex> lock(mutex_);
    state_.fetch_or(kClosed, std::memory_order_acq_rel);
    done_.wait(lock, [&] { return (state_.load(std::memory_order_acquire) & kActiveMask) == 0; });
  }

  /** Starts threads until `count` exist; returns how many exist (fewer if creation fails). */
  int grow(int count) {
    while (static_cast<int>(started_) < count) {
      try {
        std::thread(&WorkerPool::loop, this, static_cast<int>(started_) + 1).detach();
      } catch (const std::system_error&) {
        break;
      }
      ++started_;
    }
    return static_cast<int>(started_);
  }

  void loop(int index) {
    std::uint64_t seen = 0;
    for (;;) {
      const std::uint64_t generation = waitForNewGeneration(seen);
      seen = generation;
      if (!tryJoin(generation)) continue;
      if (index < wanted_) (*task_)(index);
      leave();
    }
  }

  std::uint64_t waitForNewGeneration(std::uint64_t seen) {
    const auto deadline = std::chrono::steady_clock::now() + kSpinTime;
    for (std::uint32_t polls = 1;; ++polls) {
      const std::uint64_t generation = generationOf(state_.load(std::memory_order_acquire));
      if (generation != seen) return generation;
      if (polls % 256 == 0 && std::chrono::steady_clock::now() > deadline) break;
      cpuRelax();
    }
    std::unique_lock<std::mutex> lock(mutex_);
    wake_.wait(lock, [&] { return generationOf(state_.load(std::memory_order_acquire)) != seen; });
    return generationOf(state_.load(std::memory_order_acquire));
  }

  bool tryJoin(std::uint64_t generation) {
    std::uint64_t s = state_.load(std::memory_order_acquire);
    while (generationOf(s) == generation && (s & kClosed) == 0) {
      if (state_.compare_exchange_weak(s, s + 1, std::memory_order_acq_rel, std::memory_order_acquire)) return true;
    }
    return false;
  }

  void leave() {
    const std::uint64_t before = state_.fetch_sub(1, std::memory_order_acq_rel);
    if ((before & kClosed) != 0 && (before & kActiveMask) == 1) {
      std::lock_guard<std::mutex> lock(mutex_);  // the caller is waiting or about to check
      done_.notify_all();
    }
  }

  std::mutex submit_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  std::atomic<std::uint64_t> state_{0};
  const std::function<void(int)>* task_ = nullptr;  // valid while a thread is joined
  int wanted_ = 0;
  unsigned started_ = 0;  // guarded by submit_
};

}  // namespace

static WorkerPool& pool() {
  // Never destroyed: at process exit a pool thread may still be in a job of a call that the exit
  // interrupted, and joining it from a static destructor could hang.
  static WorkerPool* const instance = new WorkerPool();
  return *instance;
}

void runOnWorkers(int workers, const std::function<void(int)>& task) {
  if (workers <= 1) {
    task(0);
    return;
  }
  pool().run(workers, task);
}

bool tryRunOnWorkers(int workers, const std::function<void(int)>& task) {
  if (workers <= 1) {
    task(0);
    return true;
  }
  return pool().tryRun(workers, task);
}

}  // namespace alsrec::detail

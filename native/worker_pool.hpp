// The kernels' worker threads: one process-wide pool, reused by every call. No Node headers.
//
// Why a pool: starting a std::thread per half-sweep cost 0.03-3 ms before the thread ran on this
// project's 2-vCPU VM (the idle vCPU has to be woken by the host), as long as a whole ML-100K
// half-sweep (~2 ms), so the second core often did nothing. Pool threads stay awake (spinning)
// for a short while after each job, so the next half-sweep, which follows within microseconds,
// finds them running.
#pragma once

#include <functional>

namespace alsrec::detail {

/**
 * Runs task(w) on the calling thread (w = 0) and on pool threads w = 1 .. workers - 1, and
 * returns when every thread that started the task has returned from it. A pool thread that wakes
 * after the caller has returned from task(0) skips the job, so a slow-waking thread never delays
 * a call: `task` must hand out its work dynamically (parallelFor does). One job runs at a time;
 * concurrent callers (several AsyncWorkers, worker_threads) take turns. `task` must not throw
 * and must not call runOnWorkers itself.
 * If threads cannot be created, the job runs on those that exist (at least the caller).
 */
void runOnWorkers(int workers, const std::function<void(int)>& task);

/**
 * runOnWorkers, unless another job holds the pool: then it returns false at once and runs
 * nothing. For the JS main thread, which must not wait behind a running kernel (that would block
 * the event loop for the kernel's whole duration).
 */
bool tryRunOnWorkers(int workers, const std::function<void(int)>& task);

}  // namespace alsrec::detail

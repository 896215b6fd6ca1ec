/**
 * A worker thread's share of a parallel parse: the ranges it claims, read with its own file handle,
 * each parsed into a free slot of its shared memory and posted to the main thread, which copies it
 * into place and frees the slot (a range whose rows outgrow its slot is posted in its own columns,
 * transferred, not copied). The parsing itself is parseRangesInOrder's, as on the main thread.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { SLOT_FREE, SLOT_TAKEN, type ChunkJob, type ChunkResult, type RangeResult, type WorkerMessage } from './chunkMessages.js';
import { parseRangesInOrder, type RangeColumns } from './parseChunk.js';
import { rangesLeft } from './rangeQueue.js';

/** How long one wait for a free slot lasts before the queue is looked at again. */
const SLOT_POLL_MS = 1000;

/**
 * A free slot, taken; null when no range is left to claim (the queue ran out or was drained)
 * while waiting. The main thread frees slots as it copies them out; it never needs a range this
 * worker has not parsed yet to do so, since a slot is taken before its range is claimed.
 */
function takeSlot(job: ChunkJob, states: Int32Array): number | null {
  const frees = states.length - 1;
  for (;;) {
    const seen = Atomics.load(states, frees);
    for (let slot = 0; slot < frees; slot++) {
      if (Atomics.compareExchange(states, slot, SLOT_FREE, SLOT_TAKEN) === SLOT_FREE) return slot;
    }
    if (!rangesLeft(job.queue)) return null;
    Atomics.wait(states, frees, seen, SLOT_POLL_MS);
  }
}

async function parseShare(job: ChunkJob): Promise<ChunkResult> {
  const states = new Int32Array(job.slotStates);
  const slotColumns = job.slots.map((region) => {
    const n = region.rowCapacity;
    return {
      users: new Int32Array(region.users, 0, n),
      items: new Int32Array(region.items, 0, n),
      weights: new Float32Array(region.weights, 0, n),
      times: region.times === null ? null : new Float64Array(region.times, 0, n),
    };
  });
  const take = (): RangeColumns<number> | null => {
    const slot = takeSlot(job, states);
    return slot === null ? null : { columns: slotColumns[slot]!, token: slot };
  };
  const fd = openSync(job.path, 'r');
  try {
    return await parseRangesInOrder(job, job.queue, take, post, (buffer, offset, length, position) => readSync(fd, buffer, offset, length, position), job.source);
  } finally {
    closeSync(fd);
  }
}

function post(result: RangeResult, slot: number): void {
  const message: WorkerMessage = { kind: 'range', slot: result.inRegion ? slot : -1, result };
  const transfer = new Set<ArrayBuffer>();
  if (!result.inRegion) {
    // Grown past the slot: the columns are this worker's own memory, handed over whole.
    const { events } = result.parsed;
    for (const column of [events.users, events.items]) transfer.add((column.kind === 'int' ? column.values : column.codes).buffer as ArrayBuffer);
    transfer.add(events.weights.buffer as ArrayBuffer);
    if (events.times !== null) transfer.add(events.times.buffer as ArrayBuffer);
    // The slot was not used: free again.
    Atomics.store(new Int32Array((workerData as ChunkJob).slotStates), slot, SLOT_FREE);
  }
  parentPort!.postMessage(message, [...transfer].filter((buffer) => !(buffer instanceof SharedArrayBuffer)));
}

const ended: WorkerMessage = { kind: 'end', result: await parseShare(workerData as ChunkJob) };
parentPort!.postMessage(ended);

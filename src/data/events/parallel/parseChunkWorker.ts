/**
 * A worker thread's share of a parallel parse: the ranges it claims from the back of the queue,
 * read with its own file handle into its region of the shared columns (a range whose rows outgrow
 * the region is returned in its own columns, transferred, not copied, to the main thread). The
 * parsing itself is parseClaimedRanges', as on the main thread.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { ChunkJob, ChunkResult } from './chunkMessages.js';
import { parseClaimedRanges } from './parseChunk.js';

async function parseRegion(job: ChunkJob): Promise<ChunkResult> {
  const { region } = job;
  const n = region.rowCapacity;
  const columns = {
    users: new Int32Array(region.users, 0, n),
    items: new Int32Array(region.items, 0, n),
    weights: new Float32Array(region.weights, 0, n),
    times: region.times === null ? null : new Float64Array(region.times, 0, n),
  };
  const fd = openSync(job.path, 'r');
  try {
    return await parseClaimedRanges(job, job.queue, true, columns, (buffer, offset, length, position) => readSync(fd, buffer, offset, length, position));
  } finally {
    closeSync(fd);
  }
}

const result = await parseRegion(workerData as ChunkJob);
const transfer = new Set<ArrayBuffer>();
if (result.kind === 'done') {
  for (const range of result.ranges) {
    if (range.inRegion) continue;
    const { events } = range.parsed;
    for (const column of [events.users, events.items]) transfer.add((column.kind === 'int' ? column.values : column.codes).buffer as ArrayBuffer);
    transfer.add(events.weights.buffer as ArrayBuffer);
    if (events.times !== null) transfer.add(events.times.buffer as ArrayBuffer);
  }
}
parentPort!.postMessage(result, [...transfer].filter((buffer) => !(buffer instanceof SharedArrayBuffer)));

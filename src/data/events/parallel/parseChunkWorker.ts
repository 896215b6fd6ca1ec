/**
 * A worker thread's share of a parallel parse: the records of one byte range of a delimited file,
 * read with its own file handle into its region of the shared columns (or, if its rows outgrow
 * the region, into its own columns, which are then transferred, not copied, back to the main
 * thread). The parsing itself is parseChunk's, as on the main thread.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { ChunkJob, ChunkResult } from './chunkMessages.js';
import { parseChunk } from './parseChunk.js';

async function parseRegion(job: ChunkJob): Promise<ChunkResult> {
  const { region } = job;
  const at = region.rowStart;
  const n = region.rowCapacity;
  const columns = {
    users: new Int32Array(region.users, at * 4, n),
    items: new Int32Array(region.items, at * 4, n),
    weights: new Float32Array(region.weights, at * 4, n),
    times: region.times === null ? null : new Float64Array(region.times, at * 8, n),
  };
  const fd = openSync(job.path, 'r');
  try {
    return await parseChunk(job, columns, (buffer, offset, length, position) => readSync(fd, buffer, offset, length, position));
  } finally {
    closeSync(fd);
  }
}

const result = await parseRegion(workerData as ChunkJob);
const transfer: ArrayBuffer[] = [];
if (result.kind === 'done' && !result.inRegion) {
  const { events } = result.parsed;
  for (const column of [events.users, events.items]) transfer.push((column.kind === 'int' ? column.values : column.codes).buffer as ArrayBuffer);
  transfer.push(events.weights.buffer as ArrayBuffer);
  if (events.times !== null) transfer.push(events.times.buffer as ArrayBuffer);
}
parentPort!.postMessage(result, [...new Set(transfer)].filter((buffer) => !(buffer instanceof SharedArrayBuffer)));

/**
 * A worker thread's share of a parallel parse: the records of one byte range of a delimited file,
 * read with its own file handle and parsed into its own typed columns, which are transferred
 * (not copied) back to the main thread.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { CsvSyntaxError } from '../csvRecordScanner.js';
import { createEventScan } from '../readDelimitedEvents.js';
import { BadRowError, EventColumnsBuilder } from '../eventColumnsBuilder.js';
import type { ChunkJob, ChunkResult } from './chunkMessages.js';
import { CarryOver } from '../carryOver.js';

const CHUNK_BYTES = 8 << 20;
const LF = 0x0a;

function parseChunk(job: ChunkJob): ChunkResult {
  const fd = openSync(job.path, 'r');
  try {
    const start = job.first ? job.nominalStart : recordStartAtOrAfter(fd, job.nominalStart, job.fileSize);
    const stop = job.last ? job.fileSize : recordStartAtOrAfter(fd, job.nominalEnd, job.fileSize);
    const builder = new EventColumnsBuilder(job.plan, Math.ceil(((stop - start) / job.meanRecordBytes) * 1.02) + 64);
    const scan = createEventScan(job.plan, job.delimiter, builder);
    let position = start;
    const carry = new CarryOver();
    let line = 1;
    const buffer = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, Math.max(1, stop - start)));
    while (position < stop) {
      const n = readSync(fd, buffer, 0, Math.min(buffer.length, stop - position), position);
      if (n === 0) break;
      position += n;
      const data = carry.join(buffer.subarray(0, n));
      const final = job.last && position >= stop;
      let result;
      try {
        result = scan(data, 0, final, line);
      } catch (error) {
        if (error instanceof BadRowError) return { kind: 'error', problem: error.problem, line: error.line, text: error.text };
        if (error instanceof CsvSyntaxError) return { kind: 'error', problem: error.problem, line: error.line, text: data.toString('utf8', error.recordStart, Math.min(error.recordEnd, error.recordStart + 200)) };
        throw error;
      }
      line = result.line;
      carry.keep(data, result.consumed);
      if (carry.pending.length > job.maxRecordBytes) return { kind: 'misaligned' };
    }
    // A record left over at the stop means a quoted field crossed the boundary: the split guessed wrong.
    if (carry.pending.length > 0) return { kind: 'misaligned' };
    const parsed = builder.finish();
    return { kind: 'done', start, stop, lines: line - 1, parsed };
  } finally {
    closeSync(fd);
  }
}

/** The offset just past the first LF at or after `offset - 1` (the start of the next line). */
function recordStartAtOrAfter(fd: number, offset: number, fileSize: number): number {
  const probe = Buffer.allocUnsafe(64 * 1024);
  let position = offset - 1;
  while (position < fileSize) {
    const n = readSync(fd, probe, 0, probe.length, position);
    if (n === 0) break;
    const lf = probe.indexOf(LF);
    if (lf !== -1 && lf < n) return position + lf + 1;
    position += n;
  }
  return fileSize;
}

const job = workerData as ChunkJob;
const result = parseChunk(job);
const transfer: ArrayBuffer[] = [];
if (result.kind === 'done') {
  const { events } = result.parsed;
  for (const column of [events.users, events.items]) transfer.push((column.kind === 'int' ? column.values : column.codes).buffer as ArrayBuffer);
  transfer.push(events.weights.buffer as ArrayBuffer);
  if (events.times !== null) transfer.push(events.times.buffer as ArrayBuffer);
}
parentPort!.postMessage(result, transfer);

/**
 * A worker thread's share of a parallel parse: the records of one byte range of a delimited file,
 * read with its own file handle and scanned by the same fast loop as a serial parse, into its
 * region of the shared columns (or, if its rows outgrow the region, into its own columns, which
 * are then transferred, not copied, back to the main thread).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { DataFormatError } from '../../../errors.js';
import { ratingsFastPlan, ratingsLineReader } from '../../readRatingsFile.js';
import { CsvSyntaxError } from '../csvRecordScanner.js';
import { BadRowError, EventColumnsBuilder } from '../eventColumnsBuilder.js';
import { scanRecordsFast } from '../fastRecordScanner.js';
import { createEventScan, type EventChunkScan } from '../readDelimitedEvents.js';
import type { ChunkJob, ChunkResult } from './chunkMessages.js';

const CHUNK_BYTES = 8 << 20;
const LF = 0x0a;

function parseChunk(job: ChunkJob): ChunkResult {
  const fd = openSync(job.path, 'r');
  try {
    const start = job.first ? job.nominalStart : recordStartAtOrAfter(fd, job.nominalStart, job.fileSize);
    const stop = job.last ? job.fileSize : recordStartAtOrAfter(fd, job.nominalEnd, job.fileSize);
    const { region } = job;
    const at = region.rowStart;
    const n = region.rowCapacity;
    const columns = {
      users: new Int32Array(region.users, at * 4, n),
      items: new Int32Array(region.items, at * 4, n),
      weights: new Float32Array(region.weights, at * 4, n),
      times: region.times === null ? null : new Float64Array(region.times, at * 8, n),
    };
    const builder = new EventColumnsBuilder(job.plan, n, 'utf8', columns);
    let scan: EventChunkScan;
    if (job.preset.kind === 'events') {
      scan = createEventScan(job.plan, job.preset.delimiter, builder);
    } else {
      const plan = ratingsFastPlan(job.preset.layout);
      const slow = ratingsLineReader(job.path, job.preset.layout, builder);
      scan = (data, from, final, line) => scanRecordsFast(data, from, data.length, final, line, plan, builder, slow);
    }
    // One buffer: the unfinished record at its end is moved to its front and the next read
    // appended (joining it to a fresh chunk would copy every chunk once more).
    let buffer = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, Math.max(1, stop - start)) + 64 * 1024);
    let kept = 0;
    let position = start;
    let line = 1;
    while (position < stop) {
      if (kept === buffer.length) {
        if (kept > job.maxRecordBytes) return { kind: 'misaligned' };
        const grown = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(grown, 0, 0, kept);
        buffer = grown;
      }
      const got = readSync(fd, buffer, kept, Math.min(buffer.length - kept, stop - position), position);
      if (got === 0) break;
      position += got;
      const data = buffer.subarray(0, kept + got);
      const final = job.last && position >= stop;
      let result;
      try {
        result = scan(data, 0, final, line);
      } catch (error) {
        // The main thread parses again serially, so that the error names the exact line.
        if (error instanceof BadRowError) return { kind: 'error', problem: error.problem, line: error.line, text: error.text };
        if (error instanceof CsvSyntaxError) return { kind: 'error', problem: error.problem, line: error.line, text: data.toString('utf8', error.recordStart, Math.min(error.recordEnd, error.recordStart + 200)) };
        if (error instanceof DataFormatError) return { kind: 'error', problem: error.message, line: error.line ?? 0, text: '' };
        throw error;
      }
      line = result.line;
      kept = data.length - result.consumed;
      if (kept > job.maxRecordBytes) return { kind: 'misaligned' };
      if (kept > 0 && result.consumed > 0) buffer.copyWithin(0, result.consumed, data.length);
    }
    // A record left over at the stop means a quoted field crossed the boundary: the split guessed wrong.
    if (kept > 0) return { kind: 'misaligned' };
    const inRegion = builder.weights.buffer === columns.weights.buffer;
    const parsed = builder.finish(true);
    return { kind: 'done', start, stop, lines: line - 1, parsed, inRegion };
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
if (result.kind === 'done' && !result.inRegion) {
  const { events } = result.parsed;
  for (const column of [events.users, events.items]) transfer.push((column.kind === 'int' ? column.values : column.codes).buffer as ArrayBuffer);
  transfer.push(events.weights.buffer as ArrayBuffer);
  if (events.times !== null) transfer.push(events.times.buffer as ArrayBuffer);
}
parentPort!.postMessage(result, [...new Set(transfer)].filter((buffer) => !(buffer instanceof SharedArrayBuffer)));

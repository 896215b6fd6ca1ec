/**
 * Byte ranges of a delimited file parsed into given columns: a thread's share of a parallel
 * parse, run by a worker thread (into its slots of shared memory) or by the main thread (into
 * columns of its own). The reads are the caller's: synchronous in a worker, asynchronous on the
 * main thread, so its event loop keeps running between chunks.
 */
import { DataFormatError } from '../../../errors.js';
import { ratingsFastPlan, ratingsLineReader } from '../../readRatingsFile.js';
import { CsvSyntaxError } from '../csvRecordScanner.js';
import { ByteInterner } from '../byteInterner.js';
import { BadRowError, EventColumnsBuilder, type PreallocatedColumns, type SharedInterners } from '../eventColumnsBuilder.js';
import { scanRecordsFast } from '../fastRecordScanner.js';
import { createEventScan, type EventChunkScan } from '../readDelimitedEvents.js';
import type { ChunkResult, ParseSpec, RangeFailure, RangeResult } from './chunkMessages.js';
import { claimRange, drainRanges, type RangeQueue } from './rangeQueue.js';

/**
 * Bytes per read within a range: small enough that a chunk is still in the core's L2 cache when
 * it is scanned and that the read buffers cost little fresh memory. Against whole 8 MiB reads,
 * synth-10m's load (readMlCsv, fresh processes alternating) took 159 against 194 ms of system
 * CPU and 340 against 388 ms wall (medians of 8).
 */
const CHUNK_BYTES = 512 << 10;
const LF = 0x0a;

/** Reads up to `length` bytes at file `position` into `buffer[offset...]`; resolves to the bytes read. */
export type ChunkRead = (buffer: Buffer, offset: number, length: number, position: number) => number | Promise<number>;

/** Columns for a thread's next range (written from row 0), and what to hand back with its result. */
export interface RangeColumns<T> {
  readonly columns: PreallocatedColumns;
  readonly token: T;
}

/**
 * The ranges this thread claims from `queue`, in file order, each parsed into columns from `take`
 * (asked before the claim, so a claimed range always has somewhere to go; null: stop) and handed
 * to `deliver` with the columns' token. On a malformed record or a misaligned range the queue is
 * drained (the other threads stop too) and the reason returned.
 * @example
 * ```ts
 * const ended = await parseRangesInOrder(spec, queue, () => ({ columns, token: 0 }), (result) => place(result), read);
 * ```
 */
export async function parseRangesInOrder<T>(
  spec: ParseSpec,
  queue: RangeQueue,
  take: () => RangeColumns<T> | null | Promise<RangeColumns<T> | null>,
  deliver: (result: RangeResult, token: T) => void,
  read: ChunkRead,
  source: number,
): Promise<ChunkResult> {
  // Two read buffers in turn, kept from range to range (fresh memory is not free); see parseRange.
  const buffers: [Buffer, Buffer] = [Buffer.allocUnsafe(spec.maxRecordBytes + CHUNK_BYTES), Buffer.allocUnsafe(spec.maxRecordBytes + CHUNK_BYTES)];
  // String ids are interned once per thread, not once per range (the main thread maps each
  // thread's codes to the result's as it puts the ranges in place).
  const interners: SharedInterners = { users: new ByteInterner(), items: new ByteInterner() };
  for (;;) {
    const taken = await take();
    if (taken === null) return { kind: 'done' };
    const range = claimRange(queue);
    if (range < 0) return { kind: 'done' };
    const outcome = await parseRange(spec, queue, range, taken.columns, read, buffers, interners, source);
    if (outcome.kind !== 'done') {
      drainRanges(queue);
      return outcome;
    }
    deliver(outcome, taken.token);
  }
}

/**
 * Parses range `range` of `queue` (its records, shifted to line starts) into `columns`, read by
 * `read` into `buffers` (each `maxRecordBytes` + CHUNK_BYTES long). `columns` are written from
 * row 0 and replaced only if the rows outgrow them (then the result's `inRegion` is false).
 */
async function parseRange(
  spec: ParseSpec,
  queue: RangeQueue,
  range: number,
  columns: PreallocatedColumns,
  read: ChunkRead,
  buffers: [Buffer, Buffer],
  interners: SharedInterners,
  source: number,
): Promise<RangeResult | RangeFailure> {
  const last = range === queue.bounds.length - 2;
  const start = range === 0 ? queue.bounds[0]! : await recordStartAtOrAfter(read, queue.bounds[range]!, spec.fileSize);
  const stop = last ? spec.fileSize : await recordStartAtOrAfter(read, queue.bounds[range + 1]!, spec.fileSize);
  const builder = new EventColumnsBuilder(spec.plan, columns.users.length, 'utf8', columns, interners);
  let scan: EventChunkScan;
  if (spec.preset.kind === 'events') {
    scan = createEventScan(spec.plan, spec.preset.delimiter, builder);
  } else {
    const plan = ratingsFastPlan(spec.preset.layout);
    const slow = ratingsLineReader(spec.path, spec.preset.layout, builder);
    scan = (data, from, final, line) => scanRecordsFast(data, from, data.length, final, line, plan, builder, slow);
  }
  // Two buffers in turn: while one is scanned, the next bytes are read into the other (on the
  // main thread the read runs on libuv's pool, overlapping the scan). Each buffer keeps room
  // for a record's worth of bytes before its data: the unfinished record at the end of one is
  // copied there, in front of the next read.
  const reserve = spec.maxRecordBytes;
  const chunkBytes = Math.min(CHUNK_BYTES, Math.max(1, stop - start));
  let [current, next] = buffers;
  let position = start;
  let got = position < stop ? await read(current, reserve, Math.min(chunkBytes, stop - position), position) : 0;
  position += got;
  let from = reserve;
  let kept = 0;
  let line = 1;
  while (got > 0) {
    const end = reserve + got;
    const want = Math.min(chunkBytes, stop - position);
    const pending = want > 0 ? read(next, reserve, want, position) : 0;
    const data = current.subarray(0, end);
    const final = last && want === 0;
    let result;
    try {
      result = scan(data, from, final, line);
    } catch (error) {
      // Settle the read in flight first: its buffer and file handle must outlive it, and a
      // failure of it must not go unobserved.
      await Promise.resolve(pending).catch(() => 0);
      // The main thread parses again serially, so that the error names the exact line.
      if (error instanceof BadRowError) return { kind: 'error', problem: error.problem, line: error.line, text: error.text };
      if (error instanceof CsvSyntaxError) return { kind: 'error', problem: error.problem, line: error.line, text: data.toString('utf8', error.recordStart, Math.min(error.recordEnd, error.recordStart + 200)) };
      if (error instanceof DataFormatError) return { kind: 'error', problem: error.message, line: error.line ?? 0, text: '' };
      throw error;
    }
    line = result.line;
    kept = end - result.consumed;
    got = await pending;
    position += got;
    if (kept > reserve) return { kind: 'misaligned' };
    if (got === 0) break;
    current.copy(next, reserve - kept, result.consumed, end);
    from = reserve - kept;
    [current, next] = [next, current];
  }
  // A record left over at the stop means a quoted field crossed the boundary: the split guessed wrong.
  if (kept > 0) return { kind: 'misaligned' };
  const inRegion = builder.weights.buffer === columns.weights.buffer;
  const tableFrom = { users: builder.users.tableFrom, items: builder.items.tableFrom };
  const parsed = builder.finish(true);
  return { kind: 'done', range, source, tableFrom, start, stop, lines: line - 1, parsed, inRegion };
}

/** The offset just past the first LF at or after `offset - 1` (the start of the next line). */
async function recordStartAtOrAfter(read: ChunkRead, offset: number, fileSize: number): Promise<number> {
  const probe = Buffer.allocUnsafe(64 * 1024);
  let position = offset - 1;
  while (position < fileSize) {
    const n = await read(probe, 0, probe.length, position);
    if (n === 0) break;
    const lf = probe.indexOf(LF);
    if (lf !== -1 && lf < n) return position + lf + 1;
    position += n;
  }
  return fileSize;
}

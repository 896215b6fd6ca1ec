/**
 * A large uncompressed delimited file parsed by this thread and worker threads, in byte ranges
 * they claim from a shared queue (rangeQueue.ts), put together in file order by this thread as
 * they come in (rangeAssembler.ts), so the result equals the serial parse's.
 *
 * Ranges are cut at line starts. A quoted field may hold a line end, so a cut can fall inside a
 * record: the range's parser reports a record left unfinished at its end, and the whole parse is
 * then redone on the main thread (as it is after any malformed row, so the error names the exact
 * line).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { EventFieldPlan, ParsedEvents, PreallocatedColumns } from '../eventColumnsBuilder.js';
import type { ResolvedLoadOptions } from '../loadOptions.js';
import { estimateRows, MAX_RECORD_BYTES, planFields, readDelimitedEvents, readLayout } from '../readDelimitedEvents.js';
import type { TextSource } from '../textChunks.js';
import { freeSlot, SLOT_FREE, type ChunkJob, type ChunkPreset, type ChunkResult, type ParseSpec, type SharedRegion, type WorkerMessage } from './chunkMessages.js';
import { parseRangesInOrder, type RangeColumns } from './parseChunk.js';
import { RangeAssembler } from './rangeAssembler.js';
import { RangeColumnsPool } from './rangeColumnsPool.js';
import { createRangeQueue, drainRanges, MAX_RANGES } from './rangeQueue.js';

/** Files smaller than this are parsed on the main thread (a worker's start-up would not pay). */
export const PARALLEL_MIN_BYTES = 32 << 20;
/**
 * Parsing threads by default: one per core, at most this many. Every thread's ranges are put into
 * the result's columns by this thread as they come in, so the workers' rows cost no second copy
 * (README, Parsing). When this thread joined every worker's rows into new arrays after they
 * finished, two workers were slower than one thread.
 */
const MAX_DEFAULT_THREADS = 4;

/**
 * The parsing threads a large uncompressed file gets when none are asked for.
 * @example defaultParseThreads() // 2 on a 2-core machine
 */
export function defaultParseThreads(): number {
  return Math.min(MAX_DEFAULT_THREADS, availableParallelism());
}
/** A worker that has not finished after this long is stopped (a hung worker must not hang the load). */
const WORKER_TIMEOUT_MS = 10 * 60 * 1000;

/** Whether `source` is parsed by workers: uncompressed, large enough, and more than one thread. */
export function shouldParseInParallel(source: TextSource, options: ResolvedLoadOptions): boolean {
  return !source.compressed && source.textBytes >= PARALLEL_MIN_BYTES && workerCount(options) > 1;
}

function workerCount(options: ResolvedLoadOptions): number {
  return options.threads ?? defaultParseThreads();
}

/** The worker script: the compiled sibling, also when this module runs from TypeScript sources (tests). */
function workerUrl(): URL {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return new URL(here.replace('/src/', '/dist/').replace(/readDelimitedInParallel\.ts$/, 'parseChunkWorker.js'));
  return new URL('./parseChunkWorker.js', here);
}

/**
 * Parses `path` with up to `options.threads` workers, each chunk at least `minChunkBytes`.
 * @example
 * ```ts
 * const parsed = await readDelimitedEventsInParallel('ratings.csv', source, resolved, {});
 * ```
 */
export async function readDelimitedEventsInParallel(
  path: string,
  source: TextSource,
  options: ResolvedLoadOptions,
  optionNames: Readonly<Record<string, string>>,
  minChunkBytes = PARALLEL_MIN_BYTES / 2,
): Promise<ParsedEvents & { readonly threads: number }> {
  const size = source.textBytes;
  const head = readHead(path, Math.min(size, MAX_RECORD_BYTES * 2));
  const layout = readLayout(path, head, options);
  const plan = planFields(path, layout.names, options, optionNames);
  const threads = Math.max(1, Math.min(workerCount(options), Math.floor((size - layout.dataStart) / minChunkBytes)));
  const parsed = await parseInParallel(path, size, head, layout.dataStart, layout.dataLine, plan, { kind: 'events', delimiter: layout.delimiter }, threads);
  if (parsed === null) {
    // A boundary inside a quoted field, or a malformed row: the serial parse is exact.
    return { ...(await readDelimitedEvents(path, source, options, optionNames)), threads: 1 };
  }
  options.onProgress?.({ file: path, bytesRead: size, totalBytes: size });
  return { ...parsed, threads };
}

/**
 * The records of `path` from `dataStart` on, parsed by this thread and `threads` - 1 workers with
 * `preset`'s rules. The data is cut into ranges of up to 8 MiB, claimed in file order by every
 * thread. This thread parses its ranges into columns of its own, kept from range to range; a
 * worker parses each of its ranges into one of its slots of shared memory, reused the same way.
 * This thread copies every range into the result's columns (ordinary memory: the native kernels
 * take no shared memory) as soon as the ranges before it are in, so the result is written once,
 * while the threads still parse, and nothing is copied after they finish.
 * Null when a range boundary fell inside a record or a record is malformed (parse serially then).
 * `head` is the start of the file, to estimate the rows from. `mainRangeColumns` (default 4): the
 * sets of range columns this thread makes at most (tests ask for 1, to make it wait).
 * @example
 * ```ts
 * const parsed = await parseInParallel('ratings.csv', size, head, 32, 2, plan, { kind: 'events', delimiter: 0x2c }, 2);
 * ```
 */
export async function parseInParallel(
  path: string,
  size: number,
  head: Buffer,
  dataStart: number,
  dataLine: number,
  plan: EventFieldPlan,
  preset: ChunkPreset,
  threads: number,
  mainRangeColumns = MAIN_RANGE_COLUMNS,
): Promise<ParsedEvents | null> {
  const dataBytes = size - dataStart;
  const meanRecordBytes = Math.max(1, (head.length - dataStart) / Math.max(1, estimateRows(head, dataStart, head.length - dataStart) - 64));
  // Room for the whole file's rows and a quarter more: rows are written from the start, so the
  // room is address space, never touched memory (and the columns grow if it falls short).
  const rowCapacity = Math.ceil((dataBytes / meanRecordBytes) * 1.25) + 1024;
  const queue = createRangeQueue(dataStart, size, Math.max(Math.min(RANGE_BYTES, Math.ceil(dataBytes / (threads * 4))), Math.ceil(dataBytes / MAX_RANGES)), threads);
  // A range's rows, with room to spare (a range with more grows columns of its own).
  const rangeRows = Math.ceil((maxRangeBytes(queue.bounds) / meanRecordBytes) * 1.5) + 1024;
  const spec: ParseSpec = { path, fileSize: size, plan, preset, maxRecordBytes: MAX_RECORD_BYTES };
  const jobs: ChunkJob[] = Array.from({ length: threads - 1 }, (_, w) => {
    const slotStates = new SharedArrayBuffer(4 * (SLOTS_PER_WORKER + 1));
    new Int32Array(slotStates).fill(SLOT_FREE, 0, SLOTS_PER_WORKER);
    return { ...spec, source: 1 + w, queue, slotStates, slots: Array.from({ length: SLOTS_PER_WORKER }, () => sharedRegion(rangeRows, plan.time >= 0)) };
  });
  const failures: ChunkResult[] = [];
  const stop = () => {
    // The workers stop at their next claim, and one waiting for a slot wakes up to see it.
    drainRanges(queue);
    for (const job of jobs) {
      const states = new Int32Array(job.slotStates);
      for (let slot = 0; slot < SLOTS_PER_WORKER; slot++) freeSlot(states, slot);
    }
  };
  const onMessage = (job: ChunkJob) => (message: WorkerMessage) => {
    if (message.kind === 'end') {
      if (message.result.kind !== 'done') {
        failures.push(message.result);
        stop();
      }
      return;
    }
    const states = new Int32Array(job.slotStates);
    assembler.add(message.result, () => {
      if (message.slot >= 0) freeSlot(states, message.slot);
    });
  };
  // Settled before anything is thrown, so no worker outlives this call unobserved. Started before
  // the result's columns are allocated: a worker takes tens of ms to start, and the allocation
  // (hundreds of MB of address space) can cost V8 a garbage collection.
  const settled = Promise.allSettled(jobs.map((job) => runJob(job, onMessage(job))));
  const assembler = new RangeAssembler(queue.bounds.length - 1, rowCapacity, plan.time >= 0, dataLine);
  // This thread's range columns (see rangeColumnsPool.ts).
  const pool = new RangeColumnsPool(mainRangeColumns, () => ({
    users: new Int32Array(rangeRows),
    items: new Int32Array(rangeRows),
    weights: new Float32Array(rangeRows),
    times: plan.time >= 0 ? new Float64Array(rangeRows) : null,
  }), settled);
  const take = async (): Promise<RangeColumns<PreallocatedColumns>> => {
    const columns = await pool.take();
    return { columns, token: columns };
  };
  try {
    const handle = await open(path, 'r');
    try {
      const mine = await parseRangesInOrder(spec, queue, take, (result, columns) => assembler.add(result, () => pool.giveBack(columns)), async (buffer, offset, length, position) => (await handle.read(buffer, offset, length, position)).bytesRead, 0);
      if (mine.kind !== 'done') {
        failures.push(mine);
        stop();
      }
    } finally {
      await handle.close();
    }
  } catch (error) {
    stop();
    await settled;
    throw error;
  }
  const outcomes = await settled;
  const failed = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
  if (failures.length > 0 || !assembler.complete) return null;
  return assembler.finish();
}

/** Range columns this thread makes at most (see parseInParallel). */
const MAIN_RANGE_COLUMNS = 4;

/** Slots of shared memory per worker: one being parsed into, the others waiting to be copied out. */
const SLOTS_PER_WORKER = 3;

/** Bytes per range at most: small enough that the threads finish within a few ms of each other, large enough that claims and per-range set-up cost nothing. */
const RANGE_BYTES = 8 << 20;

function maxRangeBytes(bounds: readonly number[]): number {
  let most = 0;
  for (let r = 0; r + 1 < bounds.length; r++) most = Math.max(most, bounds[r + 1]! - bounds[r]!);
  return most;
}

function sharedRegion(rowCapacity: number, withTimes: boolean): SharedRegion {
  return {
    users: new SharedArrayBuffer(rowCapacity * 4),
    items: new SharedArrayBuffer(rowCapacity * 4),
    weights: new SharedArrayBuffer(rowCapacity * 4),
    times: withTimes ? new SharedArrayBuffer(rowCapacity * 8) : null,
    rowCapacity,
  };
}

export function readHead(path: string, bytes: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.allocUnsafe(bytes);
    const n = readSync(fd, head, 0, bytes, 0);
    return head.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

function runJob(job: ChunkJob, onMessage: (message: WorkerMessage) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    // Workers inherit the process's Node flags; --input-type (for an -e script) would stop one
    // from loading a module file, so it is left out.
    const execArgv = process.execArgv.filter((arg) => !arg.startsWith('--input-type'));
    const worker = new Worker(workerUrl(), { workerData: job, execArgv });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`a parsing worker did not finish in ${WORKER_TIMEOUT_MS / 1000} s`));
    }, WORKER_TIMEOUT_MS);
    let ended = false;
    worker.on('message', (message: WorkerMessage) => {
      if (message.kind === 'end') ended = true;
      onMessage(message);
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    // Settled when the worker has exited, not when its last message arrives: until then it may
    // still hold its slots.
    worker.once('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`a parsing worker exited with code ${code}`));
      else if (!ended) reject(new Error('a parsing worker exited without its result'));
      else resolve();
    });
  });
}

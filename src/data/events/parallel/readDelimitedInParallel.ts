/**
 * A large uncompressed delimited file parsed by this thread and worker threads, in byte ranges
 * they claim from a shared queue (rangeQueue.ts).
 *
 * Ranges are cut at line starts. A quoted field may hold a line end, so a cut can fall inside a
 * record: the range's parser reports a record left unfinished at its end, and the whole parse is
 * then redone on the main thread (as it is after any malformed row, so the error names the exact
 * line). Ranges are joined in file order, so the result equals the serial parse's.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { largeFloat32Array, largeFloat64Array, largeInt32Array } from '../../../matrix/largeArrays.js';
import { emptyCounts, type EventFieldPlan, type ParsedEvents, type PreallocatedColumns } from '../eventColumnsBuilder.js';
import type { ResolvedLoadOptions } from '../loadOptions.js';
import { estimateRows, MAX_RECORD_BYTES, planFields, readDelimitedEvents, readLayout } from '../readDelimitedEvents.js';
import type { TextSource } from '../textChunks.js';
import type { ChunkJob, ChunkPreset, ChunkResult, ParseSpec, RangeResult } from './chunkMessages.js';
import { collectGarbage } from '../../../lazyBuiltins.js';
import { isAt, mergeIdColumns } from './mergeIdColumns.js';
import { parseClaimedRanges } from './parseChunk.js';
import { createRangeQueue, drainRanges, MAX_RANGES } from './rangeQueue.js';

/** Files smaller than this are parsed on the main thread (a worker's start-up would not pay). */
export const PARALLEL_MIN_BYTES = 32 << 20;
/**
 * Parsing threads by default: one per core, at most this many. This thread parses the first
 * range itself, straight into the result's columns, and only the workers' rows are copied once
 * (their shared memory cannot go to the native kernels): on synth-10m with 2 cores, 0.60-0.72 s
 * against 0.80-0.91 s serially (README, Parsing). When this thread joined every worker's rows
 * into new arrays, two workers were slower than one thread.
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
 * `preset`'s rules. The data is cut into ranges of up to 8 MiB; this thread claims them from the
 * front and parses them straight into the result's own columns (ordinary memory), the workers
 * claim them from the back, each into its own region of shared columns (no transfer, no growth
 * copies), and their rows are copied in after this thread's at the end: only the workers' rows
 * are copied, and whichever thread is faster takes more ranges.
 * Null when a range boundary fell inside a record or a record is malformed (parse serially then).
 * `head` is the start of the file, to estimate the rows from.
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
): Promise<ParsedEvents | null> {
  const parsed = await parseRanges(path, size, head, dataStart, dataLine, plan, preset, threads);
  // The workers' shared regions are garbage now (their rows were copied out, or the parse is
  // redone serially); collected only at V8's leisure they would stay resident through training.
  if (size - size / threads >= SHARED_COLLECT_BYTES) collectGarbage();
  return parsed;
}

/** Workers' ranges of this many file bytes or more have their shared regions collected at once (see parseInParallel). */
const SHARED_COLLECT_BYTES = 64 << 20;

async function parseRanges(...[path, size, head, dataStart, dataLine, plan, preset, threads]: Parameters<typeof parseInParallel>): Promise<ParsedEvents | null> {
  const dataBytes = size - dataStart;
  const meanRecordBytes = Math.max(1, (head.length - dataStart) / Math.max(1, estimateRows(head, dataStart, head.length - dataStart) - 64));
  // Any thread may end up parsing most of the file (a worker slow to start, a busy core), so
  // every thread's columns have room for the whole file's rows and a quarter more: rows are only
  // written from the start, so the room is address space, never touched memory.
  const rowCapacity = Math.ceil((dataBytes / meanRecordBytes) * 1.25) + 1024;
  const queue = createRangeQueue(dataStart, size, Math.max(Math.min(RANGE_BYTES, Math.ceil(dataBytes / (threads * 4))), Math.ceil(dataBytes / MAX_RANGES)));
  const spec: ParseSpec = { path, fileSize: size, plan, preset, maxRecordBytes: MAX_RECORD_BYTES };
  const jobs: ChunkJob[] = Array.from({ length: threads - 1 }, () => ({
    ...spec,
    queue,
    region: {
      users: new SharedArrayBuffer(rowCapacity * 4),
      items: new SharedArrayBuffer(rowCapacity * 4),
      weights: new SharedArrayBuffer(rowCapacity * 4),
      times: plan.time >= 0 ? new SharedArrayBuffer(rowCapacity * 8) : null,
      rowCapacity,
    },
  }));
  // Settled before anything is thrown, so no worker outlives this call unobserved.
  const settled = Promise.allSettled(jobs.map(runJob));
  const own: PreallocatedColumns = {
    users: largeInt32Array(rowCapacity),
    items: largeInt32Array(rowCapacity),
    weights: largeFloat32Array(rowCapacity),
    times: plan.time >= 0 ? largeFloat64Array(rowCapacity) : null,
  };
  let mine: ChunkResult;
  try {
    const handle = await open(path, 'r');
    try {
      mine = await parseClaimedRanges(spec, queue, false, own, async (buffer, offset, length, position) => (await handle.read(buffer, offset, length, position)).bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    // The workers stop at their next claim; none outlives this call.
    drainRanges(queue);
    await settled;
    throw error;
  }
  const outcomes = await settled;
  const failed = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
  const results = [mine, ...outcomes.map((outcome) => (outcome as PromiseFulfilledResult<ChunkResult>).value)];
  if (results.some((result) => result.kind !== 'done')) return null;
  const ranges = results.flatMap((result) => (result as Extract<ChunkResult, { kind: 'done' }>).ranges).sort((a, b) => a.range - b.range);
  const aligned = ranges.length === queue.bounds.length - 1 && ranges.every((r, i) => r.range === i && (i === 0 || ranges[i - 1]!.stop === r.start));
  if (!aligned) return null;
  // This thread's ranges are a prefix, in `own` row after row unless one outgrew it.
  const ownRanges = (mine as Extract<ChunkResult, { kind: 'done' }>).ranges;
  return joinChunks(ranges, dataLine, ownRanges.every((r) => r.inRegion) ? own : null);
}

/** Bytes per range at most: small enough that the threads finish within a few ms of each other, large enough that claims and per-range set-up cost nothing. */
const RANGE_BYTES = 8 << 20;

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

function runJob(job: ChunkJob): Promise<ChunkResult> {
  return new Promise((resolve, reject) => {
    // Workers inherit the process's Node flags; --input-type (for an -e script) would stop one
    // from loading a module file, so it is left out.
    const execArgv = process.execArgv.filter((arg) => !arg.startsWith('--input-type'));
    const worker = new Worker(workerUrl(), { workerData: job, execArgv });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`a parsing worker did not finish in ${WORKER_TIMEOUT_MS / 1000} s`));
    }, WORKER_TIMEOUT_MS);
    // Settled when the worker has exited, not when its message arrives: until its isolate is
    // gone it holds the shared regions, which the caller then collects.
    let result: ChunkResult | null = null;
    worker.once('message', (message: ChunkResult) => {
      result = message;
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    worker.once('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`a parsing worker exited with code ${code}`));
      else if (result === null) reject(new Error('a parsing worker exited without its result'));
      else resolve(result);
    });
  });
}

/**
 * The ranges' columns joined in file order, line numbers of skipped rows made absolute. `own`:
 * this thread's columns (ordinary memory), which already hold the first ranges' rows from row 0
 * on and have room for the others', appended after them; without it (or when the rows outgrew
 * it), new arrays. The result must not live in shared memory: the native kernels accept only
 * ArrayBuffer-backed arrays (no other thread can change them while they run).
 */
function joinChunks(chunks: readonly RangeResult[], dataLine: number, own: PreallocatedColumns | null): ParsedEvents {
  const parts = chunks.map((c) => c.parsed);
  const length = parts.reduce((n, p) => n + p.events.length, 0);
  const into = own !== null && length <= own.weights.length ? own : null;
  const users = mergeIdColumns(parts.map((p) => p.events.users), into?.users);
  const items = mergeIdColumns(parts.map((p) => p.events.items), into?.items);
  const weights = into === null ? new Float32Array(length) : into.weights.subarray(0, length);
  const times = parts[0]!.events.times === null ? null : into === null ? new Float64Array(length) : into.times!.subarray(0, length);
  let offset = 0;
  for (const part of parts) {
    // Rows this thread parsed are already in place.
    if (!isAt(part.events.weights, weights, offset)) weights.set(part.events.weights, offset);
    if (times !== null && !isAt(part.events.times!, times, offset)) times.set(part.events.times!, offset);
    offset += part.events.length;
  }
  const counts = emptyCounts();
  let eventCounts: Map<string, number> | null = null;
  let titles: Map<number, string> | null = null;
  let lineOffset = dataLine - 1;
  parts.forEach((part, t) => {
    for (const key of ['rows', 'kept', 'emptyUser', 'emptyItem', 'nonPositiveWeight', 'unweightedEvent', 'skippedBadRows'] as const) counts[key] += part.counts[key];
    for (const example of part.counts.skippedExamples) {
      if (counts.skippedExamples.length < 5) counts.skippedExamples.push({ line: example.line + lineOffset, problem: example.problem });
    }
    lineOffset += chunks[t]!.lines;
    if (part.eventCounts !== null) {
      eventCounts ??= new Map();
      for (const [event, n] of part.eventCounts) eventCounts.set(event, (eventCounts.get(event) ?? 0) + n);
    }
    if (part.titles !== null) {
      titles ??= new Map();
      for (const [key, title] of part.titles) {
        const merged = items.key(t, key);
        if (!titles.has(merged)) titles.set(merged, title);
      }
    }
  });
  return { events: { length, users: users.column, items: items.column, weights, times }, counts, eventCounts, titles };
}

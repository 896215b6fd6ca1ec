/**
 * A large uncompressed delimited file parsed by several worker threads, one byte range each.
 *
 * Ranges are cut at line starts. A quoted field may hold a line end, so a cut can fall inside a
 * record: each worker parses up to the next cut and reports a record left unfinished there, and
 * the whole parse is then redone on the main thread (as it is after any malformed row, so the
 * error names the exact line). Chunks are joined in file order, so the result equals the serial
 * parse's.
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
import type { ChunkJob, ChunkPreset, ChunkResult } from './chunkMessages.js';
import { collectGarbage } from '../../../lazyBuiltins.js';
import { mergeIdColumns } from './mergeIdColumns.js';
import { parseChunk } from './parseChunk.js';

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
 * The records of `path` from `dataStart` on, parsed in `threads` byte ranges with `preset`'s
 * rules: the first range by this thread, straight into the result's own columns (ordinary
 * memory, sized for every range's rows), the others by worker threads, each into its own region
 * of shared columns (no transfer, no growth copies), copied in after the first range's rows. So
 * only the workers' rows are copied once, and no worker is started for the first range.
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
  // Each range's rows get a quarter more room than its bytes suggest: rows are only ever written
  // from a range's start, so the slack is address space, never touched memory.
  const ranges: { start: number; end: number; rowCapacity: number }[] = [];
  for (let t = 0; t < threads; t++) {
    const start = dataStart + Math.floor(dataBytes * rangeStart(t, threads, dataBytes));
    const end = dataStart + Math.floor(dataBytes * rangeStart(t + 1, threads, dataBytes));
    ranges.push({ start, end, rowCapacity: Math.ceil(((end - start) / meanRecordBytes) * 1.25) + 1024 });
  }
  const totalRows = ranges.reduce((n, range) => n + range.rowCapacity, 0);
  const workerRows = totalRows - ranges[0]!.rowCapacity;
  const shared = {
    users: new SharedArrayBuffer(workerRows * 4),
    items: new SharedArrayBuffer(workerRows * 4),
    weights: new SharedArrayBuffer(workerRows * 4),
    times: plan.time >= 0 ? new SharedArrayBuffer(workerRows * 8) : null,
  };
  let rowStart = 0;
  const jobs: ChunkJob[] = ranges.map((range, t) => {
    const job = {
      path,
      fileSize: size,
      nominalStart: range.start,
      nominalEnd: range.end,
      first: t === 0,
      last: t === threads - 1,
      plan,
      preset,
      region: { ...shared, rowStart, rowCapacity: t === 0 ? 0 : range.rowCapacity },
      maxRecordBytes: MAX_RECORD_BYTES,
    };
    if (t > 0) rowStart += range.rowCapacity;
    return job;
  });
  const working = jobs.slice(1).map(runJob);
  // Settled before anything is thrown, so no worker outlives this call unobserved.
  const settled = Promise.allSettled(working);
  const own: PreallocatedColumns = {
    users: largeInt32Array(totalRows),
    items: largeInt32Array(totalRows),
    weights: largeFloat32Array(totalRows),
    times: plan.time >= 0 ? largeFloat64Array(totalRows) : null,
  };
  let first: ChunkResult;
  const handle = await open(path, 'r');
  try {
    first = await parseChunk(jobs[0]!, own, async (buffer, offset, length, position) => (await handle.read(buffer, offset, length, position)).bytesRead);
  } finally {
    await handle.close();
  }
  const outcomes = await settled;
  const failed = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
  const results = [first, ...outcomes.map((outcome) => (outcome as PromiseFulfilledResult<ChunkResult>).value)];
  const aligned = results.every((r, t) => r.kind === 'done' && (t === 0 || (results[t - 1] as { stop: number }).stop === r.start));
  if (!aligned) return null;
  const done = results as Extract<ChunkResult, { kind: 'done' }>[];
  return joinChunks(done, dataLine, done[0]!.inRegion ? own : null);
}

/**
 * Bytes this thread parses while a worker starts (a fresh isolate loading its bundle, 60-90 ms
 * measured on synth-10m, at about 240 MB/s a thread): the first range is this much longer, so
 * that all ranges finish together.
 */
const WORKER_START_BYTES = 16 << 20;

/** Where range `t` of `threads` starts, as a fraction of `dataBytes`; see {@link WORKER_START_BYTES}. */
function rangeStart(t: number, threads: number, dataBytes: number): number {
  if (t === 0) return 0;
  if (t === threads) return 1;
  const first = Math.min(0.75, (dataBytes / threads + (WORKER_START_BYTES * (threads - 1)) / threads) / dataBytes);
  return first + ((1 - first) * (t - 1)) / (threads - 1);
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
 * The chunks' columns joined in file order, line numbers of skipped rows made absolute. `own`:
 * the first chunk's columns (ordinary memory, room for every chunk), which the others' rows are
 * appended to; without it (or when the rows outgrew it), new arrays. The result must not live in
 * shared memory: the native kernels accept only ArrayBuffer-backed arrays (no other thread can
 * change them while they run).
 */
function joinChunks(chunks: Extract<ChunkResult, { kind: 'done' }>[], dataLine: number, own: PreallocatedColumns | null): ParsedEvents {
  const parts = chunks.map((c) => c.parsed);
  const length = parts.reduce((n, p) => n + p.events.length, 0);
  const into = own !== null && length <= own.weights.length ? own : null;
  const users = mergeIdColumns(parts.map((p) => p.events.users), into?.users);
  const items = mergeIdColumns(parts.map((p) => p.events.items), into?.items);
  const weights = into === null ? new Float32Array(length) : into.weights.subarray(0, length);
  const times = parts[0]!.events.times === null ? null : into === null ? new Float64Array(length) : into.times!.subarray(0, length);
  let offset = 0;
  for (const [t, part] of parts.entries()) {
    // The first chunk's rows are already in `into`.
    if (into === null || t > 0) {
      weights.set(part.events.weights, offset);
      if (times !== null) times.set(part.events.times!, offset);
    }
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

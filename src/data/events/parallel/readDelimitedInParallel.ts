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
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { emptyCounts, type EventFieldPlan, type ParsedEvents } from '../eventColumnsBuilder.js';
import type { ResolvedLoadOptions } from '../loadOptions.js';
import { estimateRows, MAX_RECORD_BYTES, planFields, readDelimitedEvents, readLayout } from '../readDelimitedEvents.js';
import type { TextSource } from '../textChunks.js';
import type { ChunkJob, ChunkPreset, ChunkResult } from './chunkMessages.js';
import { mergeIdColumns } from './mergeIdColumns.js';

/** Files smaller than this are parsed on the main thread (a worker's start-up would not pay). */
export const PARALLEL_MIN_BYTES = 32 << 20;
/**
 * Workers are used only when asked for (`threads` > 1): measured on synth-10m on this project's
 * 2-vCPU VM at load 1.3, two workers took 2.4 s (3.4 s CPU) against 2.0 s (2.0 s CPU) serially,
 * because their columns must be copied once more into unshared memory for the native kernels and
 * first-touching memory costs about as much as parsing it there. At most this many or one per core.
 */
const MAX_DEFAULT_THREADS = 4;
/** A worker that sends nothing for this long is stopped (a hung worker must not hang the load). */
const WORKER_TIMEOUT_MS = 10 * 60 * 1000;

/** Whether `source` is parsed by workers: uncompressed, large enough, and more than one thread. */
export function shouldParseInParallel(source: TextSource, options: ResolvedLoadOptions): boolean {
  return !source.compressed && source.textBytes >= PARALLEL_MIN_BYTES && workerCount(options) > 1;
}

function workerCount(options: ResolvedLoadOptions): number {
  return Math.min(options.threads ?? 1, Math.max(MAX_DEFAULT_THREADS, availableParallelism()));
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
 * The records of `path` from `dataStart` on, parsed by `threads` workers with `preset`'s rules,
 * each writing into its own region of shared columns (no transfer, no growth copies); the regions
 * are then joined into the result.
 * Null when a chunk boundary fell inside a record or a record is malformed (parse serially then).
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
  const dataBytes = size - dataStart;
  const meanRecordBytes = Math.max(1, (head.length - dataStart) / Math.max(1, estimateRows(head, dataStart, head.length - dataStart) - 64));
  // Each worker's region holds a quarter more rows than its bytes suggest: rows are only ever
  // written from a region's start, so the slack is address space, never touched memory.
  const ranges: { start: number; end: number; rowStart: number; rowCapacity: number }[] = [];
  let rows = 0;
  for (let t = 0; t < threads; t++) {
    const start = dataStart + Math.floor((dataBytes * t) / threads);
    const end = dataStart + Math.floor((dataBytes * (t + 1)) / threads);
    const rowCapacity = Math.ceil(((end - start) / meanRecordBytes) * 1.25) + 1024;
    ranges.push({ start, end, rowStart: rows, rowCapacity });
    rows += rowCapacity;
  }
  const shared = {
    users: new SharedArrayBuffer(rows * 4),
    items: new SharedArrayBuffer(rows * 4),
    weights: new SharedArrayBuffer(rows * 4),
    times: plan.time >= 0 ? new SharedArrayBuffer(rows * 8) : null,
  };
  const jobs: ChunkJob[] = ranges.map((range, t) => ({
    path,
    fileSize: size,
    nominalStart: range.start,
    nominalEnd: range.end,
    first: t === 0,
    last: t === threads - 1,
    plan,
    preset,
    region: { ...shared, rowStart: range.rowStart, rowCapacity: range.rowCapacity },
    maxRecordBytes: MAX_RECORD_BYTES,
  }));
  const results = await Promise.all(jobs.map(runJob));
  const aligned = results.every((r, t) => r.kind === 'done' && (t === 0 || (results[t - 1] as { stop: number }).stop === r.start));
  if (!aligned) return null;
  const done = results as Extract<ChunkResult, { kind: 'done' }>[];
  return joinChunks(done, dataLine);
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
      reject(new Error(`a parsing worker sent nothing for ${WORKER_TIMEOUT_MS / 1000} s`));
    }, WORKER_TIMEOUT_MS);
    worker.once('message', (result: ChunkResult) => {
      clearTimeout(timer);
      resolve(result);
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    worker.once('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`a parsing worker exited with code ${code}`));
    });
  });
}

/**
 * The chunks' columns joined in file order into new (unshared) arrays; line numbers of skipped
 * rows made absolute. The result must not live in shared memory: the native kernels accept only
 * ArrayBuffer-backed arrays (no other thread can change them while they run).
 */
function joinChunks(chunks: Extract<ChunkResult, { kind: 'done' }>[], dataLine: number): ParsedEvents {
  const parts = chunks.map((c) => c.parsed);
  const length = parts.reduce((n, p) => n + p.events.length, 0);
  const users = mergeIdColumns(parts.map((p) => p.events.users));
  const items = mergeIdColumns(parts.map((p) => p.events.items));
  const weights = new Float32Array(length);
  const times = parts[0]!.events.times !== null ? new Float64Array(length) : null;
  let offset = 0;
  for (const part of parts) {
    weights.set(part.events.weights, offset);
    if (times !== null) times.set(part.events.times!, offset);
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

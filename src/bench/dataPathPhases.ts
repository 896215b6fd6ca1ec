/**
 * `alsrec bench --phases`: the whole data path on one dataset, phase by phase, in this process —
 * read, parse, map ids, order, merge + CSR, split order, split, transpose, train,
 * recommend — with each phase's wall time, the bytes of the typed arrays it allocated, and the
 * resident set size after it.
 */
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { ALS } from '../als/model.js';
import type { Solver } from '../als/backend.js';
import { loadMovieLens } from '../data/loadMovieLens.js';
import { resolveDataDir } from '../data/resolveDataDir.js';
import { hasEntry } from '../data/openRegularFile.js';
import { temporalLeaveLastOutOf } from '../eval/temporalLeaveLastOut.js';
import { nnz, transposeCsr } from '../matrix/csr.js';
import { buildInteractions } from '../matrix/interactions.js';
import { SYNTH_PRESETS } from '../synth/generateSynthetic.js';
import { InvalidOptionError } from '../errors.js';

export interface PhaseRecord {
  readonly phase: string;
  readonly seconds: number;
  /** Bytes of the typed arrays the phase allocated (the file's size for `read`). */
  readonly bytes: number;
  /** Resident set size right after the phase. */
  readonly rssBytes: number;
}

export interface DataPathReport {
  readonly data: string;
  readonly dir: string;
  readonly fileBytes: number;
  readonly ratings: number;
  readonly users: number;
  readonly items: number;
  readonly nnz: number;
  readonly phases: readonly PhaseRecord[];
  /** Each training iteration's wall time (the native kernels' half-sweeps), from the fit's onIteration. */
  readonly iterationSeconds: readonly number[];
  /**
   * The longest phase run in TypeScript (parse through transpose: not the bare read, the
   * training or the native top-N), which issue 17 wants below one iteration's kernel time.
   */
  readonly longestJsPhase: PhaseRecord;
  /** Load to split (read through split), the figure issue 17's 2.5 s target is about. */
  readonly loadToSplitSeconds: number;
  readonly totalSeconds: number;
  readonly peakRssBytes: number;
}

export interface DataPathOptions {
  readonly factors: number;
  readonly iterations: number;
  readonly solver: Solver;
  readonly threads: number;
  readonly cgSteps: number;
  /** Users to recommend for (the first ones by index); default 1,000. */
  readonly recommendUsers?: number;
}

/** Phases that are not the TypeScript data path: the bare read (I/O) and the native work. */
const NOT_JS_PHASES = new Set(['read', 'train', 'recommend']);
const RATINGS_FILES = ['u.data', 'ratings.dat', 'ratings.csv'] as const;
const CHUNK = 1 << 20;

/**
 * Runs and times every phase on the MovieLens-layout folder `data` (`ml-100k` means the
 * MOVIELENS_DIR/default folder; synthetic data is read from a folder `alsrec synth` wrote).
 *
 * @example
 * const report = await measureDataPath('/tmp/s10m', { factors: 64, iterations: 1, solver: 'cg', threads: 2, cgSteps: 3 });
 * console.log(formatDataPathReport(report));
 */
export async function measureDataPath(data: string, options: DataPathOptions): Promise<DataPathReport> {
  if (Object.hasOwn(SYNTH_PRESETS, data)) {
    throw new InvalidOptionError('--data', `--phases reads files: write ${data} first (alsrec synth --preset ${data} --out DIR) and pass --data DIR`);
  }
  const dir = resolveDataDir(data === 'ml-100k' ? undefined : data);
  const phases: PhaseRecord[] = [];
  const record = (phase: string, seconds: number, bytes: number) => phases.push({ phase, seconds, bytes, rssBytes: process.memoryUsage.rss() });
  const started = performance.now();

  // read: the ratings file's bytes alone, so that parse is what loading adds to the I/O.
  const file = join(dir, RATINGS_FILES.find((name) => hasEntry(join(dir, name))) ?? RATINGS_FILES[0]);
  let t0 = performance.now();
  const fileBytes = await readAllBytes(file);
  record('read', (performance.now() - t0) / 1000, fileBytes);

  const dataset = await loadMovieLens(dir, {
    onPhase: (phase, seconds, bytes) => {
      // The load reads and parses in one streaming pass; parse is that pass minus the bare read.
      if (phase === 'read + parse') {
        record('parse', Math.max(0, seconds - phases[0]!.seconds), bytes);
      } else record(phase, seconds, bytes);
    },
  });
  const interactions = buildInteractions(dataset);
  const m = interactions.matrix;

  t0 = performance.now();
  const split = temporalLeaveLastOutOf(interactions);
  // Train: indices and values (its timestamps are made only if read); test: those and a time.
  record('split', (performance.now() - t0) / 1000, 8 * nnz(split.train.matrix) + 16 * nnz(split.test.matrix) + 8 * (m.rows + 1));
  const loadToSplitSeconds = (performance.now() - started) / 1000;

  t0 = performance.now();
  const transposed = transposeCsr(m);
  record('transpose', (performance.now() - t0) / 1000, transposed.indices.byteLength + transposed.data.byteLength + transposed.indptr.byteLength);

  t0 = performance.now();
  const iterationSeconds: number[] = [];
  const model = await new ALS({
    factors: options.factors, iterations: options.iterations, solver: options.solver, threads: options.threads, cgSteps: options.cgSteps,
    onIteration: (_, seconds) => iterationSeconds.push(seconds),
  }).fit(interactions);
  record('train', (performance.now() - t0) / 1000, 4 * options.factors * (m.rows + m.cols));

  const users = Math.min(options.recommendUsers ?? 1000, m.rows);
  t0 = performance.now();
  // The batch path (native top-N across the call's threads), as a batch job would take it.
  const ids = Array.from({ length: users }, (_, u) => interactions.users.id(u));
  await model.recommendMany(ids, { n: 10 });
  record('recommend', (performance.now() - t0) / 1000, 0);

  return {
    data, dir, fileBytes,
    ratings: nnz(m), users: m.rows, items: m.cols, nnz: nnz(m),
    phases, iterationSeconds,
    longestJsPhase: phases.filter((p) => !NOT_JS_PHASES.has(p.phase)).reduce((a, b) => (b.seconds > a.seconds ? b : a)),
    loadToSplitSeconds,
    totalSeconds: (performance.now() - started) / 1000,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}

/** Reads the whole file through one reused buffer; resolves to its size in bytes. */
async function readAllBytes(path: string): Promise<number> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK);
    let total = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, null);
      if (bytesRead === 0) break;
      total += bytesRead;
    }
    return total;
  } finally {
    await handle.close();
  }
}

/**
 * The report as a plain-text table.
 * @example process.stdout.write(formatDataPathReport(report));
 */
export function formatDataPathReport(r: DataPathReport): string {
  const mib = (b: number) => (b / 2 ** 20).toFixed(1);
  const rows = r.phases.map((p) => [p.phase, p.seconds.toFixed(3), `${((100 * p.seconds) / r.totalSeconds).toFixed(1)}%`, mib(p.bytes), mib(p.rssBytes)]);
  const header = ['phase', 'seconds', 'share', 'MiB allocated', 'RSS MiB after'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  return [
    `${r.data} (${r.dir}): ${r.ratings.toLocaleString('en-US')} ratings, ${r.users.toLocaleString('en-US')} users x ${r.items.toLocaleString('en-US')} items, file ${mib(r.fileBytes)} MiB`,
    line(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map(line),
    `read -> split: ${r.loadToSplitSeconds.toFixed(3)} s; all phases: ${r.totalSeconds.toFixed(3)} s; peak RSS ${mib(r.peakRssBytes)} MiB`,
    `iterations: ${r.iterationSeconds.map((s) => s.toFixed(3)).join(', ')} s; longest JS phase: ${r.longestJsPhase.phase} ${r.longestJsPhase.seconds.toFixed(3)} s = ${(r.longestJsPhase.seconds / Math.min(...r.iterationSeconds)).toFixed(2)}x the fastest iteration`,
    '',
  ].join('\n');
}


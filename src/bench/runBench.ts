/**
 * Runs each benchmark contender in a fresh process (so one contender's heap, caches and thread
 * pool cannot flatter or hurt the next) and collects their results.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, availableParallelism, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { AlsrecError } from '../errors.js';
import type { ContenderResult, ContenderSpec } from './runContender.js';
import type { NativeVariant } from '../als/native/addon.js';
import { nativeRatios, summarize, type ContenderSummary, type Ratio } from './summarize.js';

export interface BenchPlan {
  readonly data: readonly string[];
  readonly factors: readonly number[];
  readonly solvers: readonly ContenderSpec['solver'][];
  readonly backends: readonly ContenderSpec['backend'][];
  readonly threads: readonly number[];
  readonly iterations: number;
  readonly runs: number;
  readonly cgSteps: number;
  /** Native builds to compare (each contender's ALSREC_ISA); empty: the loader's pick. */
  readonly isas?: readonly NativeVariant[];
}

export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
}

export interface BenchReport {
  readonly machine: MachineInfo;
  readonly date: string;
  readonly plan: BenchPlan;
  readonly contenders: ContenderSummary[];
  readonly ratios: Ratio[];
  readonly raw: ContenderResult[];
}

export function machineInfo(): MachineInfo {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

/** The contenders of a plan, in the order they run. */
export function contenders(plan: BenchPlan): ContenderSpec[] {
  const out: ContenderSpec[] = [];
  for (const data of plan.data)
    for (const factors of plan.factors)
      for (const solver of plan.solvers)
        for (const threads of plan.threads)
          for (const backend of plan.backends)
            for (const isa of backend === 'native' && plan.isas?.length ? plan.isas : [undefined])
              out.push({ data, factors, solver, backend, threads, iterations: plan.iterations, runs: plan.runs, cgSteps: plan.cgSteps, ...(isa ? { isa } : {}) });
  return out;
}

/** Path of the compiled CLI that runs one contender (`alsrec bench-contender`). */
function cliPath(): string {
  const path = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
  if (!existsSync(path)) throw new AlsrecError(`The benchmark runs contenders through ${path}, which is missing: run "npm run build" first`);
  return path;
}

/** Runs one contender in a child process and parses the JSON it prints. */
export function runContenderProcess(spec: ContenderSpec): Promise<ContenderResult> {
  return new Promise((resolve, reject) => {
    // A variant is chosen the way a user would: ALSREC_ISA in that process only.
    const env = spec.isa === undefined ? process.env : { ...process.env, ALSREC_ISA: spec.isa, ALSREC_NATIVE_PATH: '' };
    execFile(process.execPath, [cliPath(), 'bench-contender', JSON.stringify(spec)], { maxBuffer: 64 * 2 ** 20, env }, (err, stdout, stderr) => {
      if (err) {
        const last = stderr.trim().split('\n').slice(-3).join(' | ');
        reject(new AlsrecError(`Benchmark contender ${describeContender(spec)} failed: ${last || err.message}`));
        return;
      }
      resolve(JSON.parse(stdout.trim().split('\n').pop()!) as ContenderResult);
    });
  });
}

export function describeContender(s: ContenderSpec): string {
  return `${s.data} k=${s.factors} ${s.solver} ${s.backend}${s.isa ? ` ${s.isa}` : ''} ${s.threads}t`;
}

/** One process of a bench run: contender `index` of contenders(plan), measuring `runs` fits. */
export interface ScheduledRun {
  readonly index: number;
  readonly runs: number;
}

/**
 * The processes of a bench run, in order. Builds compared with --isa (two or more) differ by a few
 * percent, less than a shared machine drifts in the seconds one contender takes: they run
 * interleaved, round by round, each round a fresh process per contender measuring one fit (the
 * order rotated from round to round), so that drift falls on every build alike. Otherwise each
 * contender runs once, all its fits in one process.
 * @example benchSchedule({ ...plan, isas: ['v4', 'native'], runs: 2 }) // [{ index: 0, runs: 1 }, { index: 1, runs: 1 }, { index: 1, runs: 1 }, { index: 0, runs: 1 }]
 */
export function benchSchedule(plan: BenchPlan): ScheduledRun[] {
  const count = contenders(plan).length;
  const rounds = (plan.isas?.length ?? 0) >= 2 ? plan.runs : 1;
  const schedule: ScheduledRun[] = [];
  for (let round = 0; round < rounds; round++) {
    // Each round starts one contender later, so no build always runs right after the same other.
    for (let k = 0; k < count; k++) schedule.push({ index: (round + k) % count, runs: rounds === 1 ? plan.runs : 1 });
  }
  return schedule;
}

/**
 * One contender's results from several processes as one: every iteration and fit, the largest
 * peaks, the median load time.
 * @example mergeRuns([first, second]).fitSeconds.length // first's fits + second's
 */
export function mergeRuns(parts: readonly ContenderResult[]): ContenderResult {
  const first = parts[0]!;
  if (parts.length === 1) return first;
  const loads = parts.map((p) => p.loadSeconds).sort((a, b) => a - b);
  return {
    ...first,
    spec: { ...first.spec, runs: parts.reduce((sum, p) => sum + p.spec.runs, 0) },
    loadSeconds: loads[Math.floor(loads.length / 2)]!,
    loadPeakRssBytes: Math.max(...parts.map((p) => p.loadPeakRssBytes)),
    iterationSeconds: parts.flatMap((p) => p.iterationSeconds),
    fitSeconds: parts.flatMap((p) => p.fitSeconds),
    peakRssBytes: Math.max(...parts.map((p) => p.peakRssBytes)),
  };
}

export async function runBench(plan: BenchPlan, onProgress: (done: number, total: number, current: ContenderSpec | null) => void = () => {}): Promise<BenchReport> {
  const list = contenders(plan);
  const schedule = benchSchedule(plan);
  const parts: ContenderResult[][] = list.map(() => []);
  for (let j = 0; j < schedule.length; j++) {
    const { index, runs } = schedule[j]!;
    onProgress(j, schedule.length, list[index]!);
    parts[index]!.push(await runContenderProcess({ ...list[index]!, runs }));
  }
  onProgress(schedule.length, schedule.length, null);
  const raw = parts.map(mergeRuns);
  const summaries = raw.map(summarize);
  return { machine: machineInfo(), date: new Date().toISOString(), plan, contenders: summaries, ratios: nativeRatios(summaries), raw };
}

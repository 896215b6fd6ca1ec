/** What `alsrec bench` and the hidden `alsrec bench-contender` do (declared in ../commands/bench.ts). */
import { SingleBar, Presets } from 'cli-progress';
import { describeContender, runBench, type BenchPlan } from '../../bench/runBench.js';
import { runContender, type ContenderSpec } from '../../bench/runContender.js';
import { formatBenchTable } from '../../bench/formatBenchTable.js';
import { InvalidOptionError } from '../../errors.js';
import type { BenchValues } from '../commands/bench.js';
import { retainFreedMemoryForBatch } from '../retainFreedMemory.js';

/**
 * Runs every contender of the plan the options describe, each in a fresh process, with a progress
 * bar on stderr, and prints the table (or JSON).
 * @example await runBenchCommand({ data: 'ml-100k', factors: [50], solver: ['cg'], backend: ['native', 'ts'], threads: [2], iterations: 20, runs: 5, cgSteps: 3 });
 */
export async function runBenchCommand(v: BenchValues): Promise<void> {
  if (v.phases === true) return runDataPathPhases(v);
  const plan: BenchPlan = {
    data: v.data.split(',').map((d) => d.trim()).filter((d) => d !== ''),
    factors: v.factors, solvers: v.solver, backends: v.backend, threads: v.threads,
    iterations: v.iterations, runs: v.runs, cgSteps: v.cgSteps, isas: v.isa ?? [],
  };
  if (plan.data.length === 0) throw new InvalidOptionError('--data', 'Expected at least one dataset for --data');
  const bar = new SingleBar({ format: 'bench [{bar}] {value}/{total} {contender} | ETA {eta_formatted}', stream: process.stderr, etaBuffer: 4 }, Presets.shades_classic);
  let started = false;
  const report = await runBench(plan, (done, total, current) => {
    if (!started) {
      bar.start(total, 0, { contender: '' });
      started = true;
    }
    bar.update(done, { contender: current ? describeContender(current) : 'done' });
  });
  bar.stop();
  process.stdout.write(v.json ? `${JSON.stringify(report, null, 2)}\n` : formatBenchTable(report));
}

/**
 * `bench --phases`: the data path of each --data folder, phase by phase, in this process.
 * @example await runDataPathPhases({ ...values, data: '/tmp/s10m', phases: true });
 */
async function runDataPathPhases(v: BenchValues): Promise<void> {
  const data = v.data.split(',').map((d) => d.trim()).filter((d) => d !== '');
  if (data.length === 0) throw new InvalidOptionError('--data', 'Expected at least one dataset for --data');
  const { measureDataPath, formatDataPathReport } = await import('../../bench/dataPathPhases.js');
  const reports = [];
  for (const d of data) {
    retainFreedMemoryForBatch(); // as every data-loading command does (and it loads the addon first)
    const report = await measureDataPath(d, { factors: v.factors[0]!, iterations: v.iterations, solver: v.solver[0]!, threads: v.threads[0]!, cgSteps: v.cgSteps });
    if (!v.json) process.stdout.write(formatDataPathReport(report));
    reports.push(report);
  }
  if (v.json) process.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
}

/**
 * Measures one contender in this process and prints its JSON result (the child side of bench).
 * @example await runBenchContender(JSON.stringify(spec));
 */
export async function runBenchContender(spec: string): Promise<void> {
  const result = await runContender(JSON.parse(spec) as ContenderSpec);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

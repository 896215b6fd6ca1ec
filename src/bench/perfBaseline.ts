/**
 * The committed performance baseline (bench/baseline.json): the native kernels' operation-
 * normalised speed (GFLOP/s, from operationCount.ts) on fixed workloads, and their callgrind
 * instruction count. `npm run bench:baseline` rewrites it; the perf tests compare against it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ContenderSpec } from './runContender.js';

export const BASELINE_PATH = fileURLToPath(new URL('../../bench/baseline.json', import.meta.url));

/** The workloads whose speed is tracked. */
export const BASELINE_CONTENDERS: readonly ContenderSpec[] = [
  { data: 'ml-100k', factors: 50, solver: 'cg', backend: 'native', threads: 2, iterations: 10, runs: 3, cgSteps: 3 },
  { data: 'ml-100k', factors: 50, solver: 'cholesky', backend: 'native', threads: 2, iterations: 10, runs: 3, cgSteps: 3 },
  { data: 'synth-1m', factors: 64, solver: 'cg', backend: 'native', threads: 2, iterations: 5, runs: 3, cgSteps: 3 },
  { data: 'synth-1m', factors: 64, solver: 'cholesky', backend: 'native', threads: 2, iterations: 5, runs: 3, cgSteps: 3 },
];

export interface PerfBaseline {
  readonly machine: { readonly cpu: string; readonly cores: number };
  readonly date: string;
  /** GFLOP/s (median iteration) by contender key. */
  readonly gflops: Record<string, number>;
  /** Instructions (Ir) of each kernel on bench/nativeKernel's fixed workload under callgrind, and the ISA it was built for. */
  readonly kernelInstructions: { readonly isa: string; readonly cg: number; readonly cholesky: number };
  /** The native variant the GFLOP/s figures were measured with (the loader's pick on that machine). */
  readonly variant?: string;
}

export function baselineKey(s: ContenderSpec): string {
  return `${s.data} k=${s.factors} ${s.solver} ${s.threads}t`;
}

export function readBaseline(): PerfBaseline {
  return JSON.parse(readFileSync(BASELINE_PATH, 'utf8')) as PerfBaseline;
}

export function writeBaseline(b: PerfBaseline): void {
  writeFileSync(BASELINE_PATH, `${JSON.stringify(b, null, 2)}\n`);
}

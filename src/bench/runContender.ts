/**
 * One benchmark contender, measured inside its own process (see runBench.ts): load, warm up with
 * one iteration, then `runs` fits of `iterations` iterations each.
 */
import { ALS } from '../als/model.js';
import type { Solver } from '../als/backend.js';
import { nativeInfo, type NativeVariant } from '../als/native/addon.js';
import { nnz } from '../matrix/csr.js';
import { loadBenchData } from './benchData.js';
import { iterationFlops } from './operationCount.js';

export interface ContenderSpec {
  readonly data: string;
  readonly factors: number;
  readonly solver: Solver;
  readonly backend: 'native' | 'ts';
  readonly threads: number;
  readonly iterations: number;
  readonly runs: number;
  readonly cgSteps: number;
  /** Native only: the build to run (ALSREC_ISA in the contender's process); default the loader's pick. */
  readonly isa?: NativeVariant;
}

export interface ContenderResult {
  readonly spec: ContenderSpec;
  readonly users: number;
  readonly items: number;
  readonly nnz: number;
  readonly loadSeconds: number;
  /** Peak resident set size after loading, before training (bytes). */
  readonly loadPeakRssBytes: number;
  /** Every measured iteration of every run, in seconds. */
  readonly iterationSeconds: number[];
  /** Whole fits (matrix preparation, initial factors and all iterations), in seconds. */
  readonly fitSeconds: number[];
  readonly flopsPerIteration: number;
  /** Peak resident set size of the whole process (bytes). */
  readonly peakRssBytes: number;
  /** The native build that ran (x86-64 level or native), null for the TS backend. */
  readonly variant: string | null;
}

const peakRss = () => process.resourceUsage().maxRSS * 1024;

export async function runContender(spec: ContenderSpec): Promise<ContenderResult> {
  const data = await loadBenchData(spec.data);
  const loadPeakRssBytes = peakRss();
  const m = data.interactions.matrix;
  const options = { factors: spec.factors, solver: spec.solver, backend: spec.backend, threads: spec.threads, cgSteps: spec.cgSteps };
  await new ALS({ ...options, iterations: 1 }).fit(data.interactions); // warm-up: caches, allocator, thread pool
  const iterationSeconds: number[] = [];
  const fitSeconds: number[] = [];
  for (let run = 0; run < spec.runs; run++) {
    const model = new ALS({ ...options, iterations: spec.iterations, seed: run, onIteration: (_it, s) => iterationSeconds.push(s) });
    const t0 = performance.now();
    await model.fit(data.interactions);
    fitSeconds.push((performance.now() - t0) / 1000);
  }
  return {
    spec,
    users: m.rows,
    items: m.cols,
    nnz: nnz(m),
    loadSeconds: data.loadSeconds,
    loadPeakRssBytes,
    iterationSeconds,
    fitSeconds,
    flopsPerIteration: iterationFlops({ users: m.rows, items: m.cols, nnz: nnz(m), factors: spec.factors, solver: spec.solver, cgSteps: spec.cgSteps }),
    peakRssBytes: peakRss(),
    variant: spec.backend === 'native' ? (nativeInfo()?.variant ?? null) : null,
  };
}

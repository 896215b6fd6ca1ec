/** Medians, ranges and ratios of benchmark results. */
import type { ContenderResult } from './runContender.js';

export interface Stats {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export function stats(values: readonly number[]): Stats {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length === 0 ? NaN : s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0] ?? NaN, max: s[s.length - 1] ?? NaN };
}

export interface ContenderSummary {
  readonly data: string;
  readonly backend: 'native' | 'ts';
  /** The native build that ran (v2, v3, v4, native), null for TS. */
  readonly variant: string | null;
  readonly solver: string;
  readonly factors: number;
  readonly threads: number;
  readonly nnz: number;
  readonly iteration: Stats;
  readonly fit: Stats;
  /** Ratings processed per second: nnz / median iteration time. */
  readonly ratingsPerSecond: number;
  readonly gflops: number;
  readonly peakRssMiB: number;
  readonly loadSeconds: number;
  readonly loadPeakRssMiB: number;
}

export function summarize(r: ContenderResult): ContenderSummary {
  const iteration = stats(r.iterationSeconds);
  return {
    data: r.spec.data,
    backend: r.spec.backend,
    variant: r.variant ?? null,
    solver: r.spec.solver,
    factors: r.spec.factors,
    threads: r.spec.threads,
    nnz: r.nnz,
    iteration,
    fit: stats(r.fitSeconds),
    ratingsPerSecond: r.nnz / iteration.median,
    gflops: r.flopsPerIteration / iteration.median / 1e9,
    peakRssMiB: r.peakRssBytes / 2 ** 20,
    loadSeconds: r.loadSeconds,
    loadPeakRssMiB: r.loadPeakRssBytes / 2 ** 20,
  };
}

export interface Ratio {
  readonly data: string;
  readonly solver: string;
  readonly factors: number;
  readonly threads: number;
  /** Median TS iteration time / median native iteration time. */
  readonly nativeOverTs: number;
}

/** native vs TS speed-ups for every configuration measured with both backends. */
export function nativeRatios(summaries: readonly ContenderSummary[]): Ratio[] {
  const out: Ratio[] = [];
  for (const n of summaries.filter((s) => s.backend === 'native')) {
    const t = summaries.find((s) => s.backend === 'ts' && s.data === n.data && s.solver === n.solver && s.factors === n.factors && s.threads === n.threads);
    if (t) out.push({ data: n.data, solver: n.solver, factors: n.factors, threads: n.threads, nativeOverTs: t.iteration.median / n.iteration.median });
  }
  return out;
}

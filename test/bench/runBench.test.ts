import { describe, expect, it } from 'vitest';
import { benchSchedule, contenders, describeContender, mergeRuns, type BenchPlan } from '../../src/bench/runBench.js';
import type { ContenderResult } from '../../src/bench/runContender.js';

const plan: BenchPlan = { data: ['ml-100k'], factors: [50], solvers: ['cg'], backends: ['native', 'ts'], threads: [2], iterations: 3, runs: 1, cgSteps: 3 };

describe('bench plan', () => {
  it('without --isa, one native contender runs the loader\'s pick', () => {
    expect(contenders(plan).map(describeContender)).toEqual(['ml-100k k=50 cg native 2t', 'ml-100k k=50 cg ts 2t']);
  });

  it('--isa gives one native contender per build (ALSREC_ISA in its process); TS is not multiplied', () => {
    const list = contenders({ ...plan, isas: ['v3', 'v4', 'native'] });
    expect(list.map(describeContender)).toEqual([
      'ml-100k k=50 cg native v3 2t',
      'ml-100k k=50 cg native v4 2t',
      'ml-100k k=50 cg native native 2t',
      'ml-100k k=50 cg ts 2t',
    ]);
    expect(list.map((c) => c.isa)).toEqual(['v3', 'v4', 'native', undefined]);
  });

  it('runs builds compared with --isa interleaved, a fit per process and round, the order rotating; otherwise a process per contender', () => {
    const compared = { ...plan, backends: ['native'] as const, isas: ['v4', 'native'] as const, runs: 3 };
    // The order rotates from round to round.
    expect(benchSchedule(compared)).toEqual([0, 1, 1, 0, 0, 1].map((index) => ({ index, runs: 1 })));
    expect(benchSchedule({ ...compared, isas: ['v3', 'v4', 'native'], runs: 2 }).map((r) => r.index)).toEqual([0, 1, 2, 1, 2, 0]);
    expect(benchSchedule({ ...plan, runs: 3 })).toEqual([{ index: 0, runs: 3 }, { index: 1, runs: 3 }]);
    expect(benchSchedule({ ...compared, isas: ['v4'] })).toEqual([{ index: 0, runs: 3 }]);
  });

  it('merges one contender\'s processes: every fit and iteration, the largest peaks, the median load', () => {
    const part = (runs: number, load: number, rss: number, first: number): ContenderResult => ({
      spec: { ...contenders(plan)[0]!, runs }, users: 943, items: 1682, nnz: 100_000, loadSeconds: load, loadPeakRssBytes: rss,
      iterationSeconds: Array.from({ length: runs * 3 }, (_, i) => first + i), fitSeconds: Array.from({ length: runs }, (_, i) => 10 * (first + i)),
      flopsPerIteration: 1e9, peakRssBytes: 2 * rss, variant: 'v4',
    });
    const merged = mergeRuns([part(1, 0.3, 5, 1), part(1, 0.1, 9, 100), part(1, 0.2, 7, 1000)]);
    expect(merged.spec.runs).toBe(3);
    expect(merged.iterationSeconds).toEqual([1, 2, 3, 100, 101, 102, 1000, 1001, 1002]);
    expect(merged.fitSeconds).toEqual([10, 1000, 10000]);
    expect(merged).toMatchObject({ loadSeconds: 0.2, loadPeakRssBytes: 9, peakRssBytes: 18, variant: 'v4' });
  });
});

import { describe, expect, it } from 'vitest';
import { contenders, describeContender, type BenchPlan } from '../../src/bench/runBench.js';

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
});

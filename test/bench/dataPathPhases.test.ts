import { describe, expect, it } from 'vitest';
import { formatDataPathReport, measureDataPath } from '../../src/bench/dataPathPhases.js';

const options = { factors: 8, iterations: 1, solver: 'cg', threads: 1, cgSteps: 3, recommendUsers: 5 } as const;

describe('measureDataPath (bench --phases)', () => {
  it('should ask for a folder when given a synthetic preset name', async () => {
    await expect(measureDataPath('synth-10m', options)).rejects.toThrow('--phases reads files: write synth-10m first (alsrec synth --preset synth-10m --out DIR) and pass --data DIR');
  });

  const dir = process.env['MOVIELENS_DIR'];
  if (!dir) console.warn('Skipping the --phases run on ML-100K: MOVIELENS_DIR is not set.');
  it.skipIf(!dir)('should time every phase of the ML-100K data path, in order, and print them', async () => {
    const report = await measureDataPath(dir!, options);
    expect(report.phases.map((p) => p.phase)).toEqual(['read', 'parse', 'map ids', 'order', 'merge + CSR', 'split order', 'split', 'transpose', 'train', 'recommend']);
    expect(report).toMatchObject({ ratings: 100_000, users: 943, items: 1682, nnz: 100_000 });
    expect(report.phases[0]!.bytes).toBe(report.fileBytes);
    for (const p of report.phases) expect(p.seconds).toBeGreaterThanOrEqual(0);
    expect(report.loadToSplitSeconds).toBeLessThanOrEqual(report.totalSeconds);
    // One iteration timed by the fit; the longest JS phase is one of the TypeScript ones.
    expect(report.iterationSeconds).toHaveLength(1);
    expect(report.iterationSeconds[0]).toBeGreaterThan(0);
    const js = report.phases.filter((p) => !['read', 'train', 'recommend'].includes(p.phase));
    expect(report.longestJsPhase.seconds).toBe(Math.max(...js.map((p) => p.seconds)));
    expect(js).toContain(report.longestJsPhase);
    const text = formatDataPathReport(report);
    expect(text).toContain('merge + CSR');
    expect(text).toMatch(/read -> split: \d+\.\d{3} s/);
    expect(text).toMatch(/iterations: \d+\.\d{3} s; longest JS phase: [a-z +]+ \d+\.\d{3} s = \d+\.\d{2}x the fastest iteration/);
  });
});

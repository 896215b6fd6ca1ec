/** The benchmark report as aligned plain-text tables. */
import type { BenchReport } from './runBench.js';

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c < 5 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const s3 = (x: number) => x.toFixed(x < 1 ? 4 : 3);

export function formatBenchTable(r: BenchReport): string {
  const m = r.machine;
  const head = `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}; ${r.plan.iterations} iterations x ${r.plan.runs} runs per contender, each in a fresh process after a warm-up iteration`;
  const main = table(
    ['data', 'backend', 'solver', 'k', 'thr', 'iter median s', 'iter min s', 'iter max s', 'fit median s', 'Mratings/s', 'GFLOP/s', 'peak RSS MiB', 'load s'],
    r.contenders.map((c) => [
      c.data, c.variant === null ? c.backend : `${c.backend} ${c.variant}`, c.solver, String(c.factors), String(c.threads),
      s3(c.iteration.median), s3(c.iteration.min), s3(c.iteration.max), s3(c.fit.median),
      (c.ratingsPerSecond / 1e6).toFixed(2), c.gflops.toFixed(1), c.peakRssMiB.toFixed(0), c.loadSeconds.toFixed(2),
    ]),
  );
  const ratios = r.ratios.length === 0 ? '' : `\n\nnative vs TS (median iteration time ratio):\n${table(
    ['data', 'solver', 'k', 'thr', 'x'],
    r.ratios.map((q) => [q.data, q.solver, String(q.factors), String(q.threads), `${q.nativeOverTs.toFixed(1)}x`]),
  )}`;
  // With --isa: each build's median iteration time over the -march=native build's (1.00 = as fast).
  const natives = r.contenders.filter((c) => c.variant === 'native');
  const versus = r.contenders.flatMap((c) => {
    const n = natives.find((x) => x !== c && x.data === c.data && x.solver === c.solver && x.factors === c.factors && x.threads === c.threads);
    return c.backend === 'native' && c.variant !== 'native' && n ? [[c.data, c.variant ?? '?', c.solver, String(c.factors), String(c.threads), `${(c.iteration.median / n.iteration.median).toFixed(3)}`]] : [];
  });
  const variants = versus.length === 0 ? '' : `\n\nnative builds vs -march=native (median iteration time ratio; < 1.05 = within 5%):\n${table(['data', 'build', 'solver', 'k', 'thr', 'time / native'], versus)}`;
  return `${head}\n\n${main}${ratios}${variants}\n`;
}

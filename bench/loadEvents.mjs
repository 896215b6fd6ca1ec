#!/usr/bin/env node
/**
 * Benchmark of the generic loader (issue 12 / 17 targets): each run in a fresh process, reporting
 * wall seconds, CPU seconds and peak RSS of `loadInteractions` alone, median over --runs.
 *
 *   npm run build
 *   node bench/loadEvents.mjs online-retail                       # ../shared/data/online-retail
 *   node bench/loadEvents.mjs synth data/synth-10m                # alsrec synth --preset synth-10m
 *   node bench/loadEvents.mjs synth data/synth-10m-strings        # ... --string-ids
 *   node bench/loadEvents.mjs synth data/synth-10m --threads 1    # serial parse
 *
 * Options: --runs N (default 3), --threads N (parsing workers), --json.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const at = args.indexOf(name);
  return at === -1 ? fallback : args[at + 1];
};
const runs = Number(flag('--runs', '3'));
const threads = flag('--threads', undefined);
const [which, dir] = args;
const cases = {
  'online-retail': {
    path: resolve('../shared/data/online-retail/online-retail.csv.gz'),
    options: { userColumn: 'CustomerID', itemColumn: 'StockCode', weightColumn: 'Quantity', timeColumn: 'InvoiceDate', titleColumn: 'Description' },
  },
  synth: {
    path: resolve(dir ?? 'data/synth-10m', 'ratings.csv'),
    options: { userColumn: 'userId', itemColumn: 'movieId', weightColumn: 'rating', timeColumn: 'timestamp' },
  },
};
const chosen = cases[which];
if (chosen === undefined) {
  console.error(`usage: node bench/loadEvents.mjs online-retail | synth DIR [--runs N] [--threads N] [--json]`);
  process.exit(2);
}
const options = { ...chosen.options, ...(threads === undefined ? {} : { threads: Number(threads) }) };
const child = `
  const { loadInteractions } = await import(${JSON.stringify(resolve('dist/data/events/loadInteractions.js'))});
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const { summary } = await loadInteractions(${JSON.stringify(chosen.path)}, ${JSON.stringify(options)});
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(JSON.stringify({ wall, cpu: (cpu.user + cpu.system) / 1e6, maxRssMiB: process.resourceUsage().maxRSS / 1024, kept: summary.kept, users: summary.users, items: summary.items, threads: summary.threads }));
`;
const results = [];
for (let r = 0; r < runs; r++) {
  results.push(JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', child], { encoding: 'utf8', maxBuffer: 1 << 20 })));
}
const median = (key) => results.map((x) => x[key]).sort((a, b) => a - b)[Math.floor(results.length / 2)];
const report = { case: which, path: chosen.path, runs, wallSeconds: median('wall'), cpuSeconds: median('cpu'), maxRssMiB: Math.max(...results.map((x) => x.maxRssMiB)), kept: results[0].kept, users: results[0].users, items: results[0].items, threads: results[0].threads, all: results };
if (args.includes('--json')) console.log(JSON.stringify(report, null, 2));
else console.log(`${which} ${chosen.path}: ${report.kept.toLocaleString('en-US')} events, ${report.users} users, ${report.items} items; median of ${runs}: ${report.wallSeconds.toFixed(2)} s wall, ${report.cpuSeconds.toFixed(2)} s CPU (all threads); peak RSS ${report.maxRssMiB.toFixed(0)} MiB; ${report.threads} parsing thread(s)`);

#!/usr/bin/env node
/**
 * Training time with string ids against integer ids on the same data (issue 12: within 5%; ids
 * never enter the kernels): both files loaded and indexed, then ALS fits alternating in this
 * process, ROUNDS each; prints per-fit wall and CPU seconds and the ratios of the medians.
 *
 *   npm run build
 *   alsrec synth --preset synth-10m --out /tmp/s10m
 *   alsrec synth --preset synth-10m --string-ids --out /tmp/s10m-str
 *   node bench/fitStringIds.mjs /tmp/s10m/ratings.csv /tmp/s10m-str/ratings.csv 3
 */
import { loadavg } from 'node:os';
import { ALS, indexInteractions, loadInteractions } from '../dist/index.js';

const [intFile, stringFile, roundsArg] = process.argv.slice(2);
if (intFile === undefined || stringFile === undefined) {
  console.error('usage: node bench/fitStringIds.mjs INT_IDS.csv STRING_IDS.csv [ROUNDS]');
  process.exit(2);
}
const rounds = Number(roundsArg ?? 3);
const options = { userColumn: 'userId', itemColumn: 'movieId', weightColumn: 'rating', timeColumn: 'timestamp' };
const build = async (file) => indexInteractions((await loadInteractions(file, options)).events, { aggregate: 'sum' }).interactions;
const sets = { int: await build(intFile), string: await build(stringFile) };
const runs = { int: [], string: [] };
for (let r = 0; r < rounds; r++) {
  for (const kind of r % 2 === 0 ? ['int', 'string'] : ['string', 'int']) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await new ALS({ factors: 64, iterations: 2, solver: 'cg', seed: 0 }).fit(sets[kind]);
    const cpu = process.cpuUsage(cpu0);
    runs[kind].push({ wall: (performance.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6, load: loadavg()[0] });
  }
}
const median = (values) => values.slice().sort((a, b) => a - b)[values.length >> 1];
for (const kind of ['int', 'string']) console.log(kind, JSON.stringify(runs[kind]));
const wall = median(runs.string.map((r) => r.wall)) / median(runs.int.map((r) => r.wall));
const cpu = median(runs.string.map((r) => r.cpu)) / median(runs.int.map((r) => r.cpu));
console.log(`string / int ids: wall ${wall.toFixed(3)}, CPU ${cpu.toFixed(3)} (medians of ${rounds})`);

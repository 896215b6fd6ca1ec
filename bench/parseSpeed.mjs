#!/usr/bin/env node
/**
 * Parsing speed (issue 17): one case in this process, printing a JSON line with wall seconds, CPU
 * seconds (user + system, worker threads included) and peak RSS. Run each case in a fresh process,
 * alternating builds, to compare them on a shared machine.
 *
 *   npm run build
 *   node bench/parseSpeed.mjs dist ml DIR                 # readMlCsv (MovieLens preset) on DIR
 *   node bench/parseSpeed.mjs dist events FILE 1          # loadInteractions, serial
 *   node bench/parseSpeed.mjs dist events FILE 2          # loadInteractions, 2 workers
 *
 * FILE has the columns userId, movieId, rating, timestamp (`alsrec synth` output, with or without
 * --string-ids); DIST is a compiled dist/ folder (another build's, to compare).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dist, kind, path, threads] = process.argv.slice(2);
if (dist === undefined || !['ml', 'events'].includes(kind) || path === undefined) {
  console.error('usage: node bench/parseSpeed.mjs DIST ml DIR | DIST events FILE [THREADS]');
  process.exit(2);
}
const base = pathToFileURL(resolve(dist)).href;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
let rows;
if (kind === 'ml') {
  const { readMlCsv } = await import(`${base}/data/readMlCsv.js`);
  rows = (await readMlCsv(path)).ratings.length;
} else {
  const { loadInteractions } = await import(`${base}/data/events/loadInteractions.js`);
  const options = { userColumn: 'userId', itemColumn: 'movieId', weightColumn: 'rating', timeColumn: 'timestamp', ...(threads === undefined ? {} : { threads: Number(threads) }) };
  rows = (await loadInteractions(path, options)).events.length;
}
const cpu = process.cpuUsage(cpu0);
console.log(JSON.stringify({ dist, kind, path, threads: threads ?? null, rows, wall: (performance.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6, peakRssMiB: process.resourceUsage().maxRSS / 1024 }));

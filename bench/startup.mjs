#!/usr/bin/env node
// Start-up time of the built package, whole process, wall clock: `alsrec --version`,
// `import('alsrec')` and the main job (`alsrec train` on ML-100K, the command `npm start` runs;
// npm's own start-up is not included). Each command runs
// --runs times after --warmup runs, the commands interleaved round-robin so that a neighbour's
// burst of load hits them all alike; it prints the median and min-max of each and whether the
// target is met. With --compare DIR it also runs the same commands from another build of the
// package (a folder holding its package.json and dist/, e.g. a copy of main), interleaved too, and
// prints the ratios. Each run's CPU time (user + system) is reported beside its wall time. Not a
// test: timings on a shared machine are noisy, so compare within a run.
//
// Each command runs twice per round: with the environment as given, and with NODE_EXTRA_CA_CERTS
// unset (when it is set). Node reads that file of certificates at start-up, before any of our
// code (~40 ms on this machine); both figures are printed, labelled, so that a target met only
// without it is not reported as met. The package never unsets it for its users.
//
// Needs the compiled package (`npm run build`) and, for the main job, MOVIELENS_DIR or --data.
//
//   node bench/startup.mjs [--runs 5] [--warmup 1] [--data data/ml-100k] [--compare DIR] [--json]
//
// Targets (issue 10): --version <= 0.12 s, import('alsrec') <= 0.10 s, npm start on ML-100K
// <= 0.35 s; medians of 5.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    data: { type: 'string' },
    compare: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const runs = Number(args.runs);
const warmup = Number(args.warmup);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`Expected an integer >= 1 for --runs but received "${args.runs}"`);
if (!Number.isInteger(warmup) || warmup < 0) throw new Error(`Expected an integer >= 0 for --warmup but received "${args.warmup}"`);
const data = args.data ?? process.env.MOVIELENS_DIR;
if (data === undefined) throw new Error('Give --data DIR or set MOVIELENS_DIR (MovieLens 100K) for the main job');

const here = fileURLToPath(new URL('..', import.meta.url));
const roots = [['this', resolve(here)], ...(args.compare ? [['compare', resolve(args.compare)]] : [])];
for (const [, root] of roots) {
  if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) throw new Error(`${root}/dist is missing: run npm run build there`);
}

/** The commands for one package root, as [name, argv, target seconds]. */
function commands(root) {
  const cli = join(root, 'dist', 'cli', 'main.js');
  return [
    ['alsrec --version', [cli, '--version'], 0.12],
    ["import('alsrec')", ['-e', `import(${JSON.stringify(join(root, 'dist', 'index.js'))})`], 0.1],
    // npm start's command; `npm start` itself adds npm's own start-up on top.
    ['alsrec train (npm start)', [cli, 'train', '--data', data], 0.35],
  ];
}

// The child's own CPU time (user + system, from process start), written at exit: on a machine
// shared with other work, wall time includes waiting for a core and CPU time does not.
const scratch = mkdtempSync(join(tmpdir(), 'alsrec-startup-'));
const cpuFile = join(scratch, 'cpu');
const probe = `data:text/javascript,import { writeFileSync } from 'node:fs'; process.on('exit', () => { const u = process.cpuUsage(); writeFileSync(${JSON.stringify(cpuFile)}, String((u.user + u.system) / 1e6)); });`;

/** One run's wall and CPU time in seconds; a failed run is an error, not a time. */
function timeOnce(argv, env) {
  writeFileSync(cpuFile, '');
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', probe, ...argv], { env, stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`node ${argv.join(' ')} failed (${r.status ?? r.signal}): ${String(r.stderr).trim().split('\n')[0]}`);
  return { seconds, cpuSeconds: Number(readFileSync(cpuFile, 'utf8')) };
}

/** The environments each command runs in: as given, and without NODE_EXTRA_CA_CERTS if it is set. */
const caCerts = process.env.NODE_EXTRA_CA_CERTS;
const environments = [
  { envLabel: caCerts === undefined ? 'as given (NODE_EXTRA_CA_CERTS not set)' : `as given (NODE_EXTRA_CA_CERTS=${caCerts})`, env: process.env },
  ...(caCerts === undefined ? [] : [{ envLabel: 'NODE_EXTRA_CA_CERTS unset', env: (({ NODE_EXTRA_CA_CERTS: _unset, ...rest }) => rest)(process.env) }]),
];

const jobs = environments.flatMap(({ envLabel, env }) => [
  // The floor: Node itself, so the figures above it can be read on a busy machine.
  { envLabel, env, label: 'this', name: 'node -e 0 (Node alone)', argv: ['-e', '0'], target: null, times: [], cpu: [] },
  ...roots.flatMap(([label, root]) => commands(root).map(([name, argv, target]) => ({ envLabel, env, label, name, argv, target, times: [], cpu: [] }))),
]);

const loadBefore = loadavg()[0];
for (let round = 0; round < warmup + runs; round++) {
  for (const job of jobs) {
    const { seconds, cpuSeconds } = timeOnce(job.argv, job.env);
    if (round >= warmup) {
      job.times.push(seconds);
      job.cpu.push(cpuSeconds);
    }
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const results = jobs.map((j) => ({
  environment: j.envLabel,
  build: j.label,
  command: j.name,
  medianSeconds: median(j.times),
  minSeconds: Math.min(...j.times),
  maxSeconds: Math.max(...j.times),
  medianCpuSeconds: median(j.cpu),
  targetSeconds: j.target,
  met: j.target === null ? null : median(j.times) <= j.target,
}));
rmSync(scratch, { recursive: true, force: true });
const report = { node: process.version, runs, warmup, loadAverage: [loadBefore, loadavg()[0]], results };

if (args.json) {
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} else {
  const f = (s) => s.toFixed(3);
  console.log(`start-up, wall clock, median (min-max) of ${runs} runs; load average ${loadBefore.toFixed(1)} -> ${loadavg()[0].toFixed(1)}`);
  let shown;
  for (const r of results) {
    if (r.environment !== shown) {
      shown = r.environment;
      console.log(`environment ${shown}:`);
    }
    const versus = r.build === 'this' ? results.find((o) => o.build === 'compare' && o.command === r.command && o.environment === r.environment) : undefined;
    const ratio = versus
      ? `; --compare ${f(versus.medianSeconds)} s, CPU ${f(versus.medianCpuSeconds)} s: ${(versus.medianSeconds / r.medianSeconds).toFixed(2)}x / ${(versus.medianCpuSeconds / r.medianCpuSeconds).toFixed(2)}x`
      : '';
    if (r.build === 'this') {
      console.log(`  ${r.command.padEnd(28)} ${f(r.medianSeconds)} s (${f(r.minSeconds)}-${f(r.maxSeconds)}), CPU ${f(r.medianCpuSeconds)} s${r.targetSeconds === null ? '' : `; target <= ${r.targetSeconds} s wall: ${r.met ? 'met' : 'NOT met'}`}${ratio}`);
    }
  }
}

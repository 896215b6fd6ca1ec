#!/usr/bin/env node
// Production load test of `alsrec serve` (issue 14): the real CLI in its own process(es), autocannon
// on 127.0.0.1 against GET /users/:id/recommendations?n=10 for random users, while the model is
// reloaded through POST /admin/reload (alternating two model files, once a corrupt file) and,
// optionally, a worker is killed with SIGKILL. Reports requests/s, latency percentiles, errors,
// non-2xx answers, whether sampled bodies match one of the two models exactly, and the memory of
// each server process. Not a test: it prints figures (JSON with --json) and says whether the
// targets were met; the load generator shares the machine's cores with the server.
//
// Needs the compiled package (`npm run build`) and two model files of the same data:
//
//   node bench/serveProduction.mjs --model-a a.alsrec --model-b b.alsrec [--workers 1|2|auto]
//        [--duration 15] [--connections 20] [--reloads 10] [--corrupt] [--kill-worker] [--json]
//
// Targets (issue 14, with reloads): zero errors, zero non-2xx, p99 <= 25 ms, every sampled body
// from one of the two models.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    'model-a': { type: 'string' },
    'model-b': { type: 'string' },
    workers: { type: 'string', default: '1' },
    duration: { type: 'string', default: '15' },
    connections: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    reloads: { type: 'string', default: '10' },
    corrupt: { type: 'boolean', default: false },
    'kill-worker': { type: 'boolean', default: false },
    'sample-every': { type: 'string', default: '25' },
    json: { type: 'boolean', default: false },
  },
});
if (!args['model-a'] || !args['model-b']) {
  process.stderr.write('usage: node bench/serveProduction.mjs --model-a a.alsrec --model-b b.alsrec [--workers N] [--reloads 10] [--corrupt] [--kill-worker]\n');
  process.exit(2);
}
const TARGET = { p99Ms: 25 };
const TOKEN = 'bench-token';
const cli = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const dist = new URL('../dist/', import.meta.url);
const duration = Number(args.duration);
const reloads = Number(args.reloads);

const tmp = mkdtempSync(join(tmpdir(), 'alsrec-bench-serve-'));
const corruptFile = join(tmp, 'corrupt.alsrec');
// A truncated copy of model A: the loader must refuse it (and the server keep its model).
const bytesA = readFileSync(args['model-a']);
writeFileSync(corruptFile, bytesA.subarray(0, Math.floor(bytesA.length / 2)));

const server = spawn(process.execPath, [cli, 'serve', '--model', args['model-a'], '--port', '0', '--workers', args.workers, '--log-level', 'warn'], {
  env: { ...process.env, ALSREC_ADMIN_TOKEN: TOKEN },
  stdio: ['ignore', 'ignore', 'pipe'],
});
let serverLog = '';
server.stderr.on('data', (d) => (serverLog += d.toString()));
const address = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`the server did not start:\n${serverLog}`)), 120_000);
  server.stderr.on('data', () => {
    const m = /serving .* at (http:\/\/[^ ]+)/.exec(serverLog);
    if (m) {
      clearTimeout(timer);
      resolve(m[1]);
    }
  });
  server.on('exit', (code) => reject(new Error(`the server exited with code ${code}:\n${serverLog}`)));
});

const health = await (await fetch(`${address}/health`)).json();
const { ALS } = await import(new URL('index.js', dist).href);
const users = Array.from((await ALS.load(args['model-a'])).state.users.ids);

const { default: autocannon } = await import('autocannon');
const samples = [];
let counter = 0;
const run = (seconds, sample) =>
  new Promise((resolve, reject) => {
    autocannon(
      {
        url: address,
        connections: Number(args.connections),
        duration: seconds,
        requests: [
          {
            method: 'GET',
            setupRequest: (req) => ({ ...req, path: `/users/${users[Math.floor(Math.random() * users.length)]}/recommendations?n=10` }),
            onResponse: (status, body, context, headers) => {
              if (sample && counter++ % Number(args['sample-every']) === 0) samples.push({ status, body, etag: headerValue(headers, 'etag') });
            },
          },
        ],
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });

await run(Number(args.warmup), false);

/** RSS of the server processes in MiB: the CLI process and, with workers, each worker. */
const memory = () => {
  const pids = [server.pid, ...childPids(server.pid)];
  return pids.map((pid) => {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return { pid, role: pid === server.pid ? (Number(args.workers) > 1 || args.workers === 'auto' ? 'primary' : 'server') : 'worker', rssMiB: Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 102.4) / 10 };
  });
};
const memoryBefore = memory();

// Reloads spread over the run; the corrupt file between the 5th and the 6th.
const reloadLog = [];
const reload = async (file) => {
  const t0 = performance.now();
  const res = await fetch(`${address}/admin/reload`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: file }) });
  const body = await res.json();
  reloadLog.push({ file, status: res.status, ok: body.ok, workers: body.results?.length ?? 0, ms: Math.round(performance.now() - t0) });
};
const plan = [];
for (let i = 0; i < reloads; i++) {
  plan.push(i % 2 === 0 ? args['model-b'] : args['model-a']);
  if (args.corrupt && i === Math.floor(reloads / 2) - 1) plan.push(corruptFile);
}
const spacingMs = (duration * 1000 * 0.9) / (plan.length + 1);
let killed = null;
const events = (async () => {
  for (let i = 0; i < plan.length; i++) {
    await sleep(spacingMs);
    await reload(plan[i]);
    if (args['kill-worker'] && i === Math.floor(plan.length / 3) && killed === null) {
      const workers = memory().filter((p) => p.role === 'worker');
      if (workers.length > 0) {
        killed = { pid: workers[0].pid, atSecond: Math.round(((i + 1) * spacingMs) / 100) / 10 };
        process.kill(workers[0].pid, 'SIGKILL');
      }
    }
  }
})();
const result = await run(duration, true);
await events;
const memoryAfter = memory();
const healthAfter = await (await fetch(`${address}/health`)).json();
server.kill('SIGTERM');
const exitCode = await new Promise((resolve) => server.on('exit', resolve));

// Which model answered each sampled body: recompute the same URLs on in-process servers over A and B.
const { createServer } = await import(new URL('serve/index.js', dist).href);
const appA = createServer(await ALS.load(args['model-a']));
const appB = createServer(await ALS.load(args['model-b']));
const match = { a: 0, b: 0, neither: 0, non200: 0 };
for (const s of samples) {
  if (s.status !== 200) {
    match.non200++;
    continue;
  }
  const userId = JSON.parse(s.body).userId;
  const url = `/users/${userId}/recommendations?n=10`;
  if (s.body === (await appA.inject(url)).body) match.a++;
  else if (s.body === (await appB.inject(url)).body) match.b++;
  else match.neither++;
}
await appA.close();
await appB.close();
rmSync(tmp, { recursive: true, force: true });

const figures = {
  endpoint: 'GET /users/:id/recommendations?n=10 (random user ids)',
  model: { users: users.length, movies: health.model.movies, factors: health.model.factors, scoring: health.model.scoring },
  settings: { workers: args.workers, connections: Number(args.connections), durationSeconds: duration, warmupSeconds: Number(args.warmup), reloads: plan.length, corrupt: args.corrupt, killWorker: args['kill-worker'] },
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version, note: 'autocannon runs on the same machine and shares its cores' },
  requests: { total: result.requests.total, perSecondMean: Math.round(result.requests.average), perSecondMin: result.requests.min },
  latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
  errors: { connection: result.errors, timeouts: result.timeouts, resets: result.resets ?? 0, non2xx: result.non2xx },
  reloads: reloadLog,
  killed,
  samples: { taken: samples.length, ...match },
  memory: { before: memoryBefore, after: memoryAfter },
  healthAfter: { checksum: healthAfter.model.checksum.slice(0, 16), file: healthAfter.model.file, reload: healthAfter.reload },
  serverExitCode: exitCode,
};
const met = {
  noErrors: result.errors + result.timeouts + result.non2xx === 0,
  p99: result.latency.p99 <= TARGET.p99Ms,
  bodiesFromOneModel: match.neither === 0 && match.non200 === 0,
  reloadsAsExpected: reloadLog.every((r) => (r.file === corruptFile ? r.status === 422 : r.status === 200)),
  exit0: exitCode === 0,
};
if (args.json) {
  process.stdout.write(`${JSON.stringify({ ...figures, targets: TARGET, met }, null, 2)}\n`);
} else {
  const lines = [
    `alsrec serve production load: ${figures.endpoint}, --workers ${args.workers}`,
    `  model: ${users.length} users x ${figures.model.movies} movies, ${figures.model.factors} factors, ${figures.model.scoring} scoring; ${figures.settings.connections} connections, ${duration} s after ${figures.settings.warmupSeconds} s warm-up`,
    `  machine: ${figures.machine.cpus} x ${figures.machine.cpu}, Node ${process.version}; autocannon shares these cores`,
    `  requests/s: ${figures.requests.perSecondMean} mean (min ${figures.requests.perSecondMin}), ${figures.requests.total} in total`,
    `  latency ms: p50 ${figures.latencyMs.p50}, p90 ${figures.latencyMs.p90}, p99 ${figures.latencyMs.p99}, max ${figures.latencyMs.max}  [target p99 <= ${TARGET.p99Ms}: ${met.p99 ? 'met' : 'MISSED'}]`,
    `  errors: ${result.errors} connection, ${result.timeouts} timeouts, ${result.resets ?? 0} resets, ${result.non2xx} non-2xx  [target 0: ${met.noErrors ? 'met' : 'MISSED'}]`,
    `  reloads: ${reloadLog.map((r) => `${r.file === corruptFile ? 'corrupt' : r.file === args['model-a'] ? 'A' : 'B'}:${r.status}(${r.ms} ms)`).join(' ')}  [${met.reloadsAsExpected ? 'as expected' : 'UNEXPECTED'}]`,
    killed ? `  killed worker pid ${killed.pid} with SIGKILL at ~${killed.atSecond} s` : '  no worker killed',
    `  sampled bodies: ${samples.length}; model A ${match.a}, model B ${match.b}, neither ${match.neither}, non-200 ${match.non200}  [${met.bodiesFromOneModel ? 'met' : 'MISSED'}]`,
    `  RSS MiB before: ${memoryBefore.map((m) => `${m.role} ${m.rssMiB}`).join(', ')}; after: ${memoryAfter.map((m) => `${m.role} ${m.rssMiB}`).join(', ')}`,
    `  server exit code after SIGTERM: ${exitCode}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
if (!met.noErrors || !met.bodiesFromOneModel || !met.exit0) process.exitCode = 1;

/** The live child processes of `pid`, from /proc (Linux). */
function childPids(pid) {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return Number(ppid) === pid && state !== 'Z';
      } catch {
        return false;
      }
    })
    .map(Number);
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function headerValue(headers, name) {
  // autocannon passes the raw header list [name, value, name, value, ...]
  if (Array.isArray(headers)) {
    for (let i = 0; i < headers.length; i += 2) if (String(headers[i]).toLowerCase() === name) return String(headers[i + 1]);
    return undefined;
  }
  return headers?.[name];
}

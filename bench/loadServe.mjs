#!/usr/bin/env node
// Load test of `alsrec serve`: GET /users/:id/recommendations?n=10 over random user ids of
// MovieLens 100K (--route get, the default), or POST /recommendations with a new user's 10 random
// ratings (--route post: the fold-in), with autocannon on 127.0.0.1, against the server in its own process (so the
// load generator does not share the server's event loop). Reports requests/s, latency
// percentiles, errors and the server's RSS before, during and after. Not a test: it prints
// figures (and JSON with --json) and says whether the targets were met.
//
// Needs the compiled package: `npm run build` first.
//
//   node bench/loadServe.mjs [--model m.alsrec | --data data/ml-100k] [--duration 10]
//                            [--connections 20] [--warmup 3] [--log info|off] [--json]
//                            [--route get|post]
//
// With the native addon built, recommendations use its top-n kernel; ALSREC_BACKEND=ts measures
// the TypeScript route instead.
//
// Targets: GET (issue 7) >= 5,000 requests/s, POST (issue 11) >= 2,000 requests/s; p99 <= 20 ms,
// zero errors, flat RSS.
import { fork } from 'node:child_process';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { cpus, loadavg } from 'node:os';

const { values: args } = parseArgs({
  options: {
    model: { type: 'string' },
    data: { type: 'string' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    log: { type: 'string', default: 'info' },
    json: { type: 'boolean', default: false },
    route: { type: 'string', default: 'get' },
    'serve-child': { type: 'boolean', default: false },
  },
});

if (args.route !== 'get' && args.route !== 'post') throw new Error(`--route must be get or post, not ${args.route}`);
const TARGET = { requestsPerSecond: args.route === 'post' ? 2000 : 5000, p99Ms: 20 };

if (args['serve-child']) {
  // The child's stderr is /dev/null (it carries the request log): report a failure over IPC.
  await serveChild().catch((err) => {
    process.send({ error: err.stack ?? String(err) });
    process.exitCode = 1;
  });
} else {
  await runLoad();
}

/** The server process: load or train the model, listen on 127.0.0.1:0, answer RSS queries. */
async function serveChild() {
  const dist = new URL('../dist/', import.meta.url);
  const { ALS, loadMovieLens, buildInteractions, resolveDataDir } = await import(new URL('index.js', dist).href);
  const { createServer } = await import(new URL('serve/index.js', dist).href);
  let model;
  if (args.model) {
    model = await ALS.load(args.model);
  } else {
    const dataset = await loadMovieLens(resolveDataDir(args.data));
    model = await new ALS({ factors: 50, iterations: 20 }).fit(buildInteractions(dataset));
  }
  // As the CLI logs (one JSON line per request on stderr); stderr goes to /dev/null here.
  const logger = args.log === 'off' ? false : { level: args.log, stream: process.stderr };
  const app = createServer(model, { logger });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const users = Array.from(model.state.users.ids);
  const movies = Array.from(model.state.items.ids);
  const health = (await app.inject('/health')).json();
  process.on('message', (msg) => {
    if (msg === 'rss') process.send({ rss: process.memoryUsage().rss });
    if (msg === 'stop') app.close().then(() => process.disconnect());
  });
  process.send({ address, users, movieIds: movies, factors: model.options.factors, movies: model.state.items.size, scoring: health.model.scoring });
}

async function runLoad() {
  const { default: autocannon } = await import('autocannon');
  const child = fork(fileURLToPath(import.meta.url), ['--serve-child', ...process.argv.slice(2)], { stdio: ['ignore', 'inherit', 'ignore', 'ipc'] });
  const ask = messenger(child);
  const ready = await ask(null);
  if (ready.error) throw new Error(`the server process failed: ${ready.error}`);
  const rss = async () => ((await ask('rss')).rss / 2 ** 20);

  const users = ready.users;
  const pick = (list) => list[Math.floor(Math.random() * list.length)];
  // A random user per request, so no cache or branch predictor sees the same row twice in a row;
  // for POST, a new user with 10 distinct random movies rated 1..5.
  const getRequest = { method: 'GET', setupRequest: (req) => ({ ...req, path: `/users/${pick(users)}/recommendations?n=10` }) };
  const newUserBody = () => {
    const chosen = new Set();
    while (chosen.size < 10) chosen.add(pick(ready.movieIds));
    return JSON.stringify({ ratings: [...chosen].map((movieId) => ({ movieId, rating: 1 + Math.floor(Math.random() * 5) })), n: 10 });
  };
  const postRequest = {
    method: 'POST',
    path: '/recommendations',
    headers: { 'content-type': 'application/json' },
    setupRequest: (req) => ({ ...req, body: newUserBody() }),
  };
  const run = (seconds) => new Promise((resolve, reject) => {
    autocannon({
      url: ready.address,
      connections: Number(args.connections),
      duration: Number(seconds),
      requests: [args.route === 'post' ? postRequest : getRequest],
    }, (err, result) => (err ? reject(err) : resolve(result)));
  });

  await run(Number(args.warmup)); // JIT warm-up, not measured
  const rssBefore = await rss();
  const during = [];
  const sampler = setInterval(() => { rss().then((v) => during.push(v)); }, 1000);
  const load1 = loadavg()[0];
  const result = await run(Number(args.duration));
  clearInterval(sampler);
  const rssAfter = await rss();
  child.send('stop');

  const figures = {
    endpoint: args.route === 'post' ? 'POST /recommendations (a new user, 10 random ratings, n=10)' : 'GET /users/:id/recommendations?n=10 (random user ids)',
    model: { users: users.length, movies: ready.movies, factors: ready.factors, source: args.model ?? 'trained on MovieLens 100K in the server process', scoring: ready.scoring },
    settings: { connections: Number(args.connections), durationSeconds: Number(args.duration), warmupSeconds: Number(args.warmup), log: args.log },
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version, loadAverage1mAtStart: Number(load1.toFixed(2)) },
    requests: { total: result.requests.total, perSecondMean: Math.round(result.requests.average), perSecondMin: result.requests.min },
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, mean: Number(result.latency.average.toFixed(2)) },
    errors: { connection: result.errors, timeouts: result.timeouts, non2xx: result.non2xx },
    rssMiB: { before: round1(rssBefore), duringMax: round1(Math.max(...during, rssBefore)), after: round1(rssAfter), samples: during.map(round1) },
  };
  const met = {
    throughput: figures.requests.perSecondMean >= TARGET.requestsPerSecond,
    p99: figures.latencyMs.p99 <= TARGET.p99Ms,
    noErrors: result.errors + result.timeouts + result.non2xx === 0,
  };
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ ...figures, targets: TARGET, met }, null, 2)}\n`);
  } else {
    const lines = [
      `alsrec serve load test: ${figures.endpoint}`,
      `  model: ${users.length} users x ${ready.movies} movies, ${ready.factors} factors, ${ready.scoring} scoring; ${figures.settings.connections} connections, ${figures.settings.durationSeconds} s after ${figures.settings.warmupSeconds} s warm-up; request log ${args.log}`,
      `  machine: ${figures.machine.cpus} x ${figures.machine.cpu}, Node ${process.version}, load average ${figures.machine.loadAverage1mAtStart} at start`,
      `  requests/s: ${figures.requests.perSecondMean} mean (min ${figures.requests.perSecondMin}), ${figures.requests.total} in total  [target >= ${TARGET.requestsPerSecond}: ${met.throughput ? 'met' : 'MISSED'}]`,
      `  latency ms: p50 ${figures.latencyMs.p50}, p90 ${figures.latencyMs.p90}, p99 ${figures.latencyMs.p99}, max ${figures.latencyMs.max}  [target p99 <= ${TARGET.p99Ms}: ${met.p99 ? 'met' : 'MISSED'}]`,
      `  errors: ${result.errors} connection, ${result.timeouts} timeouts, ${result.non2xx} non-2xx  [target 0: ${met.noErrors ? 'met' : 'MISSED'}]`,
      `  server RSS MiB: ${figures.rssMiB.before} before, ${figures.rssMiB.duringMax} max during, ${figures.rssMiB.after} after`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  if (!met.noErrors) process.exitCode = 1;
}

/** ask(msg) sends `msg` (null: send nothing) and resolves with the child's next reply, in order. */
function messenger(child) {
  const waiting = [];
  child.on('message', (reply) => waiting.shift()?.resolve(reply));
  child.on('exit', (code) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`the server process exited with code ${code}`));
  });
  return (msg) => new Promise((resolve, reject) => {
    waiting.push({ resolve, reject });
    if (msg !== null) child.send(msg);
  });
}

function round1(x) {
  return Math.round(x * 10) / 10;
}

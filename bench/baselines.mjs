// Benchmark of the baselines on ML-100K (temporal leave-last-out train split), against ALS in the
// same run: fit time of EASE (native), ItemKNN, and ALS (seed configuration, native), and the time
// to evaluate the 943 test users (top-10 + metrics, no AUC). Each contender runs in a fresh process;
// after one warm-up, the median of `--runs` (default 5). Targets (issue 16): EASE fit <= 1 s,
// ItemKNN fit <= 0.5 s, evaluation of 943 users <= 100 ms each. Prints a table and, with --json,
// one JSON document.
//
//   npm run build && MOVIELENS_DIR=/path/to/ml-100k node bench/baselines.mjs [--runs 5] [--json]
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const dist = new URL('../dist/', import.meta.url);
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] ?? 5) || 5;

async function contender(name) {
  const { loadMovieLens } = await import(new URL('data/loadMovieLens.js', dist));
  const { buildInteractions } = await import(new URL('matrix/interactions.js', dist));
  const { temporalLeaveLastOut } = await import(new URL('eval/temporalLeaveLastOut.js', dist));
  const { fitEase } = await import(new URL('eval/ease.js', dist));
  const { fitItemKnn } = await import(new URL('eval/itemKnn.js', dist));
  const { ALS } = await import(new URL('als/model.js', dist));
  const { evaluate } = await import(new URL('eval/evaluate.js', dist));
  const dataset = await loadMovieLens(process.env.MOVIELENS_DIR);
  const all = buildInteractions(dataset);
  const split = temporalLeaveLastOut(dataset.ratings);
  const train = buildInteractions(split.train, all);
  const test = buildInteractions(split.test, all);
  const fit = {
    'ease (native, lambda 100)': () => fitEase(train, { regularization: 100, backend: 'native' }),
    'itemknn (cosine, K 20)': async () => fitItemKnn(train, { neighbours: 20 }),
    'itemknn (bm25, K 100)': async () => fitItemKnn(train, { neighbours: 100, weighting: 'bm25' }),
    'als (seed configuration, native)': () => new ALS({ backend: 'native' }).fit(train),
  }[name];
  // Wall time, and CPU time of the process (all threads): on a shared machine the wall time
  // includes waiting for a core, the CPU time does not.
  const fits = [];
  const fitCpu = [];
  const evals = [];
  const evalCpu = [];
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
  for (let r = 0; r <= runs; r++) {
    const c0 = cpu();
    const t0 = performance.now();
    const model = await fit();
    const t1 = performance.now();
    const c1 = cpu();
    const e = await evaluate(model, train, test, { k: 10, auc: false });
    const c2 = cpu();
    if (r > 0) (fits.push((t1 - t0) / 1000), fitCpu.push(c1 - c0), evals.push(e.seconds), evalCpu.push(c2 - c1));
  }
  const median = (x) => [...x].sort((a, b) => a - b)[x.length >> 1];
  return { name, fitSeconds: median(fits), fitCpuSeconds: median(fitCpu), evaluateSeconds: median(evals), evaluateCpuSeconds: median(evalCpu), users: e943(test) };
}

function e943(test) {
  let users = 0;
  for (let u = 0; u < test.matrix.rows; u++) if (test.matrix.indptr[u + 1] > test.matrix.indptr[u]) users++;
  return users;
}

if (args[0] === '--contender') {
  process.stdout.write(JSON.stringify(await contender(args[1])));
} else {
  const names = ['ease (native, lambda 100)', 'itemknn (cosine, K 20)', 'itemknn (bm25, K 100)', 'als (seed configuration, native)'];
  const results = names.map((n) => JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--contender', n, '--runs', String(runs)], { encoding: 'utf8', timeout: 600_000 })));
  if (args.includes('--json')) {
    process.stdout.write(`${JSON.stringify({ runs, results }, null, 2)}\n`);
  } else {
    for (const r of results) {
      console.log(`${r.name.padEnd(34)} fit ${r.fitSeconds.toFixed(3)} s (CPU ${r.fitCpuSeconds.toFixed(3)} s)   evaluate ${r.users} users ${(r.evaluateSeconds * 1000).toFixed(0)} ms (CPU ${(r.evaluateCpuSeconds * 1000).toFixed(0)} ms)`);
    }
  }
}

#!/usr/bin/env node
// Scale figures of the Spark interop (issue 13, item 5) on the real Spark 3.5.5 fixture
// (200,948 users x 80,185 items, rank 13): import time, and recommend-all top-10 for every user
// on 2 threads. Each step runs in this process and reports wall time, CPU time (user + system,
// all threads) and the load average, since the development machine is shared. Not a test: it
// prints figures (JSON with --json) and says whether the targets were met. For serving, run
// `node bench/loadServe.mjs --model <the imported model>`.
//
// Needs the compiled package: `npm run build` first.
//
//   node bench/sparkScale.mjs [--fixture ../shared/fixtures/spark-als-3.5.5] [--threads 2] [--json]
//
// Targets: import <= 3 s; recommend-all <= 60 s on 2 threads.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    fixture: { type: 'string', default: join('..', 'shared', 'fixtures', 'spark-als-3.5.5') },
    threads: { type: 'string', default: '2' },
    json: { type: 'boolean', default: false },
  },
});
const TARGET = { importSeconds: 3, recommendAllSeconds: 60 };

const dist = new URL('../dist/', import.meta.url);
const { ALS } = await import(new URL('index.js', dist).href);
const { writeRecommendationsCsv } = await import(new URL('cli/actions/recommendAll.js', dist).href);

async function measure(step) {
  const load = loadavg()[0];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await step();
  const cpu = process.cpuUsage(cpu0);
  return { result, wallSeconds: (performance.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, loadAverageAtStart: load };
}

const work = mkdtempSync(join(tmpdir(), 'alsrec-spark-scale-'));
try {
  const modelPath = join(work, 'fixture.alsrec');
  const imported = await measure(async () => {
    const model = await ALS.fromSpark(args.fixture);
    await model.save(modelPath);
    return { users: model.state.users.size, items: model.state.items.size, rank: model.options.factors };
  });
  const threads = Number(args.threads);
  const model = await ALS.load(modelPath, { threads });
  const all = await measure(() => writeRecommendationsCsv(model, join(work, 'recs.csv'), 10, false));
  const figures = {
    fixture: args.fixture,
    model: imported.result,
    import: { ...imported, result: undefined, target: `<= ${TARGET.importSeconds} s`, met: imported.wallSeconds <= TARGET.importSeconds },
    recommendAll: { rows: all.result, threads, backend: model.backend ?? (model.options.backend), ...all, result: undefined, target: `<= ${TARGET.recommendAllSeconds} s`, met: all.wallSeconds <= TARGET.recommendAllSeconds },
  };
  if (args.json) {
    process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
  } else {
    const line = (name, f) => `  ${name}: ${f.wallSeconds.toFixed(2)} s wall, ${f.cpuSeconds.toFixed(2)} s CPU, load average ${f.loadAverageAtStart.toFixed(1)} at start  [target ${f.target}: ${f.met ? 'met' : 'MISSED'}]`;
    process.stdout.write([
      `Spark interop scale: ${figures.model.users} users x ${figures.model.items} items, rank ${figures.model.rank}`,
      line('import (fromSpark + save)', figures.import),
      line(`recommend-all top-10 (${threads} threads, ${figures.recommendAll.rows} rows)`, figures.recommendAll),
      '',
    ].join('\n'));
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

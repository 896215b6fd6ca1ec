/**
 * Every command on a model imported from the real Spark 3.5.5 fixture (issue 13: "every command
 * works on the result"): import-spark, then recommend, similar, evaluate and serve on the whole
 * model, checked against brute-force dot products and cosines over an independent Parquet read;
 * recommend-all on a model imported from one user part file and one item part file of the
 * fixture (all 200,948 users x 80,185 items take about a minute on two cores: that run is
 * bench/sparkScale.mjs, not a test). /health reports Spark's save time as the training time.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createServer } from '../../src/serve/createServer.js';
import { ModelHolder } from '../../src/serve/modelHolder.js';
import { loadServedModel } from '../../src/serve/servedModel.js';
import { runCaptured } from '../helpers/runCaptured.js';
import { SPARK_FIXTURE, hasSparkFixture, partFiles, readSideIndependently } from './sparkFixture.js';

vi.stubEnv('ALSREC_BACKEND', 'ts');

const K = 13;
/** User 1's top-5 by float64 dot product, ties by ascending item id (the fixture's README). */
const USER_1_TOP_5 = [240054, 240070, 270306, 151989, 194434];

function dot(x: number[], y: number[]): number {
  let s = 0;
  for (let a = 0; a < K; a++) s += x[a]! * y[a]!;
  return s;
}

describe.skipIf(!hasSparkFixture)('commands on an imported Spark 3.5.5 model', () => {
  let work: string;
  let model: string;
  let users: Map<number, number[]>;
  let items: Map<number, number[]>;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'alsrec-spark-commands-'));
    model = join(work, 'spark.alsrec');
    const run = await runCaptured('import-spark', SPARK_FIXTURE, '--out', model, '--json');
    expect(run.stderr).toMatch(/Imported the Spark model/);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ rank: K, users: 200_948, items: 80_185, interactions: 0 });
    users = await readSideIndependently(join(SPARK_FIXTURE, 'userFactors'));
    items = await readSideIndependently(join(SPARK_FIXTURE, 'itemFactors'));
  }, 180_000);

  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it('recommend: user 1 gets the brute-force top 5', async () => {
    const run = await runCaptured('recommend', '--model', model, '--user', '1', '-n', '5', '--json');
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as Array<{ movieId?: number; itemId?: number }>).map((r) => r.movieId ?? r.itemId)).toEqual(USER_1_TOP_5);
  }, 60_000);

  it('similar: the brute-force cosine neighbours (float64, ties by ascending id)', async () => {
    const id = 151989;
    const y = items.get(id)!;
    const norm = (v: number[]) => Math.sqrt(dot(v, v));
    const expected = [...items].filter(([other]) => other !== id)
      .map(([other, v]) => ({ other, s: dot(y, v) / (norm(y) * norm(v)) }))
      .sort((p, q) => q.s - p.s || p.other - q.other)
      .slice(0, 5)
      .map((p) => p.other);
    const run = await runCaptured('similar', '--model', model, '--movie-id', String(id), '-n', '5', '--json');
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as Array<{ movieId?: number; itemId?: number }>).map((r) => r.movieId ?? r.itemId)).toEqual(expected);
  }, 60_000);

  it("evaluate --model: each user's brute-force best item is always in the top 10, the worst never", async () => {
    const sample = [...users.keys()].sort((a, b) => a - b).slice(0, 40);
    const best: string[] = [];
    const worst: string[] = [];
    for (const u of sample) {
      const x = users.get(u)!;
      let hi = { id: -1, s: -Infinity };
      let lo = { id: -1, s: Infinity };
      for (const [id, y] of items) {
        const s = dot(x, y);
        if (s > hi.s || (s === hi.s && id < hi.id)) hi = { id, s };
        if (s < lo.s || (s === lo.s && id < lo.id)) lo = { id, s };
      }
      best.push(`${u}\t${hi.id}\t5\t1745780863`);
      worst.push(`${u}\t${lo.id}\t5\t1745780863`);
    }
    writeFileSync(join(work, 'best.data'), `${best.join('\n')}\n`);
    writeFileSync(join(work, 'worst.data'), `${worst.join('\n')}\n`);
    for (const [file, hitRate] of [['best.data', 1], ['worst.data', 0]] as const) {
      const run = await runCaptured('evaluate', '--model', model, '--data', join(work, file), '--k', '10', '--json');
      expect(run.code, run.stderr).toBe(0);
      // The import holds no interactions: nothing is excluded, and the command says so.
      expect(run.stderr).toContain('warning: the model holds no training interactions');
      const doc = JSON.parse(run.stdout) as { users: number; metrics: Record<string, number> };
      expect(doc.users).toBe(40);
      expect(doc.metrics['hitRate@10']).toBe(hitRate);
    }
  }, 120_000);

  it('serve: /users/1/recommendations is the brute-force top 5; /health has Spark\'s save time', async () => {
    const app = createServer(new ModelHolder(await loadServedModel(model)));
    try {
      const recs = await app.inject('/users/1/recommendations?n=5');
      expect(recs.statusCode).toBe(200);
      expect((recs.json() as { recommendations: Array<{ movieId?: number; itemId?: number }> }).recommendations.map((r) => r.movieId ?? r.itemId)).toEqual(USER_1_TOP_5);
      const health = (await app.inject('/health')).json() as { model: Record<string, unknown> };
      // metadata/part-00000's "timestamp": 1745780863059.
      expect(health.model).toMatchObject({ users: 200_948, factors: K, trainedAt: '2025-04-27T19:07:43.059Z', trainedAtSource: 'model' });
    } finally {
      await app.close();
    }
  }, 60_000);

  it("recommend-all: every user's top N, as recommend ranks them (one user and one item part file)", async () => {
    const part = join(work, 'one-part');
    for (const side of ['metadata', 'userFactors', 'itemFactors']) mkdirSync(join(part, side), { recursive: true });
    copyFileSync(join(SPARK_FIXTURE, 'metadata', 'part-00000'), join(part, 'metadata', 'part-00000'));
    for (const side of ['userFactors', 'itemFactors']) {
      const first = partFiles(join(SPARK_FIXTURE, side))[0]!;
      copyFileSync(first, join(part, side, first.slice(first.lastIndexOf('/') + 1)));
    }
    const partModel = join(work, 'one-part.alsrec');
    const imported = await runCaptured('import-spark', part, '--out', partModel, '--json');
    expect(imported.code, imported.stderr).toBe(0);
    const { users: userCount } = JSON.parse(imported.stdout) as { users: number };
    const out = join(work, 'recs.csv');
    const run = await runCaptured('recommend-all', '--model', partModel, '--out', out, '-n', '3', '--no-progress');
    expect(run.code, run.stderr).toBe(0);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(1 + 3 * userCount);
    const firstUser = Number(lines[1]!.split(',')[0]);
    const single = await runCaptured('recommend', '--model', partModel, '--user', String(firstUser), '-n', '3', '--json');
    const expected = (JSON.parse(single.stdout) as Array<{ movieId?: number; itemId?: number }>).map((r) => r.movieId ?? r.itemId);
    expect(lines.slice(1, 4).map((l) => Number(l.split(',')[2]))).toEqual(expected);
  }, 180_000);
});

/**
 * `alsrec evaluate --model`: a saved model against held-out interactions, on ML-100K. The CLI's
 * figures equal the library evaluator's on the same split (built the usual way, over the full
 * data's id maps), whether the held-out ratings come from the dataset folder's split or from a
 * file; a model saved without training interactions (a Spark import without --interactions)
 * excludes the split's train side instead and scores the same; held-out ratings the model was
 * trained on, or whose ids it lacks, are counted and skipped; training options are usage errors.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ALS } from '../../src/als/model.js';
import { loadMovieLens } from '../../src/data/loadMovieLens.js';
import type { RatingColumns } from '../../src/data/dataset.js';
import { buildInteractions } from '../../src/matrix/interactions.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { splitByName } from '../../src/eval/splitByName.js';
import { metricsByKey } from '../../src/eval/summarizeSeeds.js';
import { runCaptured } from '../helpers/runCaptured.js';

const DATA = process.env.MOVIELENS_DIR ?? join(process.cwd(), '..', 'shared', 'data', 'ml-100k');
const hasData = existsSync(join(DATA, 'u.data'));
if (!hasData) console.log(`evaluate --model tests skipped: no MovieLens 100K at ${DATA} (set MOVIELENS_DIR)`);

vi.stubEnv('ALSREC_BACKEND', 'ts');

/** Ratings as u.data lines (tab-separated user, item, rating, timestamp). */
function uData(r: RatingColumns): string {
  return `${Array.from(r.users, (u, j) => `${u}\t${r.items[j]}\t${r.ratings[j]}\t${r.timestamps[j]}`).join('\n')}\n`;
}

/** JSON metrics with NaN as JSON writes it (null). */
function asJson(metrics: Record<string, number>): Record<string, number | null> {
  return JSON.parse(JSON.stringify(metrics)) as Record<string, number | null>;
}

describe.skipIf(!hasData)('alsrec evaluate --model (ML-100K)', () => {
  let work: string;
  let modelPath: string;
  let bareModelPath: string;
  let testFile: string;
  let trainFile: string;
  let expected: Record<string, number | null>;
  let testCount: number;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'alsrec-evalmodel-'));
    const dataset = await loadMovieLens(DATA);
    const all = buildInteractions(dataset);
    const split = splitByName(dataset.ratings, 'leave-last-out', 0);
    const train = buildInteractions(split.train, all);
    const test = buildInteractions(split.test, all);
    const model = await new ALS({ factors: 16, iterations: 5, backend: 'ts', threads: 1 }).fit(train);
    modelPath = join(work, 'train-side.alsrec');
    await model.save(modelPath);
    expected = asJson(metricsByKey(await evaluate(model, train, test, { k: [5, 10] })));
    testCount = split.test.users.length;
    // The same factors without training interactions, as import-spark without --interactions gives.
    const s = model.state;
    bareModelPath = join(work, 'bare.alsrec');
    await ALS.fromState({ ...s, liked: { rows: s.liked.rows, cols: s.liked.cols, indptr: new Int32Array(s.liked.rows + 1), indices: new Int32Array(0), data: new Float32Array(0) } }, { factors: 16, iterations: 5 }).save(bareModelPath);
    testFile = join(work, 'test.data');
    await writeFile(testFile, `${uData(split.test)}999999\t1\t5\t881250949\n1\t999999\t5\t881250949\n`);
    trainFile = join(work, 'train.data');
    await writeFile(trainFile, uData(split.train));
  }, 300_000);

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it("on the dataset folder's split: the library evaluator's figures", async () => {
    const run = await runCaptured('evaluate', '--model', modelPath, '--data', DATA, '--k', '5,10', '--json');
    expect(run.stderr).not.toMatch(/warning/);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as { metrics: Record<string, number | null>; test: Record<string, number>; excluded: { from: string; interactions: number }; split: { name: string } };
    expect(doc.metrics).toEqual(expected);
    expect(doc.test).toEqual({ given: testCount, unknownUser: 0, unknownItem: 0, inTraining: 0, used: testCount });
    expect(doc.excluded).toEqual({ from: 'model', interactions: 100_000 - testCount });
    expect(doc.split.name).toBe('leave-last-out');
  }, 120_000);

  it('on a file of held-out interactions: the same figures, ids the model lacks counted and skipped', async () => {
    const run = await runCaptured('evaluate', '--model', modelPath, '--data', testFile, '--k', '5,10', '--json');
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as { metrics: Record<string, number | null>; test: Record<string, number>; split: null };
    expect(doc.metrics).toEqual(expected);
    expect(doc.test).toEqual({ given: testCount + 2, unknownUser: 1, unknownItem: 1, inTraining: 0, used: testCount });
    expect(doc.split).toBeNull();
    expect(run.stderr).toContain('warning: 2 of 945 held-out interactions name a user or an item the model lacks (cold start); they are not evaluated');
  }, 120_000);

  it("a model without training interactions excludes the split's train side: the same figures", async () => {
    const run = await runCaptured('evaluate', '--model', bareModelPath, '--data', DATA, '--k', '5,10', '--json');
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as { metrics: Record<string, number | null>; excluded: { from: string; interactions: number } };
    expect(doc.excluded).toEqual({ from: 'given', interactions: 100_000 - testCount });
    expect(doc.metrics).toEqual(expected);
  }, 120_000);

  it('prints a table without --json', async () => {
    const run = await runCaptured('evaluate', '--model', modelPath, '--data', testFile, '--k', '10');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${testCount} of ${testCount + 2} interactions evaluated for ${testCount} users`);
    expect(run.stdout).toMatch(new RegExp(`ndcg@10 +${(expected['ndcg@10'] as number).toFixed(4)}`));
  }, 120_000);

  it('refuses held-out interactions the model was trained on (exit 1, saying so)', async () => {
    const run = await runCaptured('evaluate', '--model', modelPath, '--data', trainFile);
    expect(run.code).toBe(1);
    const n = 100_000 - testCount;
    expect(run.stderr).toContain(`alsrec: No test interactions to evaluate: of ${n} given, ${n} are among the model's training interactions (it was trained on them)\n`);
  }, 120_000);

  it('refuses training options with --model as usage errors (exit 2)', async () => {
    for (const [flag, value] of [['--factors', '8'], ['--report', undefined], ['--baselines', 'popular'], ['--folds', '2']] as const) {
      const run = await runCaptured('evaluate', '--model', modelPath, flag, ...(value === undefined ? [] : [value]));
      expect(run.code, flag).toBe(2);
      expect(run.stderr, flag).toMatch(new RegExp(`^alsrec: ${flag} `));
      expect(run.stderr.trim().split('\n'), flag).toHaveLength(1);
    }
  });
});

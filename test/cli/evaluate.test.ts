import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it, vi, afterEach } from 'vitest';
import { evaluateCommand } from '../../src/cli/commands/evaluate.js';
import { InvalidOptionError } from '../../src/errors.js';
import { syntheticRatings } from '../eval/ratingsFixture.js';
import { writeMl100k } from './ml100kFixture.js';

let dir: string;
beforeAll(async () => {
  dir = await writeMl100k(syntheticRatings(50, 40, 0.3, 11));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

function run(args: string[]): Promise<unknown> {
  return evaluateCommand().exitOverride().parseAsync(['--data', dir, '--backend', 'ts', '--factors', '4', '--iterations', '3', ...args], { from: 'user' });
}

async function capture(args: string[]): Promise<{ stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  await run(args);
  return { stdout, stderr };
}

describe('alsrec evaluate', () => {
  it.each([
    [['--k', '0'], 'Expected an integer between 1 and 10000 for --k but received "0" of type string'],
    [['--k', '5,,10'], 'Expected a comma-separated list without empty items for --k but received "5,,10" of type string'],
    [['--seeds', '-1'], 'Expected an integer between 0 and 4294967295 for --seeds but received "-1" of type string'],
    [['--fraction', 'x'], 'Expected a finite number for --fraction but received "x" of type string'],
  ])('should throw an InvalidOptionError for %j', async (args, message) => {
    const error = await run(args).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as Error).message).toBe(message);
  });

  it('prints a table of every metric for ALS and both baselines, progress on stderr', async () => {
    const { stdout, stderr } = await capture(['--k', '5,10', '--seeds', '0,1']);
    expect(stdout).toMatch(/Split: temporal leave-last-out/);
    expect(stdout).toMatch(/metric\s+ALS\s+most popular\s+random/);
    for (const key of ['hitRate@5', 'precision@10', 'recall@10', 'map@10', 'ndcg@10', 'mrr@10', 'coverage@10', 'auc']) {
      expect(stdout).toMatch(new RegExp(`\\n  ${key}\\s+\\d\\.\\d{4} ± \\d\\.\\d{4}`));
    }
    expect(stderr).toMatch(/seed 1 \(2\/2\)/);
  });

  it('--baselines adds ItemKNN and EASE with the given hyperparameters', async () => {
    const { stdout } = await capture(['--k', '10', '--seeds', '0', '--baselines', 'itemknn,ease,popular', '--knn-weighting', 'bm25', '--knn-neighbours', '7', '--ease-regularization', '30', '--json']);
    const doc = JSON.parse(stdout);
    expect(doc.models.map((m: { name: string }) => m.name)).toEqual(['ALS', 'ItemKNN', 'EASE', 'most popular']);
    const error = await run(['--baselines', 'ease', '--ease-max-bytes', '1000']).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^EASE needs 0 MiB of dense item-item matrices for \d+ items \(20 bytes x items²\), more than the limit of 0 MiB; raise maxBytes \(--ease-max-bytes\) or use itemknn$/);
  });

  it('--report builds the quality table: six rows, tuned on validation folds', async () => {
    const { stdout } = await capture(['--report', '--seeds', '0,1', '--folds', '2', '--json']);
    const doc = JSON.parse(stdout);
    expect(doc.rows.map((r: { model: string }) => r.model)).toEqual(['ALS (seed configuration)', 'ALS tuned', 'ItemKNN tuned', 'EASE tuned', 'most popular', 'random']);
    for (const r of doc.rows) for (const m of ['hitRate', 'ndcg', 'map', 'coverage', 'fitSeconds']) expect(Number.isFinite(r[m].mean)).toBe(true);
    expect(doc.rows[0].ndcg.values).toHaveLength(2);
  }, 120_000);

  it('--json gives one document with every model and metric over the seeds', async () => {
    const { stdout } = await capture(['--k', '10', '--seeds', '0,1,2', '--split', 'random', '--fraction', '0.3', '--json']);
    const doc = JSON.parse(stdout);
    expect(doc.split.name).toBe('random');
    expect(doc.split.seeds.map((s: { seed: number }) => s.seed)).toEqual([0, 1, 2]);
    expect(doc.models.map((m: { name: string }) => m.name)).toEqual(['ALS', 'most popular', 'random']);
    const ndcg = doc.models[0].metrics['ndcg@10'];
    expect(ndcg.values).toHaveLength(3);
    expect(ndcg.mean).toBeCloseTo(ndcg.values.reduce((a: number, b: number) => a + b, 0) / 3, 12);
    // most popular is deterministic for a fixed split, but the random split changes with the seed
    expect(doc.models[1].metrics['auc'].values).toHaveLength(3);
  });

  it('runs the leave-k-out and time-cutoff splits', async () => {
    const a = JSON.parse((await capture(['--seeds', '0', '--split', 'leave-k-out', '--leave-k', '2', '--pick', 'random', '--json'])).stdout);
    expect(a.split.description).toMatch(/^leave-2-out \(random, seed 0/);
    vi.restoreAllMocks();
    const b = JSON.parse((await capture(['--seeds', '0', '--split', 'time-cutoff', '--json'])).stdout);
    expect(b.split.dropped).toMatch(/later ratings dropped/);
  });
});

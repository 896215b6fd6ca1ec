import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ALS } from '../../src/als/model.js';
import { runCaptured } from '../helpers/runCaptured.js';
import { writeFixtureMl100k } from '../helpers/fixtureMl100k.js';

vi.stubEnv('ALSREC_BACKEND', 'ts');
const TRAIN = ['--factors', '2', '--iterations', '15', '--regularization', '0.1', '--threads', '1'];

describe('alsrec train --save', () => {
  it('should refuse a --save path in a missing folder before training', async () => {
    const run = await runCaptured('train', '--data', writeFixtureMl100k(), ...TRAIN, '--save', '/nonexistent/folder/m.alsrec');
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('alsrec: Expected a file in an existing folder for --save but received "/nonexistent/folder/m.alsrec" (no folder /nonexistent/folder)\n');
    expect(run.stdout).toBe('');
  });

  it('should save a model that loads and answers like the trained one', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'alsrec-train-')), 'm.alsrec');
    const run = await runCaptured('train', '--data', writeFixtureMl100k(), ...TRAIN, '--user', '1', '--top', '3', '--save', path, '--json');
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.savedTo).toBe(path);
    expect(doc.seconds.save).toBeGreaterThan(0);
    const model = await ALS.load(path);
    expect(model.options).toMatchObject({ factors: 2, iterations: 15, regularization: 0.1 });
    const recs = model.recommend(1, { n: 3 }).map((r) => r.itemId);
    expect(doc.recommendations.items.map((r: { movieId: number }) => r.movieId)).toEqual(recs);
    expect(model.title(1)).toBe('Star Wars (1977)');
  });

  it('should say where it saved in the text output', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'alsrec-train-')), 'm.alsrec');
    const run = await runCaptured('train', '--data', writeFixtureMl100k(), ...TRAIN, '--user', '1', '--save', path);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`Saved model to ${path.replace(/[.]/g, '\\.')} \\([\\d,]+ bytes, [\\d.]+ s\\)`));
    expect(existsSync(path)).toBe(true);
  });
});

describe('alsrec train --recency-half-life', () => {
  it('trains with recency weighting, says so, and the saved model keeps the setting', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'alsrec-train-')), 'm.alsrec');
    const text = await runCaptured('train', '--data', writeFixtureMl100k(), ...TRAIN, '--recency-half-life', '30', '--user', '1');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Trained ALS in [\d.]+ s: factors 2, regularization 0\.1, alpha 1, recency half-life 30 days, iterations 15/);
    const run = await runCaptured('train', '--data', writeFixtureMl100k(), ...TRAIN, '--recency-half-life', '30', '--user', '1', '--save', path, '--json');
    expect(JSON.parse(run.stdout).options.recencyHalfLife).toBe(30);
    expect((await ALS.load(path)).options.recencyHalfLife).toBe(30);
  });

  it('should refuse a non-number or negative half-life', async () => {
    const bad = await runCaptured('train', '--data', writeFixtureMl100k(), ...TRAIN, '--recency-half-life', 'week');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('alsrec: Expected a finite number for --recency-half-life but received "week" of type string\n');
    const negative = await runCaptured('train', '--data', writeFixtureMl100k(), ...TRAIN, '--recency-half-life', '-1');
    expect(negative.code).toBe(2);
    expect(negative.stderr).toBe('alsrec: Expected a finite number >= 0 for recencyHalfLife but received -1 of type number\n');
  });
});

describe('alsrec train --convention / --regularization-exponent / --unobserved-weight', () => {
  it("trains with Spark's objective or Rendle et al.'s options, says so, and the saved model keeps them", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'alsrec-train-'));
    const spark = await runCaptured('train', '--data', writeFixtureMl100k(), ...TRAIN, '--convention', 'spark', '--user', '1', '--save', join(dir, 's.alsrec'), '--json');
    expect(spark.code).toBe(0);
    expect(JSON.parse(spark.stdout).options).toMatchObject({ convention: 'spark', regularizationExponent: 1, unobservedWeight: 1 });
    expect((await ALS.load(join(dir, 's.alsrec'))).options).toMatchObject({ convention: 'spark', regularizationExponent: 1 });
    const text = await runCaptured('train', '--data', writeFixtureMl100k(), ...TRAIN, '--regularization-exponent', '0.5', '--unobserved-weight', '0.2', '--user', '1', '--save', join(dir, 'r.alsrec'));
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/regularization exponent 0\.5 \(lambda_u = lambda \* \(n_u \+ a0 \* \|I\|\)\^0\.5\), unobserved weight 0\.2, iterations 15/);
    expect((await ALS.load(join(dir, 'r.alsrec'))).options).toMatchObject({ convention: 'implicit', regularizationExponent: 0.5, unobservedWeight: 0.2 });
  });

  it('should refuse an unknown convention, a negative exponent, a zero unobserved weight (exit 2, one line)', async () => {
    const unknown = await runCaptured('train', '--data', writeFixtureMl100k(), ...TRAIN, '--convention', 'mllib');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--convention/);
    const negative = await runCaptured('train', '--data', writeFixtureMl100k(), ...TRAIN, '--regularization-exponent', '-1');
    expect(negative.code).toBe(2);
    expect(negative.stderr).toBe('alsrec: Expected a number between 0 and 4 for regularizationExponent but received -1 of type number\n');
    const zero = await runCaptured('train', '--data', writeFixtureMl100k(), ...TRAIN, '--unobserved-weight', '0');
    expect(zero.code).toBe(2);
    expect(zero.stderr).toBe('alsrec: Expected a finite number > 0 for unobservedWeight but received 0 of type number\n');
  });

  it("should refuse an alpha whose confidence 1 + alpha |r| is out of range with convention 'spark' too", async () => {
    const run = await runCaptured('train', '--data', writeFixtureMl100k(), ...TRAIN, '--convention', 'spark', '--alpha', '1e30', '--json');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('alsrec: Expected alpha x |rating| <= 1e12 (confidences are float32 and the solvers square them) for alpha but received 1e+30');
  });
});

describe('alsrec train: option values that only fail late', () => {
  it('should give a usage error naming the option for --regularization 1e39 (finite in double, infinite in float32)', async () => {
    const run = await runCaptured('train', '--data', writeFixtureMl100k(), ...TRAIN.slice(0, 4), '--regularization', '1e39');
    expect(run).toEqual({ code: 2, stdout: '', stderr: expect.stringMatching(/^alsrec: Expected a finite number >= 0 within the float32 range \(<= 3.4028234663852886e\+38\) for regularization but received 1e\+39 of type number\n$/) });
  });

  it('should give a usage error naming alpha for --alpha 1e30, before any iteration', async () => {
    const run = await runCaptured('train', '--data', writeFixtureMl100k(), ...TRAIN, '--alpha', '1e30', '--json');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('alsrec: Expected alpha x |rating| <= 1e12 (confidences are float32 and the solvers square them) for alpha but received 1e+30');
    expect(run.stderr).not.toContain('iteration');
  });

  it('should say what --user expects, without "-Infinity"', async () => {
    const run = await runCaptured('train', '--data', writeFixtureMl100k(), ...TRAIN, '--user', ' ');
    expect(run).toEqual({ code: 2, stdout: '', stderr: 'alsrec: Expected an id of 1 to 1024 characters for --user but received " " of type string\n' });
    expect((await runCaptured('train', ...TRAIN, '--user', 'x'.repeat(1025))).stderr).toContain('Expected an id of 1 to 1024 characters for --user but received "xxx');
  });

  it('should refuse --save "" before training', async () => {
    const run = await runCaptured('train', '--data', writeFixtureMl100k(), ...TRAIN, '--save', '');
    expect(run).toEqual({ code: 2, stdout: '', stderr: 'alsrec: Expected a file path for --save but received "" of type string\n' });
  });
});

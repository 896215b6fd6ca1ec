import { rm } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { tuneCommand } from '../../src/cli/commands/tune.js';
import { InvalidOptionError } from '../../src/errors.js';
import { syntheticRatings } from '../eval/ratingsFixture.js';
import { writeMl100k } from './ml100kFixture.js';

const data = syntheticRatings(50, 40, 0.3, 12);
/** The same ratings except each user's latest (the leave-last-out test rating) points elsewhere. */
function withOtherTest(): typeof data {
  const latest = new Map<number, number>();
  data.users.forEach((u, j) => {
    const b = latest.get(u);
    if (b === undefined || data.timestamps[j]! > data.timestamps[b]! || (data.timestamps[j] === data.timestamps[b] && data.items[j]! > data.items[b]!)) latest.set(u, j);
  });
  const items = Int32Array.from(data.items);
  const timestamps = Float64Array.from(data.timestamps);
  for (const j of latest.values()) {
    items[j] = 500 + data.users[j]!; // a movie nobody else rated
    timestamps[j] = 5000;
  }
  return { ...data, items, timestamps };
}

let dir: string;
let otherDir: string;
beforeAll(async () => {
  dir = await writeMl100k(data);
  otherDir = await writeMl100k(withOtherTest());
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(otherDir, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

const small = ['--backend', 'ts', '--factors-list', '2,4', '--regularization-list', '0.1,1', '--alpha-list', '1', '--recency-half-life-list', '0', '--iterations-list', '2', '--seeds', '0,1'];

async function runJson(dataDir: string, args: string[]): Promise<{ doc: any; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  await tuneCommand().exitOverride().parseAsync(['--data', dataDir, ...small, ...args, '--json'], { from: 'user' });
  vi.restoreAllMocks();
  return { doc: JSON.parse(stdout), stderr };
}

describe('alsrec tune', () => {
  it.each([
    [['--metric', 'ndcg'], 'Expected auc or <metric>@<K> with metric one of hitRate, precision, recall, map, ndcg, mrr, coverage for --metric but received "ndcg" of type string'],
    [['--trials', '0'], 'Expected an integer >= 1 for --trials but received "0" of type string'],
    [['--alpha-list', '1,-2', '--json'], 'Expected a finite number > 0 for alpha but received -2 of type number'],
    [['--min-standard-errors', '-1'], 'Expected a finite number >= 0 for --min-standard-errors but received -1 of type number'],
    [['--validation-seeds', '0,x'], 'Expected an integer between 0 and 4294967295 for --validation-seeds but received "x" of type string'],
    [['--baselines', 'ease,svd'], 'Expected a comma-separated list of popular, random, itemknn, ease for --baselines but received "ease,svd" of type string'],
    [['--folds', '0'], 'Expected an integer between 1 and 20 for --folds but received "0" of type string'],
  ])('should throw an InvalidOptionError for %j', async (args, message) => {
    const error = await tuneCommand().exitOverride().parseAsync(['--data', dir, '--backend', 'ts', ...args], { from: 'user' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as Error).message).toBe(message);
  });

  it('chooses on validation only: changing only the test ratings changes the test figures, not the search', async () => {
    const a = await runJson(dir, ['--strategy', 'grid']);
    const b = await runJson(otherDir, ['--strategy', 'grid']);
    expect(a.doc.search.trials).toHaveLength(5); // seed configuration + 2 x 2 grid
    expect(b.doc.search.trials.map((t: any) => t.value)).toEqual(a.doc.search.trials.map((t: any) => t.value));
    expect(b.doc.chosen).toEqual(a.doc.chosen);
    expect(b.doc.test.chosen['ndcg@10'].values).not.toEqual(a.doc.test.chosen['ndcg@10'].values);
    expect(a.doc.test.seedConfiguration['hitRate@10'].values).toHaveLength(2);
    expect(a.doc.test.relativeGain['ndcg@10']).toBeCloseTo(a.doc.test.chosen['ndcg@10'].mean / a.doc.test.seedConfiguration['ndcg@10'].mean - 1, 12);
    // 5 trials, 2 x 2 test fits, and 3 more configurations x 2 seeds for the validation-to-test agreement.
    expect(a.stderr).toMatch(/\[5\/15, ETA [\d.]+ s\] trial 5\/5/);
  });

  it('takes the validation leader with --min-standard-errors 0, and reports it in any case', async () => {
    const leader = await runJson(dir, ['--strategy', 'grid', '--min-standard-errors', '0', '--validation-seeds', '0']);
    const best = Math.max(...leader.doc.search.trials.map((t: any) => t.value));
    expect(leader.doc.chosen).toEqual(leader.doc.search.trials.find((t: any) => t.value === best).config);
    expect(leader.doc.search.leader).toEqual(leader.doc.chosen);
    expect(leader.doc.validation.seeds).toEqual([0]);
    const strict = await runJson(dir, ['--strategy', 'grid', '--min-standard-errors', '1e9', '--validation-seeds', '0']);
    expect(strict.doc.search.leader).toEqual(leader.doc.chosen);
    expect(strict.doc.chosen).toEqual(strict.doc.seedConfiguration);
  });

  it('validates on --folds temporal folds, reports validation-to-test agreement, and tunes the baselines on the same folds', async () => {
    const { doc } = await runJson(dir, ['--strategy', 'grid', '--folds', '2', '--agreement', '3', '--baselines', 'itemknn,ease,popular,random', '--trials', '3']);
    expect(doc.validation.folds).toHaveLength(2);
    expect(doc.validation.folds[1].train).toBe(doc.validation.folds[0].train - doc.validation.folds[1].test);
    expect(doc.search.trials[1].folds).toHaveLength(2);
    expect(doc.agreement.rows.some((r: any) => r.role?.includes('seed'))).toBe(true);
    expect(doc.agreement.rows.length).toBeGreaterThanOrEqual(3);
    expect(doc.baselines.map((b: any) => b.name)).toEqual(['ItemKNN', 'EASE', 'most popular', 'random']);
    expect(doc.baselines[0].chosen).toMatch(/^(cosine|tfidf|bm25), K \d+, /);
    expect(doc.baselines[1].chosen).toMatch(/^regularization [\d.]+, /);
    expect(doc.baselines[3].test['ndcg@10'].values).toHaveLength(2); // random: one run per seed
  });

  it('searches recency half-lives (0 = off) with the other settings', async () => {
    const { doc } = await runJson(dir, ['--strategy', 'grid', '--factors-list', '2', '--regularization-list', '0.1', '--recency-half-life-list', '0,3']);
    expect(doc.search.trials.map((t: any) => t.config.recencyHalfLife)).toEqual([0, 0, 3]);
    expect(doc.seedConfiguration.recencyHalfLife).toBe(0);
  });

  it('prints the chosen settings and the test comparison', async () => {
    let stdout = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await tuneCommand().exitOverride().parseAsync(['--data', dir, ...small, '--trials', '2'], { from: 'user' });
    expect(stdout).toMatch(/Search: 3 configurations by validation ndcg@10/);
    expect(stdout).toMatch(/Chosen: factors \d+, regularization [\d.]+, alpha [\d.]+, (no recency weighting|recency half-life [\d.]+ days), iterations \d+/);
    expect(stdout).toMatch(/metric\s+seed configuration\s+chosen\s+change/);
    expect(stdout).toMatch(/ndcg@10\s+\d\.\d{4} ± \d\.\d{4}\s+\d\.\d{4} ± \d\.\d{4}\s+[+-]?[\d.]+%|ndcg@10.*-/);
  });
});

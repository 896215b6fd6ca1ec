import { describe, expect, it } from 'vitest';
import { SEED_CONFIG, plannedTrials, searchConfigs, searchOnValidation } from '../../src/eval/searchOnValidation.js';
import { temporalLeaveLastOut } from '../../src/eval/temporalLeaveLastOut.js';
import { syntheticRatings } from './ratingsFixture.js';

const tiny = { factors: [2, 4], regularization: [0.1, 1], alpha: [1, 5], recencyHalfLife: [0], iterations: [2] };

describe('searchConfigs', () => {
  it('should throw on an empty or invalid space', () => {
    expect(() => searchConfigs({ space: { ...tiny, alpha: [] } })).toThrow('Expected a non-empty list of values for space.alpha but received an array of length 0');
    expect(() => searchConfigs({ space: { ...tiny, factors: [0] } })).toThrow('Expected an integer between 1 and 4096 for factors but received 0 of type number');
  });

  it('grid: the seed configuration first, then every point', () => {
    const c = searchConfigs({ strategy: 'grid', space: tiny });
    expect(c[0]).toEqual(SEED_CONFIG);
    expect(c).toHaveLength(1 + 8);
  });

  it('grid over all five hyperparameters, the last varying fastest; recency half-lives are validated too', () => {
    const c = searchConfigs({ strategy: 'grid', space: { ...tiny, factors: [2], regularization: [0.1], recencyHalfLife: [0, 7], iterations: [2, 3] } });
    expect(c.slice(1)).toEqual([
      { factors: 2, regularization: 0.1, alpha: 1, recencyHalfLife: 0, iterations: 2 },
      { factors: 2, regularization: 0.1, alpha: 1, recencyHalfLife: 0, iterations: 3 },
      { factors: 2, regularization: 0.1, alpha: 1, recencyHalfLife: 7, iterations: 2 },
      { factors: 2, regularization: 0.1, alpha: 1, recencyHalfLife: 7, iterations: 3 },
      { factors: 2, regularization: 0.1, alpha: 5, recencyHalfLife: 0, iterations: 2 },
      { factors: 2, regularization: 0.1, alpha: 5, recencyHalfLife: 0, iterations: 3 },
      { factors: 2, regularization: 0.1, alpha: 5, recencyHalfLife: 7, iterations: 2 },
      { factors: 2, regularization: 0.1, alpha: 5, recencyHalfLife: 7, iterations: 3 },
    ]);
    expect(() => searchConfigs({ space: { ...tiny, recencyHalfLife: [-1] } })).toThrow('Expected a finite number >= 0 for recencyHalfLife but received -1 of type number');
  });

  it('random: `trials` distinct points, seeded', () => {
    const a = searchConfigs({ strategy: 'random', trials: 5, seed: 1, space: tiny });
    expect(a).toHaveLength(6);
    expect(new Set(a.map((c) => JSON.stringify(c))).size).toBe(6);
    expect(searchConfigs({ strategy: 'random', trials: 5, seed: 1, space: tiny })).toEqual(a);
    expect(searchConfigs({ strategy: 'random', trials: 5, seed: 2, space: tiny })).not.toEqual(a);
  });
});

describe('searchOnValidation', () => {
  it('should throw on an unknown metric', async () => {
    await expect(searchOnValidation(syntheticRatings(5, 5, 0.5, 1), { metric: 'ndgc@10' })).rejects.toThrow(
      'Expected auc or <metric>@<K> with metric one of hitRate, precision, recall, map, ndcg, mrr, coverage for metric but received "ndgc@10" of type string',
    );
  });

  it('takes train only, carves validation by leave-last-out of it, and finds the leading trial', async () => {
    const r = syntheticRatings(40, 30, 0.3, 3);
    const { train } = temporalLeaveLastOut(r);
    const seen: number[] = [];
    const run = () =>
      searchOnValidation(train, {
        strategy: 'grid',
        space: { ...tiny, factors: [2] },
        base: { backend: 'ts' },
        metric: 'hitRate@5',
        onTrial: (_t, j) => seen.push(j),
      });
    const a = await run();
    expect(searchOnValidation.length).toBe(1); // (train, options?): there is no test parameter
    expect(a.trials).toHaveLength(5);
    expect(a.trials[0]!.config).toEqual(SEED_CONFIG);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(a.metric).toBe('hitRate@5');
    // One validation rating per train user with at least 2 train ratings.
    expect(a.validation.train + a.validation.test).toBe(train.users.length);
    expect(a.validation.test).toBe(new Set(train.users).size);
    expect(a.leader.value).toBe(Math.max(...a.trials.map((t) => t.value)));
    expect([a.leader, a.trials[0]]).toContain(a.best); // the leader, or the seed configuration kept
    const b = await run();
    expect(b.trials.map((t) => t.value)).toEqual(a.trials.map((t) => t.value));
  });

  it('coordinate: one setting at a time from the seed configuration, keeping the best, never a point twice', async () => {
    const { train } = temporalLeaveLastOut(syntheticRatings(40, 30, 0.3, 3));
    const space = { factors: [2, 4], regularization: [0.1, 1], alpha: [1], recencyHalfLife: [0, 30], iterations: [2] };
    const r = await searchOnValidation(train, { strategy: 'coordinate', space, base: { backend: 'ts' }, metric: 'hitRate@5' });
    const configs = r.trials.map((t) => t.config);
    expect(configs[0]).toEqual(SEED_CONFIG);
    // Pass 1, factors: both values with everything else at the seed's.
    expect(configs.slice(1, 3)).toEqual([{ ...SEED_CONFIG, factors: 2 }, { ...SEED_CONFIG, factors: 4 }]);
    // Then regularization varies around the best of those three.
    const best3 = r.trials.slice(0, 3).reduce((a, b) => (b.value > a.value ? b : a)).config;
    expect(configs.slice(3, 5)).toEqual([{ ...best3, regularization: 0.1 }, { ...best3, regularization: 1 }]);
    expect(new Set(configs.map((c) => JSON.stringify(c))).size).toBe(configs.length);
    // Every trial after the seed's differs from an earlier trial in exactly one setting.
    for (const [j, c] of configs.entries()) {
      if (j === 0) continue;
      const neighbours = configs.slice(0, j).filter((e) => Object.keys(c).filter((key) => c[key as keyof typeof c] !== e[key as keyof typeof e]).length === 1);
      expect(neighbours.length, JSON.stringify(c)).toBeGreaterThan(0);
    }
    expect(r.leader.value).toBe(Math.max(...r.trials.map((t) => t.value)));
    const capped = await searchOnValidation(train, { strategy: 'coordinate', trials: 2, space, base: { backend: 'ts' }, metric: 'hitRate@5' });
    expect(capped.trials).toHaveLength(3);
    expect(plannedTrials({ strategy: 'coordinate', trials: 2, space })).toBe(3);
    expect(plannedTrials({ strategy: 'grid', space })).toBe(1 + 2 * 2 * 1 * 2 * 1);
  });

  it('validates on temporal folds and chooses the best lower bound gain − z·SE, or the seed configuration when none is above 0', async () => {
    const { train } = temporalLeaveLastOut(syntheticRatings(40, 30, 0.3, 3));
    const r = await searchOnValidation(train, { strategy: 'grid', space: { ...tiny, factors: [2, 8] }, base: { backend: 'ts' }, metric: 'hitRate@5', folds: 3, minStandardErrors: 0.5 });
    expect(r.validation.folds).toHaveLength(3);
    // Each fold holds out one more rating per user: fold f+1 trains on fold f's train minus its test.
    expect(r.validation.folds[1]!.train).toBe(r.validation.folds[0]!.train - r.validation.folds[1]!.test);
    for (const t of r.trials) expect(t.folds).toHaveLength(3);
    for (const t of r.trials.slice(1)) expect(t.vsSeed!.lowerBound).toBeCloseTo(t.vsSeed!.gain - 0.5 * t.vsSeed!.standardError, 12);
    const bounds = r.trials.slice(1).map((t) => t.vsSeed!.lowerBound);
    if (Math.max(...bounds) > 0) expect(r.best.vsSeed!.lowerBound).toBe(Math.max(...bounds));
    else expect(r.best).toBe(r.trials[0]);
    await expect(searchOnValidation(train, { folds: 0 })).rejects.toThrow('Expected an integer between 1 and 20 for folds but received 0 of type number');
  });

  it('should throw on a negative minStandardErrors', async () => {
    await expect(searchOnValidation(syntheticRatings(5, 5, 0.5, 1), { minStandardErrors: -1 })).rejects.toThrow(
      'Expected a finite number >= 0 for minStandardErrors but received -1 of type number',
    );
  });

  it('compares each trial with the seed configuration per user, and keeps the seed unless the leader is significantly better', async () => {
    const { train } = temporalLeaveLastOut(syntheticRatings(40, 30, 0.3, 3));
    const run = (minStandardErrors: number) =>
      searchOnValidation(train, { strategy: 'grid', space: { ...tiny, factors: [2] }, base: { backend: 'ts' }, metric: 'hitRate@5', validationSeeds: [0, 1], minStandardErrors });
    const takeLeader = await run(0);
    expect(takeLeader.trials[0]!.vsSeed).toBeNull();
    for (const t of takeLeader.trials.slice(1)) {
      // HitRate is defined for every validation user, so the paired mean gain is the difference of the means.
      expect(t.vsSeed!.gain).toBeCloseTo(t.value - takeLeader.trials[0]!.value, 12);
      expect(t.vsSeed!.standardError).toBeGreaterThanOrEqual(0);
    }
    expect(takeLeader.leader.value).toBe(Math.max(...takeLeader.trials.map((t) => t.value)));
    expect(takeLeader.best).toBe(takeLeader.leader);
    const strict = await run(1e9);
    expect(strict.leader.config).toEqual(takeLeader.leader.config);
    expect(strict.best.config).toEqual(strict.leader === strict.trials[0] ? strict.leader.config : SEED_CONFIG);
    expect(strict.best).toBe(strict.trials[0]);
  });
});

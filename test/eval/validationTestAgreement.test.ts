import { describe, expect, it } from 'vitest';
import { spearman } from '../../src/eval/validationTestAgreement.js';

describe('spearman', () => {
  it('is 1 for the same order, −1 for the reverse, NaN below 3 points, and averages tied ranks', () => {
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 45])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
    expect(spearman([1, 2], [1, 2])).toBeNaN();
    // Ranks a = (1, 2, 3, 4), b = (1, 2.5, 2.5, 4): ρ = Σ(da·db) / √(Σda² Σdb²) = 4.5 / √(5 · 4.5).
    expect(spearman([1, 2, 3, 4], [1, 5, 5, 9])).toBeCloseTo(4.5 / Math.sqrt(5 * 4.5), 12);
  });
});

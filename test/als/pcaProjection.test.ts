import { describe, expect, it } from 'vitest';
import { pcaProjection } from '../../src/als/pcaProjection.js';

/** Orthonormal u1, u2 in R^k (two disjoint halves of a +-1 pattern, normalised). */
function axes(k: number): [Float64Array, Float64Array] {
  const u1 = new Float64Array(k);
  const u2 = new Float64Array(k);
  for (let a = 0; a < k; a++) (a % 2 === 0 ? u1 : u2)[a] = (a % 3 === 0 ? 1 : -1) / Math.sqrt(Math.ceil(k / 2) - (a % 2 === 0 ? 0 : k % 2));
  return [u1, u2];
}

describe('pcaProjection', () => {
  it('recovers the two axes of points spread 3:1 along known orthonormal directions (the oracle)', () => {
    const k = 12;
    const [u1, u2] = axes(k);
    // Every (a, b) in {-1, 1}^2 four times: a and b are uncorrelated with variance 1 each.
    const pairs = [[-1, -1], [-1, 1], [1, -1], [1, 1]].flatMap((p) => [p, p, p, p]);
    const mu = Float64Array.from({ length: k }, (_, a) => 0.5 - a / k);
    const F = new Float32Array(pairs.length * k);
    pairs.forEach(([a, b], r) => {
      for (let c = 0; c < k; c++) F[r * k + c] = mu[c]! + 3 * a! * u1[c]! + b! * u2[c]!;
    });
    const rows = Int32Array.from(pairs, (_, r) => r);
    const p = pcaProjection(F, k, rows);
    expect(p.variance[0]).toBeCloseTo(9, 4);
    expect(p.variance[1]).toBeCloseTo(1, 4);
    expect(p.totalVariance).toBeCloseTo(10, 4);
    pairs.forEach(([a, b], r) => {
      // Up to one global sign per axis.
      expect(Math.abs(p.x[r]!)).toBeCloseTo(3, 4);
      expect(Math.abs(p.y[r]!)).toBeCloseTo(1, 4);
      expect(Math.sign(p.x[r]!) * Math.sign(p.x[0]!)).toBe(a! * pairs[0]![0]!);
      expect(Math.sign(p.y[r]!) * Math.sign(p.y[0]!)).toBe(b! * pairs[0]![1]!);
    });
  });

  it('projects only the chosen rows and is deterministic', () => {
    const k = 5;
    const F = Float32Array.from({ length: 40 * k }, (_, j) => Math.sin(j * 1.7) + (j % k === 2 ? 2 * Math.cos(j) : 0));
    const rows = Int32Array.of(3, 7, 11, 19, 23, 31, 39);
    const a = pcaProjection(F, k, rows);
    const b = pcaProjection(F, k, rows);
    expect(a.x).toHaveLength(rows.length);
    expect([...a.x]).toEqual([...b.x]);
    expect(a.variance[0]).toBeGreaterThanOrEqual(a.variance[1]);
    // The projections are centred: they sum to zero on each axis.
    expect(Math.abs(a.x.reduce((s, v) => s + v, 0))).toBeLessThan(1e-4);
    expect(Math.abs(a.y.reduce((s, v) => s + v, 0))).toBeLessThan(1e-4);
  });
});

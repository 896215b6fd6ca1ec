import { describe, expect, it } from 'vitest';
import { initialFactors, mulberry32 } from '../../src/als/initialFactors.js';

describe('initialFactors', () => {
  it('should draw item factors, then user factors, from mulberry32(seed) scaled by 0.01, as documented', () => {
    const next = mulberry32(42);
    const draw = (count: number) => Float32Array.from({ length: count }, () => next() * 0.01);
    const items = draw(5 * 3);
    const users = draw(7 * 3);
    const got = initialFactors(7, 5, 3, 42);
    expect([...got.itemFactors]).toEqual([...items]);
    expect([...got.userFactors]).toEqual([...users]);
    expect(initialFactors(7, 5, 3, 43).itemFactors[0]).not.toBe(items[0]);
  });
});

import { describe, expect, it } from 'vitest';
import { count } from '../../src/cli/format.js';

describe('count', () => {
  it('groups thousands as en-US Intl.NumberFormat does, for integers of every length and sign', () => {
    const intl = new Intl.NumberFormat('en-US', { maximumFractionDigits: 20 });
    const values = [0, 7, 42, 999, 1000, 1682, 99_057, 100_000, 1_000_000, 25_000_095, 2 ** 31, Number.MAX_SAFE_INTEGER];
    for (const v of [...values, ...values.map((x) => -x).filter((x) => x !== 0)]) {
      expect(count(v), String(v)).toBe(intl.format(v));
    }
  });

  it('leaves the fraction of a non-integer ungrouped', () => {
    expect(count(1234.5678)).toBe('1,234.5678');
  });
});

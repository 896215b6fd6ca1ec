import { describe, expect, it } from 'vitest';
import { claimRange, createRangeQueue, drainRanges, MAX_RANGES, rangesLeft } from '../../../src/data/events/parallel/rangeQueue.js';

describe('rangeQueue', () => {
  it('cuts the data into ranges of about the asked size, the last one ending at the file end', () => {
    const { bounds } = createRangeQueue(32, 1032, 100);
    expect(bounds).toHaveLength(11);
    expect(bounds[0]).toBe(32);
    expect(bounds[10]).toBe(1032);
    expect(createRangeQueue(0, 10 * MAX_RANGES, 1).bounds).toHaveLength(MAX_RANGES + 1);
  });

  it('cuts the last ranges finer for several threads, so they finish together', () => {
    const { bounds } = createRangeQueue(0, 100_000, 1000, 2);
    const sizes = bounds.slice(1).map((b, r) => b - bounds[r]!);
    expect(bounds[0]).toBe(0);
    expect(bounds.at(-1)).toBe(100_000);
    expect(sizes.every((size, r) => r === 0 || size <= sizes[r - 1]!)).toBe(true);
    // Two threads: the last 2000 bytes in ranges of a quarter of the size.
    expect(sizes.slice(-8)).toEqual(Array(8).fill(250));
    expect(sizes[0]).toBe(1000);
    // Too little data for a fine tail: equal ranges.
    expect(new Set(createRangeQueue(0, 5000, 1000, 2).bounds.slice(1).map((b, r, all) => b - (r === 0 ? 0 : all[r - 1]!)))).toEqual(new Set([1000]));
  });

  it('gives every range exactly once, in file order, whoever claims', () => {
    const queue = createRangeQueue(0, 1000, 10);
    const claimed: number[] = [];
    expect(rangesLeft(queue)).toBe(true);
    for (let range = claimRange(queue); range >= 0; range = claimRange(queue)) claimed.push(range);
    expect(claimed).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(rangesLeft(queue)).toBe(false);
    expect(claimRange(queue)).toBe(-1);
  });

  it('gives nothing more once drained', () => {
    const queue = createRangeQueue(0, 1000, 10);
    expect(claimRange(queue)).toBe(0);
    drainRanges(queue);
    expect(rangesLeft(queue)).toBe(false);
    expect(claimRange(queue)).toBe(-1);
  });
});

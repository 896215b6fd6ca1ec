import { describe, expect, it } from 'vitest';
import { claimRange, createRangeQueue, drainRanges, MAX_RANGES } from '../../../src/data/events/parallel/rangeQueue.js';

describe('rangeQueue', () => {
  it('cuts the data into ranges of about the asked size, the last one ending at the file end', () => {
    const { bounds } = createRangeQueue(32, 1032, 100);
    expect(bounds).toHaveLength(11);
    expect(bounds[0]).toBe(32);
    expect(bounds[10]).toBe(1032);
    expect(createRangeQueue(0, 10 * MAX_RANGES, 1).bounds).toHaveLength(MAX_RANGES + 1);
  });

  it('gives every range exactly once, the front in ascending order and the back in descending order', () => {
    const queue = createRangeQueue(0, 1000, 10);
    const front: number[] = [];
    const back: number[] = [];
    for (let k = 0; ; k++) {
      const fromBack = k % 3 === 0;
      const range = claimRange(queue, fromBack);
      if (range < 0) break;
      (fromBack ? back : front).push(range);
    }
    expect(front).toEqual(Array.from({ length: front.length }, (_, i) => i));
    expect(back).toEqual(Array.from({ length: back.length }, (_, i) => 99 - i));
    expect(front.length + back.length).toBe(100);
    expect(claimRange(queue, false)).toBe(-1);
    expect(claimRange(queue, true)).toBe(-1);
  });

  it('gives nothing more once drained', () => {
    const queue = createRangeQueue(0, 1000, 10);
    expect(claimRange(queue, false)).toBe(0);
    drainRanges(queue);
    expect(claimRange(queue, false)).toBe(-1);
    expect(claimRange(queue, true)).toBe(-1);
  });
});

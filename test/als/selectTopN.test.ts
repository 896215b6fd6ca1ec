import { describe, expect, it } from 'vitest';
import { TopNHeap } from '../../src/als/selectTopN.js';
import { mulberry32 } from '../../src/als/initialFactors.js';

describe('TopNHeap', () => {
  it('should keep the n best, best first, ties to the smaller index, padding with -1', () => {
    const heap = new TopNHeap(4);
    [[5, 0.2], [3, 0.9], [7, 0.9], [1, 0.1], [2, NaN]].forEach(([i, s]) => heap.push(i!, s!));
    const items = new Int32Array(4);
    const scores = new Float32Array(4);
    expect(heap.drainInto(items, scores, 0)).toBe(4);
    expect([...items]).toEqual([3, 7, 5, 1]);
    const few = new TopNHeap(3);
    few.push(9, 1);
    const it2 = new Int32Array(3);
    const sc2 = new Float32Array(3);
    expect(few.drainInto(it2, sc2, 0)).toBe(1);
    expect([...it2]).toEqual([9, -1, -1]);
    expect(sc2[1]).toBe(-Infinity);
  });

  it('should agree with a full sort on random scores with many ties', () => {
    const next = mulberry32(3);
    const scores = Array.from({ length: 500 }, () => Math.floor(next() * 40) / 40);
    const heap = new TopNHeap(25);
    scores.forEach((s, i) => heap.push(i, s));
    const items = new Int32Array(25);
    heap.drainInto(items, new Float32Array(25), 0);
    const expected = scores.map((s, i) => ({ s, i })).sort((a, b) => b.s - a.s || a.i - b.i).slice(0, 25).map((e) => e.i);
    expect([...items]).toEqual(expected);
  });
});

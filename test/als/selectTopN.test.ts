import { describe, expect, it } from 'vitest';
import { selectTopN, TopNHeap } from '../../src/als/selectTopN.js';
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

describe('selectTopN', () => {
  it('should rank a score row best first, ties to the smaller index, skipping masked items and NaN, padding with -1', () => {
    const top = selectTopN(Float64Array.of(0.5, 0.9, NaN, 0.9, 0.1, 0.7), 5, Uint8Array.of(0, 0, 0, 0, 0, 1));
    expect(top.kept).toBe(4);
    expect([...top.items]).toEqual([1, 3, 0, 4, -1]);
    expect([...top.scores]).toEqual([Math.fround(0.9), Math.fround(0.9), 0.5, Math.fround(0.1), -Infinity]);
  });

  it('should compare scores as float32: values equal after rounding tie, and go to the smaller index', () => {
    // 1 + 2^-30 and 1 differ as doubles but are the same float32.
    const top = selectTopN([1, 1 + 2 ** -30, 0], 2);
    expect([...top.items]).toEqual([0, 1]);
  });

  it('should agree with a full sort on random rows, reusing one heap', () => {
    const next = mulberry32(5);
    const heap = new TopNHeap(10);
    for (let t = 0; t < 50; t++) {
      const scores = Array.from({ length: 1 + Math.floor(next() * 60) }, () => Math.floor(next() * 8));
      const skip = Uint8Array.from(scores, () => (next() < 0.3 ? 1 : 0));
      const top = selectTopN(scores, 10, skip, heap);
      const expected = scores.map((s, i) => ({ s, i })).filter((e) => skip[e.i] === 0).sort((a, b) => b.s - a.s || a.i - b.i).slice(0, 10).map((e) => e.i);
      expect([...top.items].slice(0, top.kept)).toEqual(expected);
    }
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { datasetFromIndexed } from '../../src/data/datasetFromIndexed.js';
import { indexInteractions } from '../../src/matrix/indexInteractions.js';
import { buildInteractions } from '../../src/matrix/interactions.js';
import { mergedView } from '../../src/data/mergedView.js';

/** The reference: of each (user, item) pair the latest event (greatest time, ties to the later line), at its own place. */
function keptInFileOrder(events: [number, number, number, number][]) {
  const latest = new Map<string, number>();
  events.forEach(([u, i, , t], j) => {
    const key = `${u},${i}`;
    const best = latest.get(key);
    if (best === undefined || t >= events[best]![3]) latest.set(key, j);
  });
  return [...latest.values()].sort((a, b) => a - b).map((j) => events[j]!);
}

describe('datasetFromIndexed', () => {
  it('should make the rating columns from the matrix: the kept events in file order, as the loaders kept them', () => {
    const event = fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 3 }));
    fc.assert(fc.property(fc.array(event, { maxLength: 50 }), fc.boolean(), fc.integer({ min: 0, max: 8 }), (unordered, presorted, head) => {
      const events = presorted ? [...unordered].sort((a, b) => a[0] - b[0] || a[1] - b[1]) : unordered;
      const column = (c: number) => events.map((e) => e[c]!);
      const indexed = indexInteractions({
        length: events.length,
        users: { kind: 'int', values: Int32Array.from(column(0)) },
        items: { kind: 'int', values: Int32Array.from(column(1)) },
        weights: Float32Array.from(column(2)),
        times: Float64Array.from(column(3)),
      }, { aggregate: 'last', reuseInput: true });
      const dataset = datasetFromIndexed({ dir: '.', format: 'ml-csv', movies: new Map(), warnings: [] }, indexed, events.length);
      const expected = keptInFileOrder(events);
      // The head is read before the whole columns exist, then again after.
      const first = dataset.headRatings!(head);
      expect([...first.users]).toEqual(expected.slice(0, head).map((e) => e[0]));
      const r = dataset.ratings;
      expect([...r.users]).toEqual(expected.map((e) => e[0]));
      expect([...r.items]).toEqual(expected.map((e) => e[1]));
      expect([...r.ratings]).toEqual(expected.map((e) => e[2]));
      expect([...r.timestamps]).toEqual(expected.map((e) => e[3]));
      expect(dataset.ratings).toBe(r);
      expect(dataset.duplicatesMerged).toBe(events.length - expected.length);
    }));
  });

  it('should not make the rating columns for training: buildInteractions and the merged view leave them unmade', () => {
    const indexed = indexInteractions({
      length: 3,
      users: { kind: 'int', values: Int32Array.of(1, 1, 2) },
      items: { kind: 'int', values: Int32Array.of(4, 5, 4) },
      weights: Float32Array.of(1, 2, 3),
      times: Float64Array.of(0, 1, 2),
    }, { reuseInput: true });
    const dataset = datasetFromIndexed({ dir: '.', format: 'ml-csv', movies: new Map(), warnings: [] }, indexed, 3);
    let reads = 0;
    const getter = Object.getOwnPropertyDescriptor(dataset, 'ratings')!.get!;
    Object.defineProperty(dataset, 'ratings', { get: () => { reads++; return getter(); } });
    expect(buildInteractions(dataset).matrix.indices.length).toBe(3);
    expect(mergedView(dataset, 2).map((r) => r.movieId)).toEqual([4, 5]);
    expect(reads).toBe(0);
    expect([...dataset.ratings.items]).toEqual([4, 5, 4]);
    expect(reads).toBe(1);
  });
});

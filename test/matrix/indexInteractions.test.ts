import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { indexInteractions, type Aggregate } from '../../src/matrix/indexInteractions.js';
import type { RawInteractions } from '../../src/data/rawInteractions.js';

function raw(users: number[], items: number[], weights: number[], times: number[] | null): RawInteractions {
  return {
    length: users.length,
    users: { kind: 'int', values: Int32Array.from(users) },
    items: { kind: 'int', values: Int32Array.from(items) },
    weights: Float32Array.from(weights),
    times: times === null ? null : Float64Array.from(times),
  };
}

/** Entries as `user,item -> [value, time]`, read back through the id maps. */
function entries(result: ReturnType<typeof indexInteractions>): Map<string, [number, number | undefined]> {
  const { users, items, matrix, timestamps } = result.interactions;
  const out = new Map<string, [number, number | undefined]>();
  for (let r = 0; r < matrix.rows; r++) {
    for (let p = matrix.indptr[r]!; p < matrix.indptr[r + 1]!; p++) {
      out.set(`${users.id(r)},${items.id(matrix.indices[p]!)}`, [matrix.data[p]!, timestamps?.[p]]);
    }
  }
  return out;
}

/** The reference: a Map over pairs, events visited in file order. */
function reference(users: number[], items: number[], weights: number[], times: number[] | null, aggregate: Aggregate) {
  const groups = new Map<string, number[]>();
  users.forEach((u, j) => {
    const key = `${u},${items[j]}`;
    groups.set(key, [...(groups.get(key) ?? []), j]);
  });
  const out = new Map<string, [number, number | undefined]>();
  for (const [key, js] of groups) {
    let latest = js[0]!;
    for (const j of js) if (times === null || times[j]! >= times[latest]!) latest = j;
    const ws = js.map((j) => Math.fround(weights[j]!));
    const value = aggregate === 'sum' ? ws.reduce((a, b) => a + b, 0)
      : aggregate === 'max' ? Math.max(...ws)
        : aggregate === 'last' ? Math.fround(weights[latest]!) : js.length;
    out.set(key, [Math.fround(value), times === null ? undefined : times[latest]]);
  }
  return out;
}

describe('indexInteractions', () => {
  // user 7 rates item 1 three times (times 5, 9, 9), item 2 once; user 3 rates item 2 once.
  const users = [7, 7, 3, 7, 7];
  const items = [1, 1, 2, 1, 2];
  const weights = [1, 4, 5, 2, 3];
  const times = [5, 9, 1, 9, 2];

  it('should sum duplicates by default and keep their latest time', () => {
    const result = indexInteractions(raw(users, items, weights, times));
    expect([...result.interactions.users.ids]).toEqual([3, 7]);
    expect([...result.interactions.items.ids]).toEqual([1, 2]);
    const m = result.interactions.matrix;
    expect([...m.indptr]).toEqual([0, 1, 3]);
    expect([...m.indices]).toEqual([1, 0, 1]);
    expect([...m.data]).toEqual([5, 7, 3]);
    expect([...result.interactions.timestamps!]).toEqual([1, 9, 2]);
    expect(result.duplicatesMerged).toBe(2);
    // The latest of user 7's item-1 events: time 9 twice, so the later line (event 3).
    expect([...result.source]).toEqual([2, 3, 4]);
  });

  it.each([
    ['max', 4],
    ['last', 2],
    ['count', 3],
  ] as const)('should aggregate with %s', (aggregate, value) => {
    const m = indexInteractions(raw(users, items, weights, times), { aggregate }).interactions.matrix;
    expect(m.data[1]).toBe(value);
  });

  it('should take the later event as the latest when there are no times', () => {
    const result = indexInteractions(raw([1, 1, 1], [4, 4, 4], [3, 1, 2], null), { aggregate: 'last' });
    expect([...result.interactions.matrix.data]).toEqual([2]);
    expect(result.interactions.timestamps).toBeUndefined();
    expect(result.heldOut).toBeNull();
  });

  it('should give each user with 2+ entries its latest entry to hold out, ties to the larger item', () => {
    // user 1: items 10 (t 5), 20 (t 8), 30 (t 8) -> item 30; user 2: one entry -> none.
    const result = indexInteractions(raw([1, 1, 2, 1], [20, 10, 10, 30], [1, 1, 1, 1], [8, 5, 3, 8]));
    const { matrix, items } = result.interactions;
    expect(result.heldOut![1]).toBe(-1);
    expect(items.id(matrix.indices[result.heldOut![0]!]!)).toBe(30);
  });

  it('should report each phase with its time and bytes', () => {
    const phases: string[] = [];
    indexInteractions(raw(users, items, weights, times), { onPhase: (phase, seconds, bytes) => {
      expect(seconds).toBeGreaterThanOrEqual(0);
      expect(bytes).toBeGreaterThan(0);
      phases.push(phase);
    } });
    expect(phases).toEqual(['map ids', 'order', 'merge + CSR', 'split order']);
  });

  it('should throw on a bad aggregate, mismatched columns, and a non-finite aggregate', () => {
    expect(() => indexInteractions(raw([1], [1], [1], null), { aggregate: 'mean' as Aggregate })).toThrow('for aggregate');
    expect(() => indexInteractions({ ...raw([1], [1], [1], null), length: 2 })).toThrow('Expected a column of 2 ids for raw.users');
    expect(() => indexInteractions(raw([1, 1], [2, 2], [3e38, 3e38], null))).toThrow('The sum of the weights of user 1, item 2 is not a finite float32');
  });

  it('should map string ids in code-unit order, exactly as given, dropping unused table entries', () => {
    const r: RawInteractions = {
      ...raw([1, 1, 1], [1, 2, 3], [1, 1, 1], null),
      users: { kind: 'string', codes: Int32Array.of(0, 2, 0), table: ['u9', 'unused', 'u10'] },
    };
    const { interactions } = indexInteractions(r);
    expect(interactions.users.kind).toBe('string');
    expect([...interactions.users.ids]).toEqual(['u10', 'u9']);
    expect(interactions.users.index('u9', 'user')).toBe(1);
    expect(Array.from(interactions.matrix.indptr)).toEqual([0, 1, 3]);
  });

  it('should agree with a Map over pairs for every aggregate, with and without times', () => {
    const event = fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 3 }));
    fc.assert(fc.property(fc.array(event, { maxLength: 60 }), fc.constantFrom(...(['sum', 'max', 'last', 'count'] as const)), fc.boolean(), fc.boolean(), (unordered, aggregate, timed, presorted) => {
      // Presorted: events in (user, item) order, as sorted files come (the path with no sort).
      const events = presorted ? [...unordered].sort((a, b) => a[0] - b[0] || a[1] - b[1]) : unordered;
      const u = events.map((e) => e[0] * 1000 - 3); // spread ids, some negative
      const i = events.map((e) => e[1]);
      const w = events.map((e) => e[2]);
      const t = timed ? events.map((e) => e[3]) : null;
      const got = indexInteractions(raw(u, i, w, t), { aggregate });
      expect(entries(got)).toEqual(reference(u, i, w, t, aggregate));
      expect(got.duplicatesMerged).toBe(events.length - got.interactions.matrix.indices.length);
      // Handing the columns over gives the same matrix, sources and hold-outs.
      const handed = indexInteractions(raw(u, i, w, t), { aggregate, reuseInput: true });
      expect(entries(handed)).toEqual(entries(got));
      expect([...handed.source]).toEqual([...got.source]);
      expect(handed.heldOut === null ? null : [...handed.heldOut]).toEqual(got.heldOut === null ? null : [...got.heldOut]);
    }));
  });

  it('should build the matrix in the handed-over columns when the events are in order, allocating no event-sized array', () => {
    const input = raw([1, 1, 2, 2, 2], [5, 9, 5, 5, 7], [1, 2, 3, 4, 5], [10, 11, 12, 13, 14]);
    const items = (input.items as { values: Int32Array }).values;
    const got = indexInteractions(input, { aggregate: 'sum', reuseInput: true });
    const m = got.interactions.matrix;
    expect(m.indices.buffer).toBe(items.buffer);
    expect(m.data.buffer).toBe(input.weights.buffer);
    expect(got.interactions.timestamps!.buffer).toBe(input.times!.buffer);
    expect([...m.indptr]).toEqual([0, 2, 4]);
    expect([...m.indices]).toEqual([0, 2, 0, 1]);
    expect([...m.data]).toEqual([1, 2, 7, 5]);
    expect([...got.source]).toEqual([0, 1, 3, 4]);
    // Without duplicates the sources are the identity, made only when read.
    const plain = indexInteractions(raw([1, 2], [3, 4], [1, 1], null), { reuseInput: true });
    expect([...plain.source]).toEqual([0, 1]);
  });
});

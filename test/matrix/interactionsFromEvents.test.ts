import { describe, expect, it } from 'vitest';
import { interactionsFromEvents } from '../../src/matrix/interactionsFromEvents.js';
import { eventsToRawInteractions } from '../../src/data/eventsToRawInteractions.js';

/** The CSR as { user: { item: weight } }, by external id. */
function asObject(data: ReturnType<typeof interactionsFromEvents>): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  const m = data.matrix;
  for (let u = 0; u < m.rows; u++) {
    const row: Record<string, number> = {};
    for (let q = m.indptr[u]!; q < m.indptr[u + 1]!; q++) row[String(data.items.id(m.indices[q]!))] = m.data[q]!;
    out[String(data.users.id(u))] = row;
  }
  return out;
}

describe('interactionsFromEvents', () => {
  it('should sum repeated pairs, keep the latest time, and drop pairs with no positive total', () => {
    const data = interactionsFromEvents([
      { user: 'u1', item: 'sku-9', weight: 3, time: '2024-05-01T10:00:00Z' },
      { user: 'u1', item: 'sku-9', weight: 2, time: 1714600000 },
      { user: 'u1', item: 'sku-10', time: new Date('2024-04-01T00:00:00Z') },
      { user: 'u2', item: 'sku-10', weight: 4, time: 1714557600000 },
      { user: 'u3', item: 'sku-11', weight: 5, time: '2024-05-02 08:00:00' },
      { user: 'u3', item: 'sku-11', weight: -5, time: '2024-05-03' },
    ]);
    expect(asObject(data)).toEqual({ u1: { 'sku-10': 1, 'sku-9': 5 }, u2: { 'sku-10': 4 } });
    // u3 and sku-11 had only a cancelled pair: they are not in the maps.
    expect(data.users.ids).toEqual(['u1', 'u2']);
    expect(data.items.ids).toEqual(['sku-10', 'sku-9']);
    // CSR order: u1 sku-10, u1 sku-9, u2 sku-10.
    expect([...data.timestamps!]).toEqual([Date.parse('2024-04-01T00:00:00Z') / 1000, 1714600000, 1714557600]);
  });

  it('should keep integer ids numeric and strings as given, without timestamps when none are given', () => {
    const data = interactionsFromEvents([{ user: 7, item: '00123' }, { user: 3, item: '123' }, { user: 7, item: '123', weight: 2 }]);
    expect(data.users.kind).toBe('int');
    expect([...data.users.ids]).toEqual([3, 7]);
    expect(data.items.ids).toEqual(['00123', '123']);
    expect(data.timestamps).toBeUndefined();
    expect(asObject(data)).toEqual({ 3: { 123: 1 }, 7: { '00123': 1, 123: 2 } });
  });

  it('should read a time without a zone as UTC, and milliseconds from 1e11 up', () => {
    const raw = eventsToRawInteractions([
      { user: 1, item: 1, time: '2024-05-01 10:00:00' },
      { user: 1, item: 2, time: '2024-05-01T10:00:00' },
      { user: 1, item: 3, time: 1e11 },
      { user: 1, item: 4, time: 99_999_999_999 },
    ]);
    expect([...raw.times!]).toEqual([1714557600, 1714557600, 1e8, 99_999_999_999]);
  });

  it('should name the event at fault', () => {
    expect(() => interactionsFromEvents([{ user: 'u1', item: 'a' }, { user: 'u2' } as never])).toThrow('Expected an id (a 32-bit integer, or a string of 1 to 1024 characters of well-formed Unicode) for events[1].item but received undefined');
    expect(() => interactionsFromEvents([{ user: 'u1', item: 'a', weight: Number.NaN }])).toThrow('Expected a finite number for events[0].weight but received NaN of type number');
    expect(() => interactionsFromEvents([{ user: 'u1', item: 'a', time: 'yesterday' }])).toThrow('Expected epoch seconds or milliseconds, an ISO 8601 string, or a Date for events[0].time but received "yesterday" of type string');
    expect(() => interactionsFromEvents([{ user: 'u1', item: 'a', time: 5 }, { user: 'u1', item: 'b' }])).toThrow('Expected a time on every event or on none for events[1].time');
    expect(() => interactionsFromEvents([{ user: 'u1', item: 'a', weight: -1 }])).toThrow('Expected at least one (user, item) pair with a positive total weight for events but received "1 events"');
    expect(() => interactionsFromEvents('x' as never)).toThrow('Expected an array of { user, item, weight?, time? } for events');
  });

  it('should attach titles for the ids it keeps, keyed as the map holds them', () => {
    const data = interactionsFromEvents([{ user: 'u', item: 50 }, { user: 'v', item: 51 }], {
      titles: new Map<string | number, string | { title: string; genres: string[] }>([['50', 'Star Wars'], [51, { title: 'Fargo', genres: ['Crime'] }], [99, 'absent']]),
    });
    expect([...data.movies.entries()]).toEqual([[50, { id: 50, title: 'Star Wars', year: null, genres: [] }], [51, { id: 51, title: 'Fargo', year: null, genres: ['Crime'] }]]);
  });
});

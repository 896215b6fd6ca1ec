/** aggregateEvents against a Map-per-pair oracle, for every rule, on random logs. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregateEvents } from '../../src/data/aggregateEvents.js';
import type { AggregateRule } from '../../src/data/events/loadOptions.js';
import type { RawInteractions } from '../../src/data/rawInteractions.js';

const event = fc.record({ user: fc.integer({ min: 0, max: 5 }), item: fc.integer({ min: 0, max: 4 }), weight: fc.integer({ min: 1, max: 9 }), time: fc.integer({ min: 0, max: 3 }) });

function oracle(events: { user: number; item: number; weight: number; time: number }[], rule: AggregateRule) {
  const pairs = new Map<string, { user: number; item: number; weight: number; time: number; lastWeight: number }>();
  for (const e of events) {
    const key = `${e.user}/${e.item}`;
    const p = pairs.get(key);
    if (p === undefined) {
      pairs.set(key, { ...e, weight: rule === 'count' ? 1 : e.weight, lastWeight: e.weight });
      continue;
    }
    if (rule === 'sum') p.weight += e.weight;
    if (rule === 'max') p.weight = Math.max(p.weight, e.weight);
    if (rule === 'count') p.weight += 1;
    if (e.time >= p.time) p.lastWeight = e.weight;
    p.time = Math.max(p.time, e.time);
  }
  return [...pairs.values()].map((p) => ({ user: p.user, item: p.item, weight: rule === 'last' ? p.lastWeight : p.weight, time: p.time }));
}

describe('aggregateEvents', () => {
  it('merges repeated (user, item) events like a Map per pair, in first-event order, for every rule', () => {
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 60 }), fc.constantFrom<AggregateRule>('sum', 'max', 'last', 'count'), fc.boolean(), (events, rule, stringItems) => {
        const table = ['a', 'b', 'c', 'd', 'e'];
        const raw: RawInteractions = {
          length: events.length,
          users: { kind: 'int', values: Int32Array.from(events.map((e) => e.user * 1000)) },
          items: stringItems ? { kind: 'string', codes: Int32Array.from(events.map((e) => e.item)), table } : { kind: 'int', values: Int32Array.from(events.map((e) => e.item)) },
          weights: Float32Array.from(events.map((e) => e.weight)),
          times: Float64Array.from(events.map((e) => e.time)),
        };
        const { events: out, merged } = aggregateEvents(raw, rule);
        const expected = oracle(events, rule);
        expect(merged).toBe(events.length - expected.length);
        const items = out.items.kind === 'int' ? [...out.items.values] : [...out.items.codes];
        const users = out.users.kind === 'int' ? [...out.users.values] : [];
        expect(expected.map((e) => [e.user * 1000, e.item, e.weight, e.time])).toEqual(users.map((u, j) => [u, items[j], out.weights[j], out.times![j]]));
      }),
      { numRuns: 200 },
    );
  });
});

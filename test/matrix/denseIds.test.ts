import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { denseIds, indicesIn } from '../../src/matrix/denseIds.js';

/** The reference: distinct values sorted ascending, each value's position among them. */
function reference(values: readonly number[]): { ids: number[]; codes: number[] } {
  const ids = [...new Set(values)].sort((a, b) => a - b);
  const at = new Map(ids.map((id, i) => [id, i]));
  return { ids, codes: values.map((v) => at.get(v)!) };
}

describe('denseIds', () => {
  it('should number small integer ids in ascending order (dense table)', () => {
    const { ids, codes } = denseIds({ kind: 'int', values: Int32Array.of(196, 22, 196, 5, 1000) });
    expect([...ids]).toEqual([5, 22, 196, 1000]);
    expect([...codes]).toEqual([2, 1, 2, 0, 3]);
  });

  it('should number widely spread and negative ids in ascending order (radix sort)', () => {
    const values = Int32Array.of(2147483647, -2147483648, 0, 1 << 30, -5, 2147483647, -5);
    const { ids, codes } = denseIds({ kind: 'int', values });
    expect([...ids]).toEqual([-2147483648, -5, 0, 1 << 30, 2147483647]);
    expect([...codes]).toEqual([4, 0, 2, 3, 1, 4, 1]);
  });

  it('should handle no events', () => {
    expect(denseIds({ kind: 'int', values: new Int32Array(0) }).ids.length).toBe(0);
    expect(denseIds({ kind: 'string', codes: new Int32Array(0), table: ['a'] }).ids).toEqual([]);
  });

  it('should sort a string table once in code-unit order, leaving out unused entries', () => {
    const table = ['b', '10', 'unused', '9', 'B', 'é'];
    const { ids, codes } = denseIds({ kind: 'string', codes: Int32Array.of(0, 1, 3, 0, 4, 5), table });
    expect(ids).toEqual(['10', '9', 'B', 'b', 'é']);
    expect([...codes]).toEqual([3, 0, 1, 3, 2, 4]);
  });

  it('should throw naming the event whose string code is outside the table', () => {
    expect(() => denseIds({ kind: 'string', codes: Int32Array.of(0, 2), table: ['a', 'b'] }))
      .toThrow('Expected an index into the id table [0, 2) for id code of event 1 but received 2 of type number');
  });

  it('should agree with sort-and-search on any integer ids, small or spread', () => {
    const small = fc.array(fc.integer({ min: -50, max: 300 }), { maxLength: 200 });
    const spread = fc.array(fc.integer({ min: -2147483648, max: 2147483647 }), { maxLength: 200 });
    for (const arb of [small, spread]) {
      fc.assert(fc.property(arb, (values) => {
        const got = denseIds({ kind: 'int', values: Int32Array.from(values) });
        const want = reference(values);
        expect([...got.ids]).toEqual(want.ids);
        expect([...got.codes]).toEqual(want.codes);
      }));
    }
  });
});

describe('indicesIn', () => {
  it('should find each value among the ids, by table or by hash', () => {
    expect([...indicesIn(Int32Array.of(5, 22, 196), Int32Array.of(196, 5, 22), 'user')]).toEqual([2, 0, 1]);
    expect([...indicesIn(Int32Array.of(-2e9, 2e9), Int32Array.of(2e9, -2e9), 'user')]).toEqual([1, 0]);
  });

  it('should name the first unknown id', () => {
    expect(() => indicesIn(Int32Array.of(5, 22), Int32Array.of(5, 7), 'item')).toThrow('Unknown item id 7');
    expect(() => indicesIn(Int32Array.of(-2e9, 2e9), Int32Array.of(3), 'user')).toThrow('Unknown user id 3');
    expect(() => indicesIn(new Int32Array(0), Int32Array.of(3), 'user')).toThrow('Unknown user id 3');
  });
});

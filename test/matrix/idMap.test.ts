import { describe, expect, it } from 'vitest';
import { IdMap } from '../../src/matrix/idMap.js';

describe('IdMap', () => {
  it('should map ids to ascending dense indices and back', () => {
    const m = IdMap.fromIds(Int32Array.of(196, 22, 196, 5, 1000));
    expect(m.size).toBe(4);
    expect([...m.ids]).toEqual([5, 22, 196, 1000]);
    expect(m.index(196, 'user')).toBe(2);
    expect(m.id(3)).toBe(1000);
    expect(m.tryIndex(7)).toBe(-1);
    expect(m.has(22)).toBe(true);
  });

  it('should name the unknown id', () => {
    expect(() => IdMap.fromIds([1, 2]).index(99, 'movie')).toThrow('Unknown movie id 99');
  });
});

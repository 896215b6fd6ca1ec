import { describe, expect, it } from 'vitest';
import { IdMap, checkExternalId } from '../../src/matrix/idMap.js';

describe('IdMap', () => {
  it('should map ids to ascending dense indices and back', () => {
    const m = IdMap.fromIds(Int32Array.of(196, 22, 196, 5, 1000));
    expect(m.size).toBe(4);
    expect(m.kind).toBe('int');
    expect([...m.ids]).toEqual([5, 22, 196, 1000]);
    expect(m.index(196, 'user')).toBe(2);
    expect(m.id(3)).toBe(1000);
    expect(m.tryIndex(7)).toBe(-1);
    expect(m.has(22)).toBe(true);
  });

  it('should name the unknown id, quoting a string one', () => {
    expect(() => IdMap.fromIds([1, 2]).index(99, 'item')).toThrow('Unknown item id 99');
    expect(() => IdMap.fromStringIds(['a']).index('00123', 'user')).toThrow('Unknown user id "00123"');
    expect(() => IdMap.fromStringIds(['a']).index('x\x1b[2J', 'user')).toThrow('Unknown user id "x\\u001b[2J"');
  });

  it('should keep string ids exactly as given, in code-unit order', () => {
    const m = IdMap.fromStringIds(['sku-9', '00123', 'sku-10', '123', 'sku-9', 'É']);
    expect(m.kind).toBe('string');
    expect(m.ids).toEqual(['00123', '123', 'sku-10', 'sku-9', 'É']);
    expect(m.id(0)).toBe('00123');
    expect(m.tryIndex('123')).toBe(1);
    // A number finds its text on a string side; "00123" is not 123.
    expect(m.tryIndex(123)).toBe(1);
    expect(m.tryIndex(0o123)).toBe(-1);
  });

  it('should find an integer id by its canonical text only, on an integer side', () => {
    const m = IdMap.fromIds([0, 7, -3, 2147483647]);
    expect(m.tryIndex('7')).toBe(m.tryIndex(7));
    expect(m.tryIndex('-3')).toBe(0);
    expect(m.tryIndex('2147483647')).toBe(3);
    for (const text of ['07', '+7', ' 7', '7.0', '1e1', '', '-0', '2147483648', 'seven']) expect(m.tryIndex(text), text).toBe(-1);
    expect(m.tryIndex(7.5)).toBe(-1);
  });

  it('should append without moving existing indices, keeping each side\'s kind', () => {
    const ints = IdMap.fromIds([5, 1]).append(['9', 3], 'user id');
    expect(ints.kind).toBe('int');
    expect([...ints.ids]).toEqual([1, 5, 9, 3]);
    expect(() => IdMap.fromIds([1]).append(['u-7'], 'user id')).toThrow('Expected an integer id (this side\'s ids are integers) for user id but received "u-7" of type string');
    const strings = IdMap.fromStringIds(['b', 'a']).append([7, 'c'], 'item id');
    expect(strings.ids).toEqual(['a', 'b', '7', 'c']);
    expect(strings.index(7, 'item')).toBe(2);
  });

  it('should accept int32 and 1..1024-character ids only', () => {
    expect(() => checkExternalId('', 'id')).toThrow('Expected an id (a 32-bit integer, or a string of 1 to 1024 characters of well-formed Unicode) for id but received "" of type string');
    expect(() => checkExternalId(2 ** 31, 'id')).toThrow('received 2147483648 of type number');
    expect(() => checkExternalId('x'.repeat(1025), 'id')).toThrow('for id but received "xxxxx');
    expect(() => checkExternalId(null, 'id')).toThrow('received null');
    checkExternalId('x'.repeat(1024), 'id');
    checkExternalId(-(2 ** 31), 'id');
  });
});

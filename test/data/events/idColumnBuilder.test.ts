import { describe, expect, it } from 'vitest';
import { trim } from '../../../src/data/events/idColumnBuilder.js';

describe('trim (finished columns)', () => {
  it('copies a small column whose spare capacity is more than an eighth, freeing it', () => {
    const a = new Int32Array(100).map((_, i) => i);
    const t = trim(a, 50);
    expect(t.buffer).not.toBe(a.buffer);
    expect(t.buffer.byteLength).toBe(200);
    expect(Array.from(t)).toEqual(Array.from(a.subarray(0, 50)));
  });

  it('keeps a small column with little spare as a view', () => {
    const a = new Float32Array(100);
    expect(trim(a, 90).buffer).toBe(a.buffer);
  });

  it('keeps a large column as a view however much is spare (its untouched pages cost no memory; a copy would touch them all)', () => {
    const a = new Float64Array(2 << 20); // 16 MiB
    a[0] = 7;
    const t = trim(a, 1000);
    expect(t.buffer).toBe(a.buffer);
    expect(t.length).toBe(1000);
    expect(t[0]).toBe(7);
  });
});

import { describe, expect, it } from 'vitest';
import { largeFloat32Array, largeFloat64Array, largeInt32Array, setHugePageAdviser, type HugePageAdviser } from '../../src/matrix/largeArrays.js';
import { loadAddon } from '../../src/als/native/addon.js';

const native = (() => {
  try {
    return loadAddon();
  } catch {
    return null;
  }
})();
if (native === null) console.warn('Skipping the huge-page advice checks: no native addon loads (the arrays are still tested plain).');

describe('large typed arrays', () => {
  it('should be zeroed arrays of the length asked, small or large', () => {
    for (const length of [0, 5, 3_000_000]) {
      const arrays = [largeInt32Array(length), largeFloat32Array(length), largeFloat64Array(length)];
      for (const a of arrays) {
        expect(a.length).toBe(length);
        expect(a.every((x) => x === 0)).toBe(true);
      }
    }
    expect(largeInt32Array(3)).toBeInstanceOf(Int32Array);
    expect(largeFloat32Array(3)).toBeInstanceOf(Float32Array);
    expect(largeFloat64Array(3)).toBeInstanceOf(Float64Array);
  });

  it('should hand arrays of 8 MiB or more, and only those, to the installed adviser before returning them', () => {
    const seen: number[] = [];
    const spy: HugePageAdviser = (view) => {
      expect(view.every((x) => x === 0)).toBe(true); // before any write
      seen.push(view.byteLength);
      return 0;
    };
    setHugePageAdviser(spy);
    try {
      largeFloat64Array(1 << 20); // 8 MiB
      largeInt32Array(1000);
      largeFloat32Array(3 << 20); // 12 MiB
    } finally {
      setHugePageAdviser(native?.adviseHugePages === undefined ? null : (view) => native.adviseHugePages!(view));
    }
    expect(seen).toEqual([8 << 20, 12 << 20]);
  });

  it.skipIf(native === null && process.env['ALSREC_REQUIRE_NATIVE'] !== '1')('should advise the aligned 2 MiB interior of a large array and keep its contents', () => {
    const advise = native!.adviseHugePages!.bind(native);
    const a = new Float64Array(3 << 20); // 24 MiB: at least 10 whole 2 MiB pages inside
    a[12345] = 7;
    const bytes = advise(a);
    expect(bytes % (2 << 20)).toBe(0);
    expect(bytes).toBeGreaterThanOrEqual(20 << 20);
    expect(bytes).toBeLessThanOrEqual(a.byteLength);
    expect(a[12345]).toBe(7);
    expect(advise(new Float32Array(16))).toBe(0); // no whole huge page inside
    expect(() => advise({} as Float32Array)).toThrow(TypeError);
  });
});

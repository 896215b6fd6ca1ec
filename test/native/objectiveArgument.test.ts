/**
 * The half-sweeps' optional `objective` argument (native/binding.cpp): omitted it is Hu et al.'s
 * objective; malformed fields are a TypeError/RangeError naming the field, never a crash.
 */
import { describe, expect, it } from 'vitest';
import { buildCsr } from '../../src/matrix/csr.js';
import { tryLoadAddon } from './problems.js';

const { addon, reason } = tryLoadAddon();
if (addon === null) console.warn(`native objective argument tests skipped: ${reason}`);

describe.skipIf(addon === null)('native half-sweep objective argument', () => {
  const C = buildCsr(Int32Array.of(0, 0, 1), Int32Array.of(0, 2, 1), Float32Array.of(2, -1, 3), 2, 3);
  const Y = Float32Array.of(0.3, -0.2, 0.1, 0.4, -0.25, 0.15);

  it("omitted, or { 1, 0, 0 }, gives Hu et al.'s solution bit for bit", async () => {
    const a = new Float32Array(4);
    const b = new Float32Array(4);
    await addon!.halfSweepCholesky(C, a, Y, 2, 0.1, 1);
    await addon!.halfSweepCholesky(C, b, Y, 2, 0.1, 1, { unobservedWeight: 1, regularizationExponent: 0, frequencyOffset: 0 });
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    const c = new Float32Array(4);
    await addon!.halfSweepCholesky(C, c, Y, 2, 0.1, 1, { unobservedWeight: 0.5, regularizationExponent: 1, frequencyOffset: 1.5 });
    expect(Buffer.from(a.buffer).equals(Buffer.from(c.buffer))).toBe(false);
  });

  it('rejects malformed fields with the field named', () => {
    const X = new Float32Array(4);
    const call = (objective: unknown) => () => addon!.halfSweepCG(C, X, Y, 2, 0.1, 3, 1, objective as never);
    expect(call(3)).toThrow(TypeError);
    expect(call({ unobservedWeight: 0, regularizationExponent: 0, frequencyOffset: 0 })).toThrow(/objective\.unobservedWeight/);
    expect(call({ unobservedWeight: 1, regularizationExponent: -1, frequencyOffset: 0 })).toThrow(/objective\.regularizationExponent/);
    expect(call({ unobservedWeight: 1, regularizationExponent: 1, frequencyOffset: Number.NaN })).toThrow(/objective\.frequencyOffset/);
    expect(call({ unobservedWeight: 1, regularizationExponent: '1', frequencyOffset: 0 })).toThrow(TypeError);
  });
});

import { describe, expect, it } from 'vitest';
import { resolveAlsOptions } from '../../src/als/options.js';

describe('resolveAlsOptions', () => {
  it('should throw naming the option, the expectation and what was received', () => {
    expect(() => resolveAlsOptions({ regularization: -1 })).toThrow('Expected a finite number >= 0 for regularization but received -1 of type number');
    expect(() => resolveAlsOptions({ factors: 2.5 })).toThrow('Expected an integer between 1 and 4096 for factors but received 2.5 of type number');
    expect(() => resolveAlsOptions({ alpha: NaN })).toThrow('Expected a finite number > 0 for alpha but received NaN of type number');
    expect(() => resolveAlsOptions({ solver: 'lu' as never })).toThrow(`Expected one of 'cg', 'cholesky' for solver but received "lu" of type string`);
    expect(() => resolveAlsOptions({ iterations: -1 })).toThrow('for iterations');
    expect(() => resolveAlsOptions({ cgSteps: 0 })).toThrow('for cgSteps');
    expect(() => resolveAlsOptions({ threads: 0 })).toThrow('for threads');
    expect(() => resolveAlsOptions({ backend: 'gpu' as never })).toThrow('for backend');
    expect(() => resolveAlsOptions({ onIteration: 3 as never })).toThrow('Expected a function for onIteration but received 3 of type number');
    expect(() => resolveAlsOptions({ factor: 3 } as never)).toThrow('Expected only known option names');
  });

  it('should refuse values finite in double but infinite in float32, where they become float32', () => {
    expect(() => resolveAlsOptions({ regularization: 1e39 })).toThrow(
      'Expected a finite number >= 0 within the float32 range (<= 3.4028234663852886e+38) for regularization but received 1e+39 of type number');
    expect(() => resolveAlsOptions({ alpha: 4e38 })).toThrow(
      'Expected a finite number > 0 within the float32 range (<= 3.4028234663852886e+38) for alpha but received 4e+38 of type number');
    expect(resolveAlsOptions({ regularization: 3e38, alpha: 3e38 })).toMatchObject({ regularization: 3e38, alpha: 3e38 });
  });

  it('should fill in the seed configuration as defaults', () => {
    const o = resolveAlsOptions({});
    expect(o).toMatchObject({ factors: 50, regularization: 0.01, alpha: 1, iterations: 20, solver: 'cg', cgSteps: 3, seed: 0, calculateTrainingLoss: false });
    expect(o.threads).toBeGreaterThanOrEqual(1);
  });

  it('should take the backend from ALSREC_BACKEND unless given', () => {
    const saved = process.env.ALSREC_BACKEND;
    try {
      process.env.ALSREC_BACKEND = 'ts';
      expect(resolveAlsOptions({}).backend).toBe('ts');
      expect(resolveAlsOptions({ backend: 'auto' }).backend).toBe('auto');
      process.env.ALSREC_BACKEND = 'fast';
      expect(() => resolveAlsOptions({})).toThrow(`Expected one of 'auto', 'native', 'ts' for ALSREC_BACKEND but received "fast" of type string`);
    } finally {
      if (saved === undefined) delete process.env.ALSREC_BACKEND;
      else process.env.ALSREC_BACKEND = saved;
    }
  });
});

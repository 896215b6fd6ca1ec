import { describe, expect, it } from 'vitest';
import { collectGarbage } from '../src/lazyBuiltins.js';

describe('collectGarbage', () => {
  it('collects an unreachable object (its finalizer runs) and leaves the global scope without gc', async () => {
    const finalized: string[] = [];
    const registry = new FinalizationRegistry((name: string) => finalized.push(name));
    (() => {
      registry.register(new Float64Array(1 << 20), 'column');
    })();
    collectGarbage();
    // Finalizers run in a later task.
    for (let k = 0; k < 20 && finalized.length === 0; k++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(finalized).toEqual(['column']);
    expect('gc' in globalThis).toBe(false);
  });
});

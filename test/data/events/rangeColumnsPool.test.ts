import { describe, expect, it } from 'vitest';
import { RangeColumnsPool } from '../../../src/data/events/parallel/rangeColumnsPool.js';
import type { PreallocatedColumns } from '../../../src/data/events/eventColumnsBuilder.js';

const make = (): PreallocatedColumns => ({ users: new Int32Array(1), items: new Int32Array(1), weights: new Float32Array(1), times: null });
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('RangeColumnsPool', () => {
  it('makes sets up to its limit, then waits for one to be given back and hands out that one', async () => {
    const pool = new RangeColumnsPool(2, make, new Promise(() => {}));
    const a = await pool.take();
    const b = await pool.take();
    expect(a).not.toBe(b);
    let third: PreallocatedColumns | null = null;
    const waiting = pool.take().then((columns) => (third = columns));
    await tick();
    expect(third).toBeNull();
    pool.giveBack(b);
    await waiting;
    expect(third).toBe(b);
    expect(pool.count).toBe(2);
  });

  it('makes one more when nothing can come back (the workers are gone), rather than wait for ever', async () => {
    let goneNow: () => void = () => {};
    const pool = new RangeColumnsPool(1, make, new Promise<void>((resolve) => (goneNow = resolve)));
    await pool.take();
    const waiting = pool.take();
    await tick();
    expect(pool.count).toBe(1);
    goneNow();
    await waiting;
    expect(pool.count).toBe(2);
    // A rejected `gone` (a worker failed) ends the wait too.
    const failed = new RangeColumnsPool(1, make, Promise.reject(new Error('worker failed')));
    await failed.take();
    await failed.take();
    expect(failed.count).toBe(2);
  });
});

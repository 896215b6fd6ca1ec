/**
 * pinFactors: an addon-owned, immutable copy of a factor matrix that topN and scoreRows take as Y
 * without copying it per call (serving). It must score exactly as the plain array, survive the
 * source buffer being detached, and refuse what is not one of its tables.
 */
import { describe, expect, it } from 'vitest';
import { ALS } from '../../src/als/model.js';
import { buildInteractions } from '../../src/matrix/interactions.js';
import { fixtureDataset } from '../serve/fixtureModel.js';
import { tryLoadAddon } from './problems.js';

const { addon } = tryLoadAddon();

function randomFactors(rows: number, k: number, seed: number): Float32Array {
  let state = seed >>> 0;
  const out = new Float32Array(rows * k);
  for (let j = 0; j < out.length; j++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[j] = state / 2 ** 32 - 0.5;
  }
  return out;
}

describe.skipIf(addon === null)('pinFactors (native)', () => {
  const k = 7;
  const X = randomFactors(40, k, 1);
  const Y = randomFactors(300, k, 2);
  const rows = Int32Array.from({ length: 40 }, (_, i) => i);

  it('scores and ranks exactly as the plain Y', async () => {
    const pinned = addon!.pinFactors(Y, k);
    const plain = await addon!.topN(X, Y, k, rows, 10, null, 2);
    const fromPinned = await addon!.topN(X, pinned, k, rows, 10, null, 2);
    expect(Array.from(fromPinned.items)).toEqual(Array.from(plain.items));
    expect(Array.from(fromPinned.scores)).toEqual(Array.from(plain.scores));
    expect(Array.from(await addon!.scoreRows(X, pinned, k, rows, 2))).toEqual(Array.from(await addon!.scoreRows(X, Y, k, rows, 2)));
  });

  it('keeps its own copy: changing or detaching the source later changes nothing', async () => {
    const source = Y.slice();
    const pinned = addon!.pinFactors(source, k);
    const before = await addon!.topN(X, pinned, k, rows, 5, null, 2);
    source.fill(0);
    structuredClone(source.buffer, { transfer: [source.buffer] });
    expect(source.length).toBe(0);
    const after = await addon!.topN(X, pinned, k, rows, 5, null, 2);
    expect(Array.from(after.items)).toEqual(Array.from(before.items));
    expect(Array.from(after.scores)).toEqual(Array.from(before.scores));
  });

  it('refuses a table pinned with another k, a bad length, and an object that is not a table', async () => {
    const pinned = addon!.pinFactors(Y, k);
    await expect(async () => addon!.topN(randomFactors(40, 3, 1), pinned, 3, rows, 5, null, 1)).rejects.toThrow(RangeError);
    expect(() => addon!.pinFactors(Y.subarray(1), k)).toThrow(RangeError);
    await expect(async () => addon!.topN(X, {} as never, k, rows, 5, null, 1)).rejects.toThrow(TypeError);
  });

  it('the model pins its item factors once per factor array and recommends as before', async () => {
    const data = buildInteractions(await fixtureDataset());
    const model = await new ALS({ factors: 8, iterations: 3, backend: 'native', threads: 2 }).fit(data);
    const first = await model.recommendMany([...data.users.ids].slice(0, 5) as number[], { n: 5 });
    const again = await model.recommendMany([...data.users.ids].slice(0, 5) as number[], { n: 5 });
    expect(again).toEqual(first);
    // The same ranking as the TS backend's brute force over the same factors.
    const ts = ALS.fromState(model.state, { ...model.options, backend: 'ts' });
    const fromTs = await ts.recommendMany([...data.users.ids].slice(0, 5) as number[], { n: 5 });
    expect(first.map((list) => list.map((r) => r.itemId))).toEqual(fromTs.map((list) => list.map((r) => r.itemId)));
  });
});

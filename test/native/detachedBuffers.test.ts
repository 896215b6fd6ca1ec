/**
 * An ArrayBuffer detached (transferred) while an addon call runs: the call must neither read the
 * freed memory nor write into it. Detached and SharedArrayBuffer-backed inputs are refused up
 * front with a TypeError. The mid-call cases run in a child process with --expose-gc, so the
 * transferred buffer is really freed and its memory reused before the call finishes.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { addonPath } from '../../src/als/native/addon.js';
import { ALS } from '../../src/als/model.js';
import { buildInteractions } from '../../src/matrix/interactions.js';
import { testedBackends } from '../helpers/nativeRequired.js';
import { fixtureDataset } from '../serve/fixtureModel.js';
import { tryLoadAddon } from './problems.js';

const { addon } = tryLoadAddon();
const fixture = fileURLToPath(new URL('./fixtures/detachDuringCall.mjs', import.meta.url));

function runChild(mode: string): Record<string, unknown> {
  const child = spawnSync(process.execPath, ['--expose-gc', fixture, addonPath(), mode], { encoding: 'utf8', timeout: 120_000 });
  expect(child.signal, `${mode}: ${child.stderr}`).toBe(null);
  expect(child.status, `${mode}: ${child.stderr}`).toBe(0);
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}

describe.skipIf(addon === null)('addon inputs detached during a call (child process, --expose-gc)', () => {
  it('topN with X detached mid-call returns the right top-n, and a later call with the detached X is a TypeError', () => {
    const out = runChild('topN-X');
    expect(out.entries).toBe(1_600_000);
    expect(out.wrong).toBe(0);
    expect(out.later).toBe('TypeError: Expected a Float32Array over an ArrayBuffer for X but received a Float32Array over a detached ArrayBuffer');
  }, 150_000);

  it('topN with Y detached mid-call returns the right top-n', () => {
    const out = runChild('topN-Y');
    expect(out.wrong).toBe(0);
    expect(out.later).toBe('TypeError: Expected a Float32Array over an ArrayBuffer for Y but received a Float32Array over a detached ArrayBuffer');
  }, 150_000);

  it('scoreRows with Y detached mid-call returns the right scores', () => {
    expect(runChild('scoreRows')).toEqual({ entries: 2_000_000, wrong: 0 });
  }, 150_000);

  it('halfSweep with the CSR arrays detached mid-call solves as if they were not', () => {
    expect(runChild('halfSweep-C')).toEqual({ entries: 128_000, wrong: 0 });
  }, 150_000);

  it('halfSweep with X detached mid-call rejects with a TypeError instead of writing into freed memory', () => {
    expect(runChild('halfSweep-X')).toEqual({
      outcome:
        'TypeError: Expected X to stay attached and of length 128000 until halfSweep settled but received a Float32Array over a detached ArrayBuffer of length 0; the solved factors are lost',
    });
  }, 150_000);
});

describe.skipIf(addon === null)('addon inputs that are detached or shared', () => {
  const a = addon!;
  const detached = (length: number) => {
    const x = new Float32Array(length);
    structuredClone(x.buffer, { transfer: [x.buffer] });
    return x;
  };

  it('refuses a detached X, Y or rows with a TypeError', () => {
    const Y = new Float32Array(6);
    expect(() => a.topN(detached(4), Y, 2, Int32Array.of(0), 1, null, 1)).toThrow(
      new TypeError('Expected a Float32Array over an ArrayBuffer for X but received a Float32Array over a detached ArrayBuffer'),
    );
    expect(() => a.scoreRows(new Float32Array(4), detached(6), 2, Int32Array.of(0), 1)).toThrow(
      new TypeError('Expected a Float32Array over an ArrayBuffer for Y but received a Float32Array over a detached ArrayBuffer'),
    );
    expect(() => a.gram(detached(4), 2)).toThrow(TypeError);
    const rows = Int32Array.of(0);
    structuredClone(rows.buffer, { transfer: [rows.buffer] });
    expect(() => a.topN(new Float32Array(4), Y, 2, rows, 1, null, 1)).toThrow(
      new TypeError('Expected an Int32Array over an ArrayBuffer for rows but received an Int32Array over a detached ArrayBuffer'),
    );
  });

  it('refuses SharedArrayBuffer-backed arrays with a TypeError', () => {
    const shared = new Float32Array(new SharedArrayBuffer(24));
    const C = { rows: 1, cols: 3, indptr: Int32Array.of(0, 1), indices: Int32Array.of(0), data: Float32Array.of(1) };
    expect(() => a.halfSweepCholesky(C, new Float32Array(2), shared, 2, 0.1, 1)).toThrow(
      new TypeError('Expected a Float32Array over an ArrayBuffer for Y but received a Float32Array over a SharedArrayBuffer'),
    );
    const indices = new Int32Array(new SharedArrayBuffer(4));
    expect(() => a.halfSweepCG({ ...C, indices }, new Float32Array(2), new Float32Array(6), 2, 0.1, 3, 1)).toThrow(
      new TypeError('Expected an Int32Array over an ArrayBuffer for confidence.indices but received an Int32Array over a SharedArrayBuffer'),
    );
  });
});

const backends = testedBackends();

describe.each(backends)('a model whose factor buffer was transferred away (%s backend)', (backend) => {
  it('recommend and recommendMany throw a clear error instead of returning [] or NaN scores', async () => {
    const model = await new ALS({ factors: 4, iterations: 2, backend, threads: 2 }).fit(buildInteractions(fixtureDataset()));
    structuredClone(model.userFactors.buffer, { transfer: [model.userFactors.buffer as ArrayBuffer] });
    const message = 'The model\'s user factors were detached or resized (length 0, expected 160): an ArrayBuffer of the model was transferred; load or fit the model again';
    await expect(model.recommendMany([1, 2])).rejects.toThrow(message);
    expect(() => model.recommend(1)).toThrow(message);
    await expect(model.partialFitUsers([5000], [[[1, 5]]])).rejects.toThrow(message);
  });
});

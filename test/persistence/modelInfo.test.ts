/**
 * The model file's optional INFO section: fit and partial fit record when the factors were
 * computed, save writes it, load reads it back, `/health`'s trainedAt comes from it (from the
 * file's modification time for files without it), a malformed one is refused naming the file,
 * and the served checksum still equals the file's SHA-256 trailer.
 */
import { readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALS } from '../../src/als/model.js';
import { buildInteractions } from '../../src/matrix/interactions.js';
import { savedTrainingOptions, writeModelFile } from '../../src/persistence/modelFile.js';
import { packageVersion } from '../../src/packageVersion.js';
import { loadServedModel } from '../../src/serve/servedModel.js';
import { fixtureDataset } from '../serve/fixtureModel.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'alsrec-info-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The section tags of a model file, from its section table (docs/model-format.md). */
function sectionTags(file: string): string[] {
  const b = readFileSync(file);
  const count = b.readUInt32LE(12);
  return Array.from({ length: count }, (_, j) => b.toString('latin1', 32 + 24 * j, 36 + 24 * j));
}

const fit = () => new ALS({ factors: 2, iterations: 3, backend: 'ts', threads: 1 }).fit(buildInteractions(fixtureDataset()));

describe('INFO section', () => {
  it('records the fit time and the alsrec version, and load reads them back', async () => {
    const before = Date.now();
    const model = await fit();
    const after = Date.now();
    const info = model.state.info!;
    expect(info.alsrecVersion).toBe(packageVersion());
    expect(Date.parse(info.trainedAt)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(info.trainedAt)).toBeLessThanOrEqual(after);
    const file = join(dir, 'fitted.alsrec');
    await model.save(file);
    expect(sectionTags(file)).toContain('INFO');
    expect((await ALS.load(file)).state.info).toEqual(info);
    const served = await loadServedModel(file);
    expect(served.trainedAt!.toISOString()).toBe(info.trainedAt);
    expect(served.trainedAtSource).toBe('model');
    // The checksum /health and the ETag use is the file's own SHA-256 trailer.
    expect(served.checksum).toBe(readFileSync(file).subarray(-32).toString('hex'));
  });

  it('a partial fit records a new time', async () => {
    const model = await fit();
    const first = model.state.info!.trainedAt;
    await new Promise((resolve) => setTimeout(resolve, 5));
    await model.partialFitUsers([1], [[[1, 5], [2, 4]]]);
    expect(Date.parse(model.state.info!.trainedAt)).toBeGreaterThan(Date.parse(first));
  });

  it('a file without INFO loads, and its trainedAt falls back to the file modification time', async () => {
    const { info: _info, ...state } = (await fit()).state;
    const bare = ALS.fromState(state, { factors: 2, iterations: 3 });
    const file = join(dir, 'bare.alsrec');
    await bare.save(file);
    expect(sectionTags(file)).not.toContain('INFO');
    expect((await ALS.load(file)).state.info).toBeUndefined();
    const served = await loadServedModel(file);
    expect(served.trainedAt!.getTime()).toBe(statSync(file).mtime.getTime());
    expect(served.trainedAtSource).toBe('file-mtime');
    expect(served.checksum).toBe(readFileSync(file).subarray(-32).toString('hex'));
  });

  it('keeps keys it does not know (so the checksum still matches) and refuses a malformed INFO, naming the file', async () => {
    const model = await fit();
    const extra = join(dir, 'extra.alsrec');
    const info = { trainedAt: '2025-04-27T19:07:43.059Z', alsrecVersion: '9.9.9', sparkVersion: '3.5.5' };
    await writeModelFile(extra, { ...model.state, info, options: savedTrainingOptions(model.options) });
    expect((await ALS.load(extra)).state.info).toEqual(info);
    expect((await loadServedModel(extra)).checksum).toBe(readFileSync(extra).subarray(-32).toString('hex'));

    const bad = join(dir, 'bad.alsrec');
    await writeModelFile(bad, { ...model.state, info: { trainedAt: 'yesterday', alsrecVersion: '0.1.0' }, options: savedTrainingOptions(model.options) });
    await expect(ALS.load(bad)).rejects.toThrow(`${bad}: section INFO has no valid "trainedAt" (an ISO 8601 time) but "yesterday"`);
    expect(() => ALS.fromState({ ...model.state, info: { trainedAt: 'yesterday', alsrecVersion: '0.1.0' } }, { factors: 2 })).toThrow(/state\.info/);
  });
});

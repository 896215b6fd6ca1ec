/**
 * The served model's checksum is the SHA-256 trailer of its model file, for every objective: the
 * server re-encodes the model in memory, so that encoding must record the same options (an
 * 88-byte META for a non-default objective, docs/model-format.md) as ALS.save.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALS } from '../../src/als/model.js';
import type { AlsOptions } from '../../src/als/options.js';
import { buildInteractions } from '../../src/matrix/interactions.js';
import { loadServedModel } from '../../src/serve/servedModel.js';
import { fixtureDataset } from './fixtureModel.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'alsrec-served-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const OBJECTIVES: Array<[string, AlsOptions]> = [
  ['the default objective', {}],
  ["convention 'spark'", { convention: 'spark' }],
  ['unobserved weight 0.3, exponent 0.5', { unobservedWeight: 0.3, regularizationExponent: 0.5 }],
];

describe('served model checksum', () => {
  for (const [label, objective] of OBJECTIVES) {
    it(`equals the model file's SHA-256 trailer, ${label}`, async () => {
      const file = join(dir, `${label.replace(/\W+/g, '-')}.alsrec`);
      const model = await new ALS({ factors: 2, iterations: 3, regularization: 0.1, backend: 'ts', threads: 1, ...objective }).fit(buildInteractions(fixtureDataset()));
      await model.save(file);
      const bytes = await readFile(file);
      const served = await loadServedModel(file);
      expect(served.model.options).toMatchObject(objective);
      expect(served.checksum).toBe(bytes.subarray(bytes.byteLength - 32).toString('hex'));
    });
  }
});

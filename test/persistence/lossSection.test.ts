/** The optional LOSS section: recorded by a fit with the loss on, saved, loaded, and checked. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALS } from '../../src/als/model.js';
import { buildInteractions } from '../../src/matrix/interactions.js';
import { fixtureDataset } from '../helpers/fixtureMl100k.js';

const dir = mkdtempSync(join(tmpdir(), 'alsrec-loss-'));

describe('the training loss history and the LOSS section', () => {
  it('a fit with calculateTrainingLoss keeps one entry per iteration, equal to what onIteration saw, and save/load keeps it', async () => {
    const seen: number[] = [];
    const model = await new ALS({ factors: 4, iterations: 7, backend: 'ts', calculateTrainingLoss: true, onIteration: (_it, _s, loss) => seen.push(loss!) })
      .fit(buildInteractions(fixtureDataset()));
    expect(model.trainingLoss?.loss).toEqual(seen);
    expect(model.trainingLoss?.seconds).toHaveLength(7);
    const path = join(dir, 'with-loss.alsrec');
    await model.save(path);
    const loaded = await ALS.load(path);
    expect(loaded.trainingLoss).toEqual(model.trainingLoss);
  });

  it('a fit without the loss has no history and writes no LOSS section', async () => {
    const model = await new ALS({ factors: 4, iterations: 3, backend: 'ts' }).fit(buildInteractions(fixtureDataset()));
    expect(model.trainingLoss).toBeUndefined();
    const path = join(dir, 'no-loss.alsrec');
    await model.save(path);
    expect(readFileSync(path).includes(Buffer.from('LOSS'))).toBe(false);
    expect((await ALS.load(path)).trainingLoss).toBeUndefined();
  });

  it('a LOSS section that is not a loss history is refused, naming the file and the problem', async () => {
    const model = await new ALS({ factors: 4, iterations: 2, backend: 'ts', calculateTrainingLoss: true }).fit(buildInteractions(fixtureDataset()));
    const path = join(dir, 'bad-loss.alsrec');
    await model.save(path);
    const bytes = readFileSync(path);
    // Same-length JSON without a `seconds` key; the checksum is recomputed so only the content is wrong.
    const text = JSON.stringify(model.trainingLoss);
    const at = bytes.indexOf(Buffer.from(text));
    expect(at).toBeGreaterThan(0);
    const broken = text.replace('"seconds":', '"secondz":');
    const patched = Buffer.concat([bytes.subarray(0, at), Buffer.from(broken), bytes.subarray(at + text.length)]);
    const body = patched.subarray(0, patched.length - 32);
    writeFileSync(path, Buffer.concat([body, createHash('sha256').update(body).digest()]));
    await expect(ALS.load(path)).rejects.toThrow(`${path}: section LOSS is not a training loss history: its seconds is not a non-empty array`);
  });
});

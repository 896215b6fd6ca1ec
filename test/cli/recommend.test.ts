import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { ALS } from '../../src/als/model.js';
import { runCaptured } from '../helpers/runCaptured.js';
import { savedFixtureModel, writeFixtureMl100k } from '../helpers/fixtureMl100k.js';

vi.stubEnv('ALSREC_BACKEND', 'ts');
const SPACE = new Set([1, 2, 3, 4, 5, 6, 7, 8]);

describe('alsrec recommend --model', () => {
  let modelPath: string;
  let dataDir: string;
  let model: ALS;
  beforeAll(async () => {
    ({ modelPath, dataDir, model } = await savedFixtureModel());
  });

  it('should exit 1 with one line for an unknown user', async () => {
    const run = await runCaptured('recommend', '--model', modelPath, '--user', '999');
    expect(run).toEqual({ code: 1, stdout: '', stderr: 'alsrec: Unknown user id 999\n' });
  });

  it('should exit 2 unless exactly one of --user, --ratings, --ratings-file is given', async () => {
    const both = await runCaptured('recommend', '--model', modelPath, '--user', '1', '--ratings', '1:5');
    expect(both).toEqual({ code: 2, stdout: '', stderr: 'alsrec: Give exactly one of --user <id>, --ratings <pairs> or --ratings-file <path>\n' });
    expect((await runCaptured('recommend', '--model', modelPath)).code).toBe(2);
  });

  it('should name the bad token of a malformed --ratings', async () => {
    const expected = 'itemId:rating pairs separated by commas, such as "50:5,172:4"';
    expect(await runCaptured('recommend', '--model', modelPath, '--ratings', '1:5,2:x')).toEqual({
      code: 2, stdout: '', stderr: `alsrec: Expected a finite, non-zero decimal rating within the float32 range in each pair (${expected}) for --ratings but received "2:x" of type string\n`,
    });
    expect((await runCaptured('recommend', '--model', modelPath, '--ratings', ' :5')).stderr).toBe(
      `alsrec: Expected an id of 1 to 1024 characters in each pair (${expected}) for --ratings but received ":5" of type string\n`,
    );
    expect((await runCaptured('recommend', '--model', modelPath, '--ratings', '1:5,,2:4')).stderr).toBe(
      `alsrec: Expected itemId:rating pairs (${expected}) for --ratings but received "" of type string\n`,
    );
    expect(await runCaptured('recommend', '--model', modelPath, '--ratings', ' ')).toEqual({
      code: 2, stdout: '', stderr: `alsrec: Expected ${expected} for --ratings but received " " of type string\n`,
    });
  });

  it('should exit 1 naming the token of an unknown item in --ratings', async () => {
    expect(await runCaptured('recommend', '--model', modelPath, '--ratings', '1:5,555:4')).toEqual({
      code: 1, stdout: '', stderr: 'alsrec: Unknown item id 555 (--ratings token "555:4")\n',
    });
    // Ids are text: "star wars" is just an unknown id of this integer-id model.
    expect((await runCaptured('recommend', '--model', modelPath, '--ratings', 'star wars:5')).stderr).toBe('alsrec: Unknown item id "star wars" (--ratings token "star wars:5")\n');
  });

  it('should refuse a model file that is not a model, is truncated, or is corrupted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'alsrec-bad-'));
    const bytes = readFileSync(modelPath);
    const cut = join(dir, 'cut.alsrec');
    writeFileSync(cut, bytes.subarray(0, 100));
    expect(await runCaptured('recommend', '--model', cut, '--user', '1')).toEqual({
      code: 1, stdout: '', stderr: `alsrec: ${cut}: is truncated: its header declares ${bytes.length} bytes but the file has 100\n`,
    });
    const flipped = join(dir, 'flipped.alsrec');
    const copy = Buffer.from(bytes);
    copy[copy.length - 100]! ^= 0xff;
    writeFileSync(flipped, copy);
    expect((await runCaptured('recommend', '--model', flipped, '--user', '1')).stderr).toBe(`alsrec: ${flipped}: checksum mismatch (SHA-256): the file is corrupted\n`);
    const csv = join(dir, 'ratings.csv');
    writeFileSync(csv, 'userId,movieId,rating\n1,2,3\n');
    expect((await runCaptured('recommend', '--model', csv, '--user', '1')).stderr).toBe(`alsrec: ${csv}: not an alsrec model file (wrong magic bytes)\n`);
    expect(await runCaptured('recommend', '--model', join(dir, 'missing.alsrec'), '--user', '1')).toEqual({
      code: 1, stdout: '', stderr: `alsrec: ${join(dir, 'missing.alsrec')}: no such model file\n`,
    });
  });

  it('should refuse training options with --model', async () => {
    expect(await runCaptured('recommend', '--model', modelPath, '--user', '1', '--factors', '8')).toEqual({
      code: 2, stdout: '', stderr: 'alsrec: --factors has no effect with --model: a saved model keeps the options it was trained with\n',
    });
  });

  it('should refuse --data of another dataset and accept its own', async () => {
    const other = writeFixtureMl100k({ dropLastRating: true });
    const run = await runCaptured('recommend', '--model', modelPath, '--data', other, '--user', '1');
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`alsrec: ${modelPath} was not trained on ${other}: the model holds 200 ratings, the data 199\n`);
    const ok = await runCaptured('recommend', '--model', modelPath, '--data', dataDir, '--user', '1', '--json');
    expect(ok.code).toBe(0);
  });

  it("should print a known user's recommendations from the saved model", async () => {
    const run = await runCaptured('recommend', '--model', modelPath, '--user', '1', '-n', '3', '--json');
    expect(run.code).toBe(0);
    const rows = JSON.parse(run.stdout) as Array<{ itemId: number; title: string; score: number }>;
    expect(rows.map((r) => r.itemId)).toEqual(model.recommend(1, { n: 3 }).map((r) => r.itemId));
    expect(rows.every((r) => SPACE.has(r.itemId))).toBe(true);
    const text = await runCaptured('recommend', '--model', modelPath, '--user', '1', '-n', '3');
    expect(text.stdout.split('\n')[0]).toBe('Top-3 recommendations for user_id 1:');
    expect(text.stdout).toMatch(/^ {3}1\. .+ \[\d+\] {2}\d\.\d{4}$/m);
  });

  it('should recommend for a new user from --ratings and from --ratings-file', async () => {
    const run = await runCaptured('recommend', '--model', modelPath, '--ratings', '11:5, 12:4,13:5', '-n', '3', '--json');
    expect(run.code).toBe(0);
    const ids = (JSON.parse(run.stdout) as Array<{ itemId: number }>).map((r) => r.itemId);
    expect(ids).toEqual(model.recommendForNewUser([{ movieId: 11, rating: 5 }, { movieId: 12, rating: 4 }, { movieId: 13, rating: 5 }], { n: 3 }).map((r) => r.itemId));
    expect(ids.every((id) => id > 13 && id <= 18)).toBe(true);
    const file = join(mkdtempSync(join(tmpdir(), 'alsrec-new-')), 'mine.csv');
    writeFileSync(file, 'movieId,rating\n11,5\n12,4\n\n13,5\n');
    const fromFile = await runCaptured('recommend', '--model', modelPath, '--ratings-file', file, '-n', '3', '--json');
    expect(JSON.parse(fromFile.stdout)).toEqual(JSON.parse(run.stdout));
    writeFileSync(file, `movieId,rating\n11,5\n12,1${'0'.repeat(20)}\n`);
    expect(await runCaptured('recommend', '--model', modelPath, '--ratings-file', file)).toEqual({
      code: 1, stdout: '', stderr: `alsrec: ${file}:3: confidence alpha x rating = ${model.options.alpha} x 100000000000000000000 exceeds 1e12 (the float32 solvers square confidences); rescale the ratings\n`,
    });
    expect(await runCaptured('recommend', '--model', modelPath, '--ratings-file', '/dev/urandom')).toEqual({
      code: 1, stdout: '', stderr: 'alsrec: /dev/urandom: is a device, not a regular file\n',
    });
    writeFileSync(file, 'movieId,rating\n11,5\n12;4\n');
    expect(await runCaptured('recommend', '--model', modelPath, '--ratings-file', file)).toEqual({
      code: 1, stdout: '', stderr: `alsrec: ${file}:3: expected 2 comma-separated fields: itemId,rating: "12;4"\n`,
    });
  });

  it('should still train in-process without --model, for a known and a new user', async () => {
    const train = ['--data', dataDir, '--factors', '2', '--iterations', '15', '--regularization', '0.1', '--threads', '1', '-n', '3', '--json'];
    const known = await runCaptured('recommend', ...train, '--user', '1');
    expect(known.code).toBe(0);
    expect(JSON.parse(known.stdout).map((r: { itemId: number }) => r.itemId)).toEqual(model.recommend(1, { n: 3 }).map((r) => r.itemId));
    const fresh = await runCaptured('recommend', ...train, '--ratings', '11:5,12:4');
    expect(JSON.parse(fresh.stdout).map((r: { itemId: number }) => r.itemId)).toEqual(
      model.recommendForNewUser([{ movieId: 11, rating: 5 }, { movieId: 12, rating: 4 }], { n: 3 }).map((r) => r.itemId),
    );
  });
});

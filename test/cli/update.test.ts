import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ALS } from '../../src/als/model.js';
import { runCaptured } from '../helpers/runCaptured.js';
import { savedFixtureModel } from '../helpers/fixtureMl100k.js';

vi.stubEnv('ALSREC_BACKEND', 'ts');

describe('alsrec update', () => {
  let modelPath: string;
  let dir: string;
  beforeAll(async () => {
    ({ modelPath } = await savedFixtureModel());
    dir = mkdtempSync(join(tmpdir(), 'alsrec-update-'));
  });

  it('should name file and line of a bad ratings CSV and write nothing', async () => {
    const csv = join(dir, 'bad.csv');
    const out = join(dir, 'never.alsrec');
    writeFileSync(csv, 'user,movie,rating\n1,2,3\n');
    expect(await runCaptured('update', '--model', modelPath, '--ratings', csv, '--save', out)).toEqual({
      code: 1, stdout: '', stderr: `alsrec: ${csv}:1: expected the header "userId,itemId,rating" or "userId,itemId,rating,timestamp": "user,movie,rating"\n`,
    });
    writeFileSync(csv, 'userId,movieId,rating,timestamp\n1,2,3,4\n1,x,3,4\n');
    expect((await runCaptured('update', '--model', modelPath, '--ratings', csv, '--save', out)).stderr).toBe(`alsrec: ${csv}: the item id "x" is not an integer, and the model's item ids are integers\n`);
    writeFileSync(csv, 'userId,movieId,rating,timestamp\n1,2,3,4\n1,,3,4\n');
    expect((await runCaptured('update', '--model', modelPath, '--ratings', csv, '--save', out)).stderr).toBe(`alsrec: ${csv}:3: the item id "" is not an id of 1 to 1024 characters: "1,,3,4"\n`);
    writeFileSync(csv, `userId,movieId,rating\n1,2,1${'0'.repeat(20)}\n`);
    expect(await runCaptured('update', '--model', modelPath, '--ratings', csv, '--save', out)).toEqual({
      code: 1, stdout: '', stderr: `alsrec: ${csv}: the rating of user 1, item 2: confidence alpha x rating = 1 x 100000002004087730000 exceeds 1e12 (the float32 solvers square confidences); rescale the ratings\n`,
    });
    expect(await runCaptured('update', '--model', modelPath, '--ratings', '/dev/urandom', '--save', out)).toEqual({
      code: 1, stdout: '', stderr: 'alsrec: /dev/urandom: is a device, not a regular file\n',
    });
    expect(await runCaptured('update', '--model', modelPath, '--ratings', csv, '--save', '')).toEqual({
      code: 2, stdout: '', stderr: 'alsrec: Expected a file path for --save but received "" of type string\n',
    });
    writeFileSync(csv, 'userId,movieId,rating\n');
    expect((await runCaptured('update', '--model', modelPath, '--ratings', csv, '--save', out)).stderr).toBe(`alsrec: ${csv}: holds no ratings after its header\n`);
    expect(() => readFileSync(out)).toThrow('ENOENT');
  });

  it('should fold in a new user, more ratings of a known user and a new movie, leaving the old model as it was', async () => {
    const before = readFileSync(modelPath);
    const csv = join(dir, 'new.csv');
    const out = join(dir, 'm2.alsrec');
    writeFileSync(csv, [
      'userId,movieId,rating,timestamp',
      '500,11,5,1', '500,12,4,2', '500,13,3,3',
      '1,8,4,4',
      '501,1,5,5', '501,2,5,6', '501,900,5,7', '1,900,4,8', '2,900,2,9',
      '500,13,5,10',
    ].join('\n'));
    const run = await runCaptured('update', '--model', modelPath, '--ratings', csv, '--save', out);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Updated ${modelPath.replace(/[.]/g, '\\.')} with 9 ratings \\(1 repeated ratings merged\\): 2 new users, 2 changed users, 1 new items; saved `));
    expect(readFileSync(modelPath)).toEqual(before);

    const old = await ALS.load(modelPath);
    const updated = await ALS.load(out);
    expect([...updated.state.users.ids]).toEqual([...old.state.users.ids, 500, 501]);
    expect([...updated.state.items.ids]).toEqual([...old.state.items.ids, 900]);
    expect(updated.state.liked.indptr.at(-1)).toBe(old.state.liked.indptr.at(-1)! + 9);
    // The new user 500 is answered like a new user with the same (merged) ratings.
    expect(updated.recommend(500, { n: 3 }).map((r) => r.itemId)).toEqual(
      old.recommendForNewUser([{ movieId: 11, rating: 5 }, { movieId: 12, rating: 4 }, { movieId: 13, rating: 5 }], { n: 3 }).map((r) => r.itemId),
    );
    // User 1 now has movie 8 and 900 in their history: neither is recommended to them again.
    expect(updated.recommend(1, { n: 20 }).map((r) => r.itemId)).not.toContain(8);
    expect(updated.recommend(1, { n: 20 }).map((r) => r.itemId)).not.toContain(900);
    expect(updated.similarItems(900, 3)).toHaveLength(3);
    const answered = await runCaptured('recommend', '--model', out, '--user', '501', '-n', '2', '--json');
    expect(answered.code).toBe(0);
  });
});

/**
 * Issue 12: an event file's string ids reach the model as given. Trained from a CSV whose user
 * and item ids are strings (`"00123"` among them, which a number would turn into 123), the
 * saved model, its `--json`, `recommend --model` and the REST API all show the ids of the file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { describe, expect, it, vi } from 'vitest';
import { runCaptured } from '../helpers/runCaptured.js';
import { fixtureDir } from '../data/fixtureDir.js';
import { ALS } from '../../src/als/model.js';
import { createServer } from '../../src/serve/createServer.js';

vi.stubEnv('ALSREC_BACKEND', 'ts');
const FIT = ['--factors', '2', '--iterations', '3', '--threads', '1'];
const USERS = ['00123', 'u-7', 'u-8', 'u-9', 'c/10'];
const ITEMS = ['a-1', 'b-2', '00042', 'c-3', 'SKU 5'];

/** Every user buys three of the five items, on successive days. */
function shopLog(): string {
  const lines = ['user,item,qty,time,title'];
  USERS.forEach((user, u) => {
    for (let k = 0; k < 3; k++) {
      const item = ITEMS[(u + k) % ITEMS.length]!;
      lines.push(`${user},${item},${k + 1},2024-01-0${k + 1 + (u % 3)},"Title of ${item}"`);
    }
  });
  return `${lines.join('\n')}\n`;
}

const FLAGS = ['--user-col', 'user', '--item-col', 'item', '--weight-col', 'qty', '--time-col', 'time', '--title-col', 'title'];

describe('string ids from an event file', () => {
  it('train --save keeps them in --json, the model file, recommend --model and the REST API', async () => {
    const dir = fixtureDir({ 'shop.csv': shopLog() });
    const saved = join(dir, 'm.alsrec');
    const run = await runCaptured('train', '--data', `${dir}/shop.csv`, ...FLAGS, ...FIT, '--user', '00123', '--top', '2', '--json', '--save', saved);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.recommendations.userId).toBe('00123');
    expect(doc.recommendations.items).toHaveLength(2);
    for (const r of doc.recommendations.items) {
      expect(ITEMS).toContain(r.movieId);
      expect(r.title).toBe(`Title of ${r.movieId}`);
    }

    const model = await ALS.load(saved, { backend: 'ts' });
    expect(model.state.users.kind).toBe('string');
    expect([...(model.state.users.ids as readonly string[])].sort()).toEqual([...USERS].sort());
    expect([...(model.state.items.ids as readonly string[])].sort()).toEqual([...ITEMS].sort());
    expect(model.title('00042')).toBe('Title of 00042');
    // 00123 bought a-1, b-2, 00042; what is left to recommend is c-3 and SKU 5.
    expect(model.recommend('00123', { n: 5 }).map((r) => r.itemId).sort()).toEqual(['SKU 5', 'c-3']);

    const rec = await runCaptured('recommend', '--model', saved, '--user', '00123', '-n', '2', '--json');
    expect(rec.code).toBe(0);
    expect(JSON.parse(rec.stdout).map((r: { itemId: string }) => r.itemId)).toEqual(doc.recommendations.items.map((r: { movieId: string }) => r.movieId));

    const app = createServer(model);
    try {
      await app.ready();
      const res = await app.inject({ method: 'GET', url: `/users/${encodeURIComponent('00123')}/recommendations?n=2` });
      expect(res.statusCode).toBe(200);
      expect(res.json().userId).toBe('00123');
      expect(res.json().recommendations.map((r: { itemId: string }) => r.itemId)).toEqual(doc.recommendations.items.map((r: { movieId: string }) => r.movieId));
      const other = await app.inject({ method: 'GET', url: `/users/${encodeURIComponent('c/10')}/recommendations?n=5` });
      expect(other.statusCode).toBe(200);
      for (const r of other.json().recommendations) expect(ITEMS).toContain(r.itemId);
      // The integer that "00123" would have become is not a user.
      expect((await app.inject({ method: 'GET', url: '/users/123/recommendations' })).statusCode).toBe(404);
    } finally {
      await app.close();
    }
  });

  it('evaluate --save and recommend --model --data agree on the ids', async () => {
    const dir = fixtureDir({ 'shop.csv': shopLog() });
    const saved = join(dir, 'e.alsrec');
    const run = await runCaptured('evaluate', '--data', `${dir}/shop.csv`, ...FLAGS, ...FIT, '--k', '2', '--seeds', '0', '--baselines', 'popular', '--save', saved);
    expect(run.code).toBe(0);
    const model = await ALS.load(saved, { backend: 'ts' });
    expect([...(model.state.items.ids as readonly string[])].sort()).toEqual([...ITEMS].sort());
    // The model-matches-data check compares the saved ids with the file's: it passes.
    const rec = await runCaptured('recommend', '--model', saved, '--data', `${dir}/shop.csv`, ...FLAGS, '--user', 'u-7', '-n', '1', '--json');
    expect(rec.code).toBe(0);
    expect(ITEMS).toContain(JSON.parse(rec.stdout)[0].itemId);
  });

  it('similar --data --item-id takes an id as given', async () => {
    const dir = fixtureDir({ 'shop.csv': shopLog() });
    const run = await runCaptured('similar', '--data', `${dir}/shop.csv`, ...FLAGS, ...FIT, '--item-id', '00042', '-n', '4', '--json');
    expect(run.code, run.stderr).toBe(0);
    const ids = JSON.parse(run.stdout).map((r: { itemId: string }) => r.itemId);
    expect(ids).toHaveLength(4);
    expect(ids.sort()).toEqual(ITEMS.filter((id) => id !== '00042').sort());
  });

  it('export-interactions writes integer codes and, beside them, the ids they stand for', async () => {
    const dir = fixtureDir({ 'shop.csv': shopLog() });
    const out = join(dir, 'ratings.parquet');
    const run = await runCaptured('export-interactions', '--data', `${dir}/shop.csv`, ...FLAGS, '--out', out);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('ratings.ids.json');
    const mapping = JSON.parse(readFileSync(join(dir, 'ratings.ids.json'), 'utf8')) as { user: string[]; item: string[] };
    const buffer = readFileSync(out);
    const rows = await parquetReadObjects({ file: buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) });
    const pairs = rows.map((r) => `${mapping.user[Number(r['user'])]}|${mapping.item[Number(r['item'])]}`).sort();
    const expected = shopLog().trim().split('\n').slice(1).map((line) => line.split(',').slice(0, 2).join('|')).sort();
    expect(pairs).toEqual(expected);
  });
});

/**
 * The REST API on a string-id model (issue 12): ids come back exactly as given, path ids are
 * URL-decoded text, JSON ids may be strings, /items and its /movies alias answer alike, and the
 * model survives a save and a load through the served path.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createServer } from '../../src/serve/createServer.js';
import { ALS } from '../../src/als/model.js';
import { interactionsFromEvents } from '../../src/matrix/interactionsFromEvents.js';
import { fixtureDataset, fixtureMovies } from './fixtureModel.js';

/** The fixture's tastes with string ids: users `c/1`, `00101`..., items `SKU-1`..., `0011`... */
const userId = (u: number) => (u < 100 ? `c/${u}` : `00${u}`);
const itemId = (i: number) => (i < 10 ? `SKU-${i}` : `00${i}`);

let app: FastifyInstance;
let model: ALS;

beforeAll(async () => {
  const r = fixtureDataset().ratings;
  const events = Array.from(r.users, (u, j) => ({ user: userId(u), item: itemId(r.items[j]!), weight: r.ratings[j]! }));
  const titles = new Map([...fixtureMovies()].map(([id, m]) => [itemId(id), m.title]));
  const trained = await new ALS({ factors: 2, iterations: 15, regularization: 0.1, backend: 'ts', threads: 1 }).fit(interactionsFromEvents(events, { titles }));
  const path = join(mkdtempSync(join(tmpdir(), 'alsrec-strings-')), 'm.alsrec');
  await trained.save(path);
  model = await ALS.load(path, { backend: 'ts' });
  app = createServer(model);
  await app.ready();
});

afterAll(async () => {
  await app.close();
});

async function get(url: string) {
  const res = await app.inject({ method: 'GET', url });
  return { status: res.statusCode, body: res.json() };
}

describe('a string-id model over REST', () => {
  it('recommends for a URL-encoded string user, returning string item ids', async () => {
    const res = await get(`/users/${encodeURIComponent('c/1')}/recommendations?n=3`);
    expect(res.status).toBe(200);
    expect(res.body.userId).toBe('c/1');
    const ids = res.body.recommendations.map((r: { itemId: string }) => r.itemId);
    expect(ids).toEqual(model.recommend('c/1', { n: 3 }).map((r) => r.itemId));
    expect(ids.every((id: string) => id.startsWith('SKU-'))).toBe(true);
    expect(res.body.recommendations[0].movieId).toBe(ids[0]);
  });

  it('keeps leading zeros: "00101" is a user, "101" and 101 are not', async () => {
    expect((await get('/users/00101/history')).body.userId).toBe('00101');
    expect(await get('/users/101/history')).toEqual({ status: 404, body: expect.objectContaining({ message: 'Unknown user id "101"' }) });
  });

  it('searches titles and finds similar items under /items and /movies', async () => {
    const items = await get('/items?search=star%20wars');
    expect(items.body.items).toEqual([{ itemId: 'SKU-1', movieId: 'SKU-1', title: 'Star Wars (1977)', year: null, genres: [] }]);
    const similar = await get('/items/SKU-1/similar?n=3');
    expect(similar.body.item.itemId).toBe('SKU-1');
    expect(similar.body.similar.map((r: { itemId: string }) => r.itemId)).toEqual(model.similarItems('SKU-1', 3).map((r) => r.itemId));
    expect((await get('/movies/SKU-1/similar?n=3')).body.similar).toEqual(similar.body.similar);
  });

  it('takes string ids in JSON for a new user and in the exclude list', async () => {
    const res = await app.inject({ method: 'POST', url: '/recommendations', payload: { ratings: [{ itemId: '0011', rating: 5 }, { itemId: '0012', rating: 4 }], n: 3 } });
    expect(res.statusCode).toBe(200);
    expect(res.json().recommendations.every((r: { itemId: string }) => /^00\d+$/.test(r.itemId))).toBe(true);
    const excluded = await get('/users/00101/recommendations?n=3&exclude=0011,0012');
    expect(excluded.body.recommendations.map((r: { itemId: string }) => r.itemId)).not.toContain('0011');
    expect((await get('/users/00101/recommendations?exclude=11')).body.message).toBe('Unknown item id "11"');
  });
});

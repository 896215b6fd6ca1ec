/**
 * The explain API: `?explain=k` on recommendations (known and new users) and
 * `GET /users/:id/explain/:itemId`, against ALS.explain and with the API's error contract.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { ALS } from '../../src/als/model.js';
import { createServer } from '../../src/serve/createServer.js';
import { fixtureModel } from './fixtureModel.js';

let model: ALS;
let app: FastifyInstance;

beforeAll(async () => {
  model = await fixtureModel();
  app = createServer(model);
  await app.ready();
});

afterAll(async () => {
  await app.close();
});

async function get(url: string) {
  const res = await app.inject({ method: 'GET', url });
  return { status: res.statusCode, body: res.json(), headers: res.headers };
}

function expectError(res: { status: number; body: Record<string, unknown> }, status: number, message: string | RegExp) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(Object.keys(res.body).sort()).toEqual(['error', 'message', 'statusCode']);
  if (typeof message === 'string') expect(res.body.message).toContain(message);
  else expect(res.body.message).toMatch(message);
}

interface Reason { itemId: number; title: string; contribution: number; share: number }

describe('GET /users/:id/recommendations?explain=k', () => {
  it('adds the top-k reasons to each recommendation, as ALS.explain gives them', async () => {
    const res = await get('/users/1/recommendations?n=3&explain=2');
    expect(res.status).toBe(200);
    const recs = res.body.recommendations as Array<{ movieId: number; score: number; reasons: Reason[] }>;
    expect(recs).toHaveLength(3);
    for (const r of recs) {
      const why = model.explain(1, r.movieId, { n: 2 });
      expect(r.reasons).toEqual(why.contributions.map((c) => ({ itemId: c.itemId, title: model.title(c.itemId), contribution: c.contribution, share: c.share })));
      // User 1 likes space opera (fixtureModel): the reasons are space films they rated.
      for (const reason of r.reasons) expect(reason.itemId).toBeLessThanOrEqual(8);
    }
  });

  it('adds nothing without explain (or with explain=0), and bounds it', async () => {
    const plain = await get('/users/1/recommendations?n=2');
    expect(plain.body.recommendations[0]).not.toHaveProperty('reasons');
    expect((await get('/users/1/recommendations?n=2&explain=0')).body).toEqual(plain.body);
    expectError(await get('/users/1/recommendations?explain=21'), 400, 'querystring/explain must be <= 20');
    expectError(await get('/users/1/recommendations?explain=-1'), 400, 'querystring/explain must be >= 0');
    expectError(await get('/users/1/recommendations?explain=two'), 400, 'querystring/explain must be a decimal integer');
  });
});

describe('POST /recommendations with explain', () => {
  it('explains a new user\'s recommendations from the ratings they gave', async () => {
    const ratings = [{ movieId: 11, rating: 5 }, { movieId: 12, rating: 4 }];
    const res = await app.inject({ method: 'POST', url: '/recommendations', payload: { ratings, n: 2, explain: 3 } });
    expect(res.statusCode).toBe(200);
    const recs = res.json().recommendations as Array<{ movieId: number; score: number; reasons: Reason[] }>;
    for (const r of recs) {
      expect(r.reasons.map((x) => x.itemId).sort()).toEqual([11, 12]);
      const sum = r.reasons.reduce((a, x) => a + x.contribution, 0);
      expect(Math.abs(sum - r.score)).toBeLessThan(1e-4 * Math.abs(r.score));
    }
    const bad = await app.inject({ method: 'POST', url: '/recommendations', payload: { ratings, explain: 1.5 } });
    expect(bad.statusCode).toBe(400);
  });
});

describe('GET /users/:id/explain/:itemId', () => {
  it('returns the score, the model\'s score and the largest contributions', async () => {
    const [top] = model.recommend(1, { n: 1 });
    const res = await get(`/users/1/explain/${top!.itemId}?n=3`);
    expect(res.status).toBe(200);
    const why = model.explain(1, top!.itemId, { n: 3 });
    expect(res.body).toEqual({
      userId: 1,
      itemId: top!.itemId,
      title: model.title(top!.itemId),
      score: why.score,
      modelScore: why.modelScore,
      contributingItems: why.contributingItems,
      contributions: why.contributions.map((c) => ({ itemId: c.itemId, title: model.title(c.itemId), contribution: c.contribution, share: c.share })),
    });
    expect(res.body.contributions).toHaveLength(3);
    expect(res.headers.etag).toBeDefined();
  });

  it('answers 404 for an unknown user or item and 400 for malformed input', async () => {
    expectError(await get('/users/7777/explain/1'), 404, 'Unknown user id 7777');
    expectError(await get('/users/1/explain/4242'), 404, 'Unknown item id 4242');
    expectError(await get('/users/1/explain/99'), 404, 'Unknown item id 99');
    expectError(await get('/users/1/explain/star'), 404, 'Unknown item id "star"');
    expectError(await get('/users/1/explain/1?n=0'), 400, 'querystring/n must be >= 1');
    expectError(await get('/users/1/explain/1?n=1001'), 400, 'querystring/n must be <= 1000');
    expectError(await get('/users/1/explain/1?limit=3'), 400, 'querystring must NOT have additional properties');
  });
});

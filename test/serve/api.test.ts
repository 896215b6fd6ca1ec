import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { ALS } from '../../src/als/model.js';
import { createServer } from '../../src/serve/createServer.js';
import { packageVersion } from '../../src/cli/packageVersion.js';
import { fixtureModel } from './fixtureModel.js';

let model: ALS;
let app: FastifyInstance;

beforeAll(async () => {
  model = await fixtureModel();
  app = createServer(model);
  // A route that fails unexpectedly, to check that 500s reveal nothing.
  app.get('/test/boom', () => {
    throw new Error('secret internal detail');
  });
  await app.ready();
});

afterAll(async () => {
  await app.close();
});

const SPACE = new Set([1, 2, 3, 4, 5, 6, 7, 8]);

async function get(url: string) {
  const res = await app.inject({ method: 'GET', url });
  return { status: res.statusCode, body: res.json(), headers: res.headers };
}

async function post(url: string, payload: unknown, headers: Record<string, string> = {}) {
  const res = await app.inject({ method: 'POST', url, payload: typeof payload === 'string' ? payload : JSON.stringify(payload), headers: { 'content-type': 'application/json', ...headers } });
  return { status: res.statusCode, body: res.json(), headers: res.headers };
}

/** Asserts the JSON error shape and that no stack trace leaks. */
function expectError(res: { status: number; body: Record<string, unknown> }, status: number, message: string | RegExp) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(Object.keys(res.body).sort()).toEqual(['error', 'message', 'statusCode']);
  expect(res.body.statusCode).toBe(status);
  expect(res.body.message).toMatch(message);
  expect(JSON.stringify(res.body)).not.toMatch(/\bat .*\.(ts|js):\d+/);
}

describe('GET /health', () => {
  it('reports the model, its options and the package version', async () => {
    const res = await get('/health');
    expect(res.status).toBe(200);
    // The native build's description, or null without the addon (checked in the native tests).
    const { native, ...body } = res.body as { native: { variant: string; source: string; simd: string } | null };
    if (native !== null) expect(Object.keys(native).sort()).toEqual(['simd', 'source', 'variant']);
    expect(body).toEqual({
      status: 'ok',
      version: packageVersion(),
      model: {
        users: 40,
        items: 16,
        movies: 16,
        ratings: 200,
        factors: 2,
        scoring: 'ts',
        file: null,
        checksum: expect.stringMatching(/^[0-9a-f]{64}$/),
        // A model fitted in memory: its fit time (the INFO it would save).
        trainedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        trainedAtSource: 'model',
        loadedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        loadSeconds: expect.any(Number),
      },
      options: { factors: 2, regularization: 0.1, alpha: 1, recencyHalfLife: 0, convention: 'implicit', regularizationExponent: 0, unobservedWeight: 1, iterations: 15, solver: 'cg', cgSteps: 3, seed: 0 },
      evaluation: null,
      reload: { ok: 0, failed: 0, lastError: null },
    });
    expect(res.headers['content-type']).toMatch(/^application\/json/);
  });

  it('reports the evaluation figures it is given', async () => {
    const other = createServer(model, { evaluation: { k: 10, precision: 0.25 } });
    const res = await other.inject('/health');
    expect(res.json().evaluation).toEqual({ k: 10, precision: 0.25 });
    await other.close();
  });
});

describe('GET /users', () => {
  it('lists users by ascending id with their rating counts, paged', async () => {
    const res = await get('/users?offset=19&limit=2');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ total: 40, offset: 19, limit: 2, users: [{ userId: 20, ratings: 5 }, { userId: 101, ratings: 5 }] });
  });

  it('rejects a limit out of 1..1000 or a negative offset', async () => {
    expectError(await get('/users?limit=0'), 400, 'querystring/limit must be >= 1');
    expectError(await get('/users?limit=1001'), 400, 'querystring/limit must be <= 1000');
    expectError(await get('/users?offset=-1'), 400, 'querystring/offset must be >= 0');
  });
});

describe('GET /users/:id/history', () => {
  it("lists the user's ratings, best first, with titles and genres", async () => {
    const res = await get('/users/1/history');
    expect(res.status).toBe(200);
    expect(res.body.userId).toBe(1);
    const ratings = res.body.ratings as Array<{ movieId: number; title: string; rating: number; genres: string[]; year: number }>;
    expect(ratings.map((r) => [r.movieId, r.rating])).toEqual([[1, 5], [3, 5], [2, 4], [4, 4], [5, 3]]);
    expect(ratings[0]).toEqual({ itemId: 1, movieId: 1, title: 'Star Wars (1977)', year: 1977, genres: ['Action', 'Sci-Fi'], rating: 5 });
  });

  it('answers 404 for an unknown user (any id text) and 400 for an overlong id', async () => {
    expectError(await get('/users/7777/history'), 404, 'Unknown user id 7777');
    // Ids are text: on this integer-id model only the decimal spelling of a known id finds a user.
    expectError(await get('/users/abc/history'), 404, 'Unknown user id "abc"');
    expectError(await get('/users/-3/history'), 404, 'Unknown user id -3');
    expectError(await get('/users/01/history'), 404, 'Unknown user id "01"');
    expectError(await get('/users/1.5/history'), 404, 'Unknown user id "1.5"');
    expectError(await get('/users/99999999999/history'), 404, 'Unknown user id "99999999999"');
    expectError(await get(`/users/${'7'.repeat(1025)}/history`), 400, 'params/id must NOT have more than 1024 characters');
  });
});

describe('GET /users/:id/recommendations', () => {
  it("returns the model's ranking with titles, genres and scores, skipping rated movies", async () => {
    const res = await get('/users/1/recommendations?n=3');
    expect(res.status).toBe(200);
    const recs = res.body.recommendations as Array<{ movieId: number; title: string; score: number; genres: string[] }>;
    const expected = model.recommend(1, { n: 3 });
    expect(recs.map((r) => r.movieId)).toEqual(expected.map((r) => r.itemId));
    expect(recs.map((r) => r.score)).toEqual(expected.map((r) => r.score));
    expect(recs.every((r) => SPACE.has(r.movieId))).toBe(true); // a space-opera fan gets space opera
    expect(recs.some((r) => [1, 2, 3, 4, 5].includes(r.movieId))).toBe(false);
    expect(recs[0]).toMatchObject({ title: model.title(recs[0]!.movieId), genres: ['Action', 'Sci-Fi'] });
  });

  it('returns 10 by default (or all that are left)', async () => {
    const res = await get('/users/1/recommendations');
    expect(res.body.recommendations).toHaveLength(10);
  });

  it('never recommends excluded movies', async () => {
    const top = model.recommend(1, { n: 2 }).map((r) => r.itemId);
    const res = await get(`/users/1/recommendations?n=3&exclude=${top.join(',')}`);
    expect(res.status).toBe(200);
    const ids = (res.body.recommendations as Array<{ movieId: number }>).map((r) => r.movieId);
    expect(ids).toHaveLength(3);
    expect(ids.filter((id) => top.includes(id))).toEqual([]);
  });

  it('answers 404 for an unknown user or excluded movie', async () => {
    expectError(await get('/users/7777/recommendations'), 404, 'Unknown user id 7777');
    expectError(await get('/users/1/recommendations?exclude=1,12345'), 404, 'Unknown item id 12345');
  });

  it('answers 400 for n out of 1..1000 or a malformed exclude list', async () => {
    expectError(await get('/users/1/recommendations?n=0'), 400, 'querystring/n must be >= 1');
    expectError(await get('/users/1/recommendations?n=1001'), 400, 'querystring/n must be <= 1000');
    expectError(await get('/users/1/recommendations?n=ten'), 400, 'querystring/n must be a decimal integer');
    expectError(await get('/users/1/recommendations?exclude=1,,2'), 400, 'querystring/exclude must match pattern');
    expectError(await get('/users/1/recommendations?exclude=star'), 404, 'Unknown item id "star"');
    expectError(await get(`/users/1/recommendations?exclude=${'1,'.repeat(10_001)}1`), 400, /querystring\/exclude must NOT have more than 20000 characters/);
  });
});

describe('POST /recommendations (a new user)', () => {
  it('recommends space opera to someone who loves Star Wars, skipping what they rated', async () => {
    const res = await post('/recommendations', { ratings: [{ movieId: 1, rating: 5 }, { movieId: 2, rating: 4 }], n: 4 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const ids = (res.body.recommendations as Array<{ movieId: number; title: string }>).map((r) => r.movieId);
    expect(ids).toHaveLength(4);
    expect(ids.every((id) => SPACE.has(id) && id !== 1 && id !== 2)).toBe(true);
    expect(res.body.recommendations[0].title).toBe(model.title(ids[0]!));
  });

  it('recommends family films from the history of a family-film fan', async () => {
    const history = (await get('/users/101/history')).body.ratings as Array<{ movieId: number; rating: number }>;
    const res = await post('/recommendations', { ratings: history.map((r) => ({ movieId: r.movieId, rating: r.rating })) });
    const ids = (res.body.recommendations as Array<{ movieId: number }>).map((r) => r.movieId);
    expect(ids).toHaveLength(10);
    expect(ids.slice(0, 3).every((id) => id >= 11 && id <= 18)).toBe(true); // the 3 family films 101 has not rated
    expect(ids.slice(0, 3).sort()).toEqual(model.recommend(101, { n: 3 }).map((r) => r.itemId).sort());
  });

  it('answers 404 for an unknown movie', async () => {
    expectError(await post('/recommendations', { ratings: [{ movieId: 4242, rating: 5 }] }), 404, 'Unknown item id 4242');
  });

  it('answers 400 for malformed ratings, n or JSON', async () => {
    expectError(await post('/recommendations', {}), 400, "body must have required property 'ratings'");
    expectError(await post('/recommendations', { ratings: [] }), 400, 'body/ratings must NOT have fewer than 1 items');
    expectError(await post('/recommendations', { ratings: [{ movieId: 1 }] }), 400, "body/ratings/0 must have required property 'rating'");
    expectError(await post('/recommendations', { ratings: [{ movieId: 1, rating: 0 }] }), 400, 'body/ratings/0/rating must be > 0');
    expectError(await post('/recommendations', { ratings: [{ movieId: 1, rating: 6 }] }), 400, 'body/ratings/0/rating must be <= 5');
    expectError(await post('/recommendations', { ratings: [{ movieId: true, rating: 5 }] }), 400, 'body/ratings/0/movieId must be integer,string');
    expectError(await post('/recommendations', { ratings: [{ itemId: 1, movieId: 1, rating: 5 }] }), 400, 'body/ratings/0 must match exactly one schema in oneOf');
    expectError(await post('/recommendations', { ratings: [{ itemId: 'x', rating: 5 }] }), 404, 'Unknown item id "x"');
    expectError(await post('/recommendations', { ratings: [{ movieId: 1, rating: 5 }], n: 0 }), 400, 'body/n must be >= 1');
    expectError(await post('/recommendations', { ratings: [{ movieId: 1, rating: 5 }], n: 1001 }), 400, 'body/n must be <= 1000');
    expectError(await post('/recommendations', { ratings: [{ movieId: 1, rating: 5 }, { movieId: 1, rating: 3 }] }), 400, 'Expected each item id at most once for ratings but received "item 1 twice" of type string');
    expectError(await post('/recommendations', '{"ratings": ['), 400, /JSON/);
    expectError(await post('/recommendations', ''), 400, /empty/i);
  });

  it('answers 400 (not 413) for a body over 64 KB', async () => {
    const ratings = Array.from({ length: 3000 }, (_, j) => ({ movieId: j, rating: 5 }));
    const payload = JSON.stringify({ ratings });
    expect(payload.length).toBeGreaterThan(64 * 1024);
    expectError(await post('/recommendations', payload), 400, 'Request body is larger than 65536 bytes');
  });

  it('answers 400 for a text body and 415 for a media type it does not parse', async () => {
    expectError(await post('/recommendations', 'movieId=1', { 'content-type': 'text/plain' }), 400, 'body must be object');
    expectError(await post('/recommendations', '<ratings/>', { 'content-type': 'application/xml' }), 415, /Unsupported Media Type/);
  });
});

describe('GET /movies/:id/similar', () => {
  it('returns the movie and its nearest neighbours by cosine, excluding itself', async () => {
    const res = await get('/movies/1/similar?n=5');
    expect(res.status).toBe(200);
    expect(res.body.movie).toEqual({ itemId: 1, movieId: 1, title: 'Star Wars (1977)', year: 1977, genres: ['Action', 'Sci-Fi'] });
    const similar = res.body.similar as Array<{ movieId: number; score: number }>;
    expect(similar.map((r) => r.movieId)).toEqual(model.similarItems(1, 5).map((r) => r.itemId));
    expect(similar.map((r) => r.movieId)).not.toContain(1);
    expect(similar.slice(0, 3).every((r) => SPACE.has(r.movieId))).toBe(true);
  });

  it('answers 404 for an unknown movie (including one in the title table but not in the model) and 400 for bad n', async () => {
    expectError(await get('/movies/4242/similar'), 404, 'Unknown item id 4242');
    expectError(await get('/movies/99/similar'), 404, 'Unknown item id 99');
    expectError(await get('/movies/1/similar?n=0'), 400, 'querystring/n must be >= 1');
    expectError(await get('/movies/1/similar?n=1001'), 400, 'querystring/n must be <= 1000');
    expectError(await get('/movies/star/similar'), 404, 'Unknown item id "star"');
  });
});

describe('GET /movies', () => {
  it('finds titles case-insensitively, paged, only movies in the model', async () => {
    const res = await get('/movies?search=STAR');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(3); // Star Wars, Star Trek, Stargate; Star Kid has no factors
    expect(res.body.movies.map((m: { title: string }) => m.title)).toEqual(['Star Wars (1977)', 'Star Trek: First Contact (1996)', 'Stargate (1994)']);
    const page = await get('/movies?search=star&offset=1&limit=1');
    expect(page.body).toEqual({ total: 3, offset: 1, limit: 1, movies: [{ itemId: 4, movieId: 4, title: 'Star Trek: First Contact (1996)', year: 1996, genres: ['Action', 'Sci-Fi'] }] });
    // /items is the same search, the list named items.
    expect((await get('/items?search=star&offset=1&limit=1')).body).toEqual({ ...page.body, movies: undefined, items: page.body.movies });
  });

  it('lists every movie without a search, and nothing for no match', async () => {
    expect((await get('/movies?limit=100')).body.total).toBe(16);
    expect((await get('/movies?search=zzz')).body).toEqual({ total: 0, offset: 0, limit: 20, movies: [] });
  });

  it('answers 400 for a bad page or an overlong search', async () => {
    expectError(await get('/movies?limit=0'), 400, 'querystring/limit must be >= 1');
    expectError(await get('/movies?offset=x'), 400, 'querystring/offset must be a decimal integer');
    expectError(await get(`/movies?search=${'a'.repeat(201)}`), 400, 'querystring/search must NOT have more than 200 characters');
  });
});

describe('OpenAPI, docs and the dashboard', () => {
  it('serves an OpenAPI 3 document listing every endpoint', async () => {
    const res = await get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths).sort()).toEqual(['/admin/reload', '/health', '/items', '/items/{id}/similar', '/metrics', '/model/item-map', '/model/training-loss', '/movies', '/movies/{id}/similar', '/recommendations', '/users', '/users/{id}/explain/{itemId}', '/users/{id}/history', '/users/{id}/recommendations']);
    expect(res.body.paths['/users/{id}/recommendations'].get.responses).toHaveProperty('404');
  });

  it('serves the Swagger UI at /docs', async () => {
    const res = await app.inject('/docs/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
  });

  it('serves the dashboard at / with its script and style, under a same-origin CSP', async () => {
    const page = await app.inject('/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'; script-src 'self'/);
    expect(page.body).toContain('<main id="main">');
    const js = await app.inject('/dashboard.js');
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.body).toContain("fetch(path, init)");
    expect((await app.inject('/dashboard.css')).headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('serves Chart.js itself (no CDN) and the chart script', async () => {
    const chart = await app.inject('/vendor/chart.umd.js');
    expect(chart.statusCode).toBe(200);
    expect(chart.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(chart.body).toMatch(/^\/\*![\s\S]*Chart\.js v4\.[\s\S]*Released under the MIT License/);
    expect((await app.inject('/dashboardCharts.js')).body).toContain('export async function drawCharts');
    expect((await app.inject('/')).body).toContain('<script defer src="/vendor/chart.umd.js"></script>');
  });
});

describe('errors', () => {
  it('answers an unknown route with a JSON 404', async () => {
    expectError(await get('/nope?x=1'), 404, 'Route GET /nope not found');
  });

  it('hides the details of an unexpected failure', async () => {
    const res = await get('/test/boom');
    expectError(res, 500, 'Internal Server Error');
    expect(JSON.stringify(res.body)).not.toContain('secret');
  });

  it('sends nosniff on every reply', async () => {
    expect((await get('/health')).headers['x-content-type-options']).toBe('nosniff');
    expect((await get('/nope')).headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('CORS', () => {
  it('is off by default', async () => {
    const res = await app.inject({ url: '/health', headers: { origin: 'https://example.org' } });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect((await app.inject({ method: 'OPTIONS', url: '/recommendations', headers: { origin: 'https://example.org' } })).statusCode).toBe(404);
  });

  it('with cors: true, allows any origin and answers the preflight of a JSON POST', async () => {
    const open = createServer(model, { cors: true });
    const res = await open.inject({ url: '/health', headers: { origin: 'https://example.org' } });
    expect(res.headers['access-control-allow-origin']).toBe('*');
    const preflight = await open.inject({
      method: 'OPTIONS',
      url: '/recommendations',
      headers: { origin: 'https://example.org', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-methods']).toBe('GET, POST');
    expect(preflight.headers['access-control-allow-headers']).toBe('content-type');
    const error = await open.inject('/users/7777/history');
    expect(error.statusCode).toBe(404);
    expect(error.headers['access-control-allow-origin']).toBe('*');
    await open.close();
  });
});

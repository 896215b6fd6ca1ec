/**
 * Counts are decimal integers in range and nothing else (issue 11, "Numbers the schema lets
 * through"): each spelling below used to be coerced by Ajv into a number and served. Ids are text
 * (issue 12): on this integer-id model a spelling other than an id's decimal text is an unknown
 * id (404), never coerced into a known one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createServer } from '../../src/serve/createServer.js';
import { fixtureModel } from './fixtureModel.js';

let app: FastifyInstance;

beforeAll(async () => {
  app = createServer(await fixtureModel());
  await app.ready();
});

afterAll(async () => {
  await app.close();
});

async function status(url: string): Promise<{ status: number; message: string }> {
  const res = await app.inject({ method: 'GET', url });
  return { status: res.statusCode, message: String(res.json().message ?? '') };
}

async function postStatus(payload: unknown): Promise<{ status: number; message: string }> {
  const res = await app.inject({ method: 'POST', url: '/recommendations', payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });
  return { status: res.statusCode, message: String(res.json().message ?? '') };
}

describe('strict numbers in URLs', () => {
  it.each([
    '/users/1/recommendations?n=Infinity',
    '/users/1/recommendations?n=-Infinity',
    '/users/1/recommendations?n=NaN',
    '/users/1/recommendations?n=1e3',
    '/users/1/recommendations?n=0x10',
    '/users/1/recommendations?n=0b11',
    '/users/1/recommendations?n=0o7',
    '/users/1/recommendations?n=+5',
    '/users/1/recommendations?n=%205',
    '/users/1/recommendations?n=5%20',
    '/users/1/recommendations?n=5.0',
    '/users/1/recommendations?n=',
    '/users/1/recommendations?n=5&n=6',
    '/users/1/recommendations?n[]=1',
    '/users/1/recommendations?m=1',
    '/users?limit=Infinity',
    '/users?offset=Infinity',
    '/movies?limit=Infinity',
    '/movies?offset=Infinity',
    `/movies?offset=${'9'.repeat(400)}`,
    '/users?offset=2147483648',
    '/movies/1/similar?n=0x2',
  ])('%s is a 400', async (url) => {
    expect(await status(url)).toMatchObject({ status: 400 });
  });

  it.each([
    '/users/Infinity/history',
    '/users/0x1/history',
    '/users/1e0/history',
    '/users/+1/history',
    '/users/%201/history',
    '/users/1%20/history',
    '/users/01/history',
    '/users/1.0/history',
    '/users/2147483648/recommendations',
    '/movies/0x1/similar',
    '/items/01/similar',
  ])('%s is a 404 (an unknown id, not user or item 1)', async (url) => {
    expect(await status(url)).toMatchObject({ status: 404, message: expect.stringMatching(/^Unknown (user|item) id "/) });
  });

  it('still serves plain decimal values', async () => {
    expect((await status('/users/1/recommendations?n=5')).status).toBe(200);
    expect((await status('/users/1/history')).status).toBe(200);
    expect((await status('/users?offset=0&limit=1000')).status).toBe(200);
    expect((await status('/users?offset=2147483647')).status).toBe(200);
    expect((await status('/movies/1/similar?n=3')).status).toBe(200);
  });

  it('says what is wrong', async () => {
    expect(await status('/users/0x10/history')).toEqual({ status: 404, message: 'Unknown user id "0x10"' });
    expect(await status('/users/1/recommendations?n=5&n=6')).toEqual({ status: 400, message: 'querystring/n must be given once' });
    expect(await status('/users/1/recommendations?n=Infinity')).toEqual({ status: 400, message: 'querystring/n must be a decimal integer' });
    expect(await status('/users?offset=Infinity')).toEqual({ status: 400, message: 'querystring/offset must be a decimal integer' });
    expect((await status('/users/1/recommendations?n[]=1')).message).toBe('querystring must NOT have additional properties');
  });
});

describe('no coercion in JSON bodies', () => {
  it.each([
    [{ ratings: [{ movieId: 1, rating: true }] }, 'body/ratings/0/rating must be number'],
    [{ ratings: [{ movieId: 1, rating: [5] }] }, 'body/ratings/0/rating must be number'],
    [{ ratings: [{ movieId: 1, rating: '5' }] }, 'body/ratings/0/rating must be number'],
    [{ ratings: [{ movieId: true, rating: 5 }] }, 'body/ratings/0/movieId must be integer,string'],
    [{ ratings: [{ itemId: 1.5, rating: 5 }] }, 'body/ratings/0/itemId must be integer,string'],
    [{ ratings: [{ movieId: 1, rating: 5 }], n: '3' }, 'body/n must be integer'],
    [{ ratings: [{ movieId: 1, rating: 5 }], n: [3] }, 'body/n must be integer'],
    [{ ratings: [{ movieId: 1, rating: null }] }, 'body/ratings/0/rating must be number'],
  ])('%j is a 400', async (payload, message) => {
    expect(await postStatus(payload)).toEqual({ status: 400, message });
  });

  it('takes an id string as text: "0x32" is unknown, "1" is item 1', async () => {
    expect(await postStatus({ ratings: [{ movieId: '0x32', rating: 5 }] })).toEqual({ status: 404, message: 'Unknown item id "0x32"' });
    expect((await postStatus({ ratings: [{ itemId: '1', rating: 5 }] })).status).toBe(200);
  });

  it('accepts JSON numbers, exponent notation included (JSON has one number type)', async () => {
    expect((await postStatus({ ratings: [{ movieId: 1, rating: 5 }, { movieId: 2, rating: 4.5e0 }], n: 3 })).status).toBe(200);
  });
});

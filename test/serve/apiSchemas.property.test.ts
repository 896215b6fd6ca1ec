/**
 * Property-based tests of the REST schemas (fast-check): random query, path and body values
 * never give a 500; a value outside the spec (not a decimal integer, out of range, wrong JSON
 * type) is a 400; a value inside it is served (200, or 404 for an id the model lacks). Bounded:
 * a fixed number of runs per property and a time limit.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createServer } from '../../src/serve/createServer.js';
import { MAX_N } from '../../src/serve/apiSchemas.js';
import type { ALS } from '../../src/als/model.js';
import { fixtureModel } from './fixtureModel.js';

let app: FastifyInstance;
let model: ALS;

beforeAll(async () => {
  model = await fixtureModel();
  app = createServer(model);
  await app.ready();
});

afterAll(async () => {
  await app.close();
});

const RUNS = { numRuns: 300, interruptAfterTimeLimit: 15_000 } as const;
const MAX_ID = 2_147_483_647;

/** The integer a value is in the spec's terms, or null when it is not a decimal integer. */
function decimal(raw: string): number | null {
  return /^-?[0-9]+$/.test(raw) ? Number(raw) : null;
}

/** Strings a client might send for a number: numeric-looking ones far more often than chance would give. */
const numberLike = fc.oneof(
  fc.integer({ min: -5, max: MAX_N + 5 }).map(String),
  fc.integer().map(String),
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
  fc.double().map(String),
  fc.constantFrom('Infinity', '-Infinity', 'NaN', '0x10', '0b11', '0o7', '1e3', '+5', ' 5', '5 ', '', '-0', '00', '1_000', '١٢', '５'),
  fc.integer({ min: 0, max: 1000 }).map((n) => `0x${n.toString(16)}`),
  fc.string({ maxLength: 12 }),
);

async function get(url: string) {
  const res = await app.inject({ method: 'GET', url });
  return res.statusCode;
}

describe('REST schemas, random values', () => {
  it('n on recommendations and similar movies: 200 exactly for decimal 1..1000, otherwise 400', async () => {
    await fc.assert(
      fc.asyncProperty(numberLike, fc.constantFrom('/users/1/recommendations', '/movies/1/similar'), async (raw, path) => {
        const status = await get(`${path}?n=${encodeURIComponent(raw)}`);
        const n = decimal(raw);
        expect(status).toBe(n !== null && n >= 1 && n <= MAX_N ? 200 : 400);
      }),
      RUNS,
    );
  });

  it('offset and limit on /users and /movies: 200 exactly in range, otherwise 400', async () => {
    await fc.assert(
      fc.asyncProperty(numberLike, fc.constantFrom('offset', 'limit'), fc.constantFrom('/users', '/movies'), async (raw, name, path) => {
        const status = await get(`${path}?${name}=${encodeURIComponent(raw)}`);
        const v = decimal(raw);
        const inRange = v !== null && (name === 'offset' ? v >= 0 && v <= MAX_ID : v >= 1 && v <= MAX_N);
        expect(status).toBe(inRange ? 200 : 400);
      }),
      RUNS,
    );
  });

  it('path ids: 200 for the exact text of a known id, otherwise 404 (ids are text; nothing is coerced)', async () => {
    const s = model.state;
    const texts = (side: typeof s.users) => new Set(Array.from({ length: side.size }, (_, i) => String(side.id(i))));
    const known = { users: texts(s.users), movies: texts(s.items) };
    await fc.assert(
      fc.asyncProperty(
        numberLike.filter((raw) => raw.length > 0 && !raw.includes('/')),
        fc.constantFrom('users', 'movies'),
        async (raw, kind) => {
          const url = kind === 'users' ? `/users/${encodeURIComponent(raw)}/history` : `/movies/${encodeURIComponent(raw)}/similar`;
          expect(await get(url)).toBe(known[kind as 'users' | 'movies'].has(raw) ? 200 : 404);
        },
      ),
      RUNS,
    );
  });

  it('POST /recommendations bodies: never a 500; well-typed bodies of known, distinct movies are served', async () => {
    const known = Array.from({ length: model.state.items.size }, (_, i) => model.state.items.id(i));
    const rating = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true, min: -10, max: 10 }), fc.anything());
    const movieId = fc.oneof(fc.constantFrom(...known), fc.integer(), fc.anything());
    const body = fc.oneof(
      fc.record({ ratings: fc.array(fc.record({ movieId, rating }), { maxLength: 4 }), n: fc.oneof(fc.integer({ min: -2, max: 1002 }), fc.anything()) }, { requiredKeys: ['ratings'] }),
      fc.jsonValue({ maxDepth: 3 }),
    );
    await fc.assert(
      fc.asyncProperty(body, async (payload) => {
        const res = await app.inject({ method: 'POST', url: '/recommendations', payload: JSON.stringify(payload) ?? 'null', headers: { 'content-type': 'application/json' } });
        expect([200, 400, 404]).toContain(res.statusCode);
        if (wellFormed(payload, known)) expect(res.statusCode).toBe(200);
        if (res.statusCode === 200) expect(wellTyped(payload)).toBe(true);
      }),
      RUNS,
    );
  });
});

interface Candidate {
  ratings?: unknown;
  n?: unknown;
}

/** What the schema allows: ratings 1..1000 of { integer movieId in 0..2^31-1, rating in (0, 5] }, n an integer 1..1000. */
function wellTyped(payload: unknown): boolean {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return false;
  const p = payload as Candidate;
  if (Object.keys(p).some((k) => k !== 'ratings' && k !== 'n')) return false;
  if (p.n !== undefined && !(Number.isInteger(p.n) && (p.n as number) >= 1 && (p.n as number) <= MAX_N)) return false;
  if (!Array.isArray(p.ratings) || p.ratings.length === 0) return false;
  return p.ratings.every((r: unknown) => {
    if (r === null || typeof r !== 'object' || Array.isArray(r)) return false;
    const { movieId, rating, ...rest } = r as Record<string, unknown>;
    // An id in JSON is an int32 integer or a string of 1..1024 characters.
    const idOk = (Number.isInteger(movieId) && (movieId as number) >= -MAX_ID - 1 && (movieId as number) <= MAX_ID) || (typeof movieId === 'string' && movieId.length >= 1 && movieId.length <= 1024);
    return Object.keys(rest).length === 0 && idOk && typeof rating === 'number' && rating > 0 && rating <= 5;
  });
}

/** Well typed, every movie known to the model and none twice: the request must be served. */
function wellFormed(payload: unknown, known: readonly unknown[]): boolean {
  if (!wellTyped(payload)) return false;
  const ids = ((payload as Candidate).ratings as { movieId: number }[]).map((r) => r.movieId);
  return ids.every((id) => known.includes(id)) && new Set(ids).size === ids.length;
}

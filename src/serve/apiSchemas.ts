/**
 * The JSON schemas the API shares: they validate every input (Fastify's Ajv) and describe the
 * replies, which fast-json-stringify then serialises; @fastify/swagger turns them into
 * /openapi.json.
 */

/** Largest `n` (recommendations, similar movies) and page size a request may ask for. */
export const MAX_N = 1000;

/** Largest `offset` a paged list accepts (past the end is an empty page). */
export const MAX_OFFSET = 2_147_483_647;

/** Ids are 32-bit in the model's IdMaps; anything outside is malformed rather than unknown. */
const id = { type: 'integer', minimum: 0, maximum: 2_147_483_647 } as const;

export const idParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id },
} as const;

export const nQuery = {
  n: { type: 'integer', minimum: 1, maximum: MAX_N, default: 10, description: 'How many movies (1..1000)' },
} as const;

export const errorBody = {
  type: 'object',
  required: ['statusCode', 'error', 'message'],
  properties: {
    statusCode: { type: 'integer' },
    error: { type: 'string', description: 'The HTTP status text' },
    message: { type: 'string', description: 'What was wrong, for a person' },
  },
} as const;

const genres = { type: 'array', items: { type: 'string' } } as const;
const year = { type: ['integer', 'null'] } as const;

export const movieBody = {
  type: 'object',
  required: ['movieId', 'title', 'year', 'genres'],
  properties: { movieId: { type: 'integer' }, title: { type: 'string' }, year, genres },
} as const;

export const scoredMovieBody = {
  type: 'object',
  required: ['movieId', 'title', 'year', 'genres', 'score'],
  properties: { movieId: { type: 'integer' }, title: { type: 'string' }, year, genres, score: { type: 'number' } },
} as const;

export const ratedMovieBody = {
  type: 'object',
  required: ['movieId', 'title', 'year', 'genres', 'rating'],
  properties: { movieId: { type: 'integer' }, title: { type: 'string' }, year, genres, rating: { type: 'number' } },
} as const;

/** The error replies every route with inputs can give. */
export const errorReplies = { 400: errorBody, 404: errorBody } as const;

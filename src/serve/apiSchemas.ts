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

/** Largest number of reasons (contributing rated items) per recommendation in `?explain=`. */
export const MAX_REASONS = 20;

/** One rated item behind a score (ALS.explain): its contribution and share of the score. */
export const reasonBody = {
  type: 'object',
  required: ['itemId', 'title', 'contribution', 'share'],
  properties: {
    itemId: { type: 'integer' },
    title: { type: 'string' },
    contribution: { type: 'number', description: 'c_uj · y_iᵀ W_u y_j: this rated item\'s part of the score' },
    share: { type: 'number', description: 'contribution / score (negative: the item pulls the score down)' },
  },
} as const;

/** A scored movie with, when `explain` was asked for, its top reasons. */
export const explainedMovieBody = {
  ...scoredMovieBody,
  properties: { ...scoredMovieBody.properties, reasons: { type: 'array', items: reasonBody } },
} as const;

/** `explain`: how many reasons to add to each recommendation (0, the default, adds none). */
export const explainQuery = {
  explain: {
    type: 'integer', minimum: 0, maximum: MAX_REASONS, default: 0,
    description: `Add the top-k rated items behind each score as \`reasons\` (0..${MAX_REASONS}, default 0: none)`,
  },
} as const;

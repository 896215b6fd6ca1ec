/**
 * The JSON schemas the API shares: they validate every input (Fastify's Ajv) and describe the
 * replies, which fast-json-stringify then serialises; @fastify/swagger turns them into
 * /openapi.json.
 */

/** Largest `n` (recommendations, similar movies) and page size a request may ask for. */
export const MAX_N = 1000;

/** Largest `offset` a paged list accepts (past the end is an empty page). */
export const MAX_OFFSET = 2_147_483_647;

/**
 * A user or item id in a URL path: its text, URL-decoded (`/users/u%2F7` is user `u/7`). The
 * model's id map resolves it: on an integer-id model `196` is user 196 (and `0196` is unknown).
 */
const pathId = { type: 'string', minLength: 1, maxLength: 1024, description: 'A user or item id, URL-encoded' } as const;

/** An id in JSON: an integer or a string, exactly as the model holds it. */
export const jsonId = {
  // One schema with both types (not anyOf), so a wrong type reads "must be integer,string".
  type: ['integer', 'string'],
  minimum: -2_147_483_648,
  maximum: 2_147_483_647,
  minLength: 1,
  maxLength: 1024,
} as const;

/** An id in a reply: a number on an integer-id side, a string on a string-id side. */
export const replyId = { type: ['integer', 'string'] } as const;

export const idParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: pathId },
} as const;

export const nQuery = {
  n: { type: 'integer', minimum: 1, maximum: MAX_N, default: 10, description: 'How many items (1..1000)' },
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

/** `movieId` repeats `itemId` for clients written against the MovieLens-only API (deprecated). */
const itemFields = {
  itemId: replyId,
  movieId: { ...replyId, deprecated: true, description: 'Same as itemId (deprecated)' },
  title: { type: 'string' },
  year,
  genres,
} as const;

export const itemBody = {
  type: 'object',
  required: ['itemId', 'movieId', 'title', 'year', 'genres'],
  properties: itemFields,
} as const;

export const scoredItemBody = {
  type: 'object',
  required: ['itemId', 'movieId', 'title', 'year', 'genres', 'score'],
  properties: { ...itemFields, score: { type: 'number' } },
} as const;

export const ratedItemBody = {
  type: 'object',
  required: ['itemId', 'movieId', 'title', 'year', 'genres', 'rating'],
  properties: { ...itemFields, rating: { type: 'number' } },
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
    itemId: replyId,
    title: { type: 'string' },
    contribution: { type: 'number', description: 'c_uj · y_iᵀ W_u y_j: this rated item\'s part of the score' },
    share: { type: 'number', description: 'contribution / score (negative: the item pulls the score down)' },
  },
} as const;

/** A scored item with, when `explain` was asked for, its top reasons. */
export const explainedItemBody = {
  ...scoredItemBody,
  properties: { ...scoredItemBody.properties, reasons: { type: 'array', items: reasonBody } },
} as const;

/** `explain`: how many reasons to add to each recommendation (0, the default, adds none). */
export const explainQuery = {
  explain: {
    type: 'integer', minimum: 0, maximum: MAX_REASONS, default: 0,
    description: `Add the top-k rated items behind each score as \`reasons\` (0..${MAX_REASONS}, default 0: none)`,
  },
} as const;

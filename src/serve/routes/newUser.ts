/**
 * `POST /recommendations`: recommendations for someone not in the model, from the ratings they
 * give (fold-in: ALS.recommendForNewUser solves their factors against the fixed movie factors).
 */
import type { FastifyPluginAsync } from 'fastify';
import { errorReplies, explainedItemBody, explainQuery, jsonId, MAX_N } from '../apiSchemas.js';
import { scoredItems } from '../itemView.js';
import { withReasons } from '../explainReasons.js';
import type { ExternalId } from '../../data/rawInteractions.js';

/** `movieId` is read in place of `itemId` (deprecated, from the MovieLens-only API). */
type NewUserRating = { itemId: ExternalId; rating: number } | { movieId: ExternalId; rating: number };

/** More ratings than this is a user worth retraining for, not a request. */
export const MAX_NEW_USER_RATINGS = 1000;

/** The route reads the model from `request.served` (see requestModel.ts). */
export function newUserRoutes(): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: { ratings: NewUserRating[]; n: number; explain: number } }>('/recommendations', {
      schema: {
        tags: ['users'],
        summary: 'Top-n items for a new user from the ratings they give (fold-in); the rated items are skipped',
        body: {
          type: 'object',
          required: ['ratings'],
          additionalProperties: false,
          properties: {
            ratings: {
              type: 'array',
              minItems: 1,
              maxItems: MAX_NEW_USER_RATINGS,
              items: {
                type: 'object',
                required: ['rating'],
                oneOf: [{ required: ['itemId'] }, { required: ['movieId'] }],
                additionalProperties: false,
                properties: {
                  itemId: jsonId,
                  movieId: { ...jsonId, deprecated: true, description: 'Same as itemId (deprecated)' },
                  rating: { type: 'number', exclusiveMinimum: 0, maximum: 5, description: 'As in MovieLens: (0, 5]' },
                },
              },
            },
            n: { type: 'integer', minimum: 1, maximum: MAX_N, default: 10 },
            ...explainQuery,
          },
        },
        response: {
          200: { type: 'object', properties: { recommendations: { type: 'array', items: explainedItemBody } } },
          ...errorReplies,
        },
      },
    }, (request) => {
      const { model } = request.served;
      const { ratings, n, explain } = request.body;
      // The model checks what a schema cannot: known items (404) and no item twice (400).
      const recommendations = scoredItems(model, model.recommendForNewUser(ratings, { n }));
      return { recommendations: withReasons(model, recommendations, explain, { ratings }) };
    });
  };
}

/**
 * `POST /recommendations`: recommendations for someone not in the model, from the ratings they
 * give (fold-in: ALS.recommendForNewUser solves their factors against the fixed movie factors).
 */
import type { FastifyPluginAsync } from 'fastify';
import { errorReplies, explainedMovieBody, explainQuery, MAX_N } from '../apiSchemas.js';
import { scoredMovies } from '../movieView.js';
import { withReasons } from '../explainReasons.js';

interface NewUserRating {
  movieId: number;
  rating: number;
}

/** More ratings than this is a user worth retraining for, not a request. */
export const MAX_NEW_USER_RATINGS = 1000;

/** The route reads the model from `request.served` (see requestModel.ts). */
export function newUserRoutes(): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: { ratings: NewUserRating[]; n: number; explain: number } }>('/recommendations', {
      schema: {
        tags: ['users'],
        summary: 'Top-n movies for a new user from the ratings they give (fold-in); the rated movies are skipped',
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
                required: ['movieId', 'rating'],
                additionalProperties: false,
                properties: {
                  movieId: { type: 'integer', minimum: 0, maximum: 2_147_483_647 },
                  rating: { type: 'number', exclusiveMinimum: 0, maximum: 5, description: 'As in MovieLens: (0, 5]' },
                },
              },
            },
            n: { type: 'integer', minimum: 1, maximum: MAX_N, default: 10 },
            ...explainQuery,
          },
        },
        response: {
          200: { type: 'object', properties: { recommendations: { type: 'array', items: explainedMovieBody } } },
          ...errorReplies,
        },
      },
    }, (request) => {
      const { model } = request.served;
      const { ratings, n, explain } = request.body;
      // The model checks what a schema cannot: known movies (404) and no movie twice (400).
      const recommendations = scoredMovies(model, model.recommendForNewUser(ratings, { n }));
      return { recommendations: withReasons(model, recommendations, explain, { ratings }) };
    });
  };
}

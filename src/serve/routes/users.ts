/**
 * User routes: the user list (for pickers), a user's rated movies, and their recommendations.
 */
import type { FastifyPluginAsync } from 'fastify';
import { errorReplies, explainedMovieBody, explainQuery, idParams, MAX_N, MAX_OFFSET, nQuery, ratedMovieBody } from '../apiSchemas.js';
import { movieView, scoredMovies } from '../movieView.js';
import { withReasons } from '../explainReasons.js';

interface IdParams {
  id: number;
}

/** The routes read the model from `request.served` (see requestModel.ts). */
export function userRoutes(): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: { offset: number; limit: number } }>('/users', {
      schema: {
        tags: ['users'],
        summary: 'The users the model knows, by ascending id, with how many ratings each has',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            offset: { type: 'integer', minimum: 0, maximum: MAX_OFFSET, default: 0 },
            limit: { type: 'integer', minimum: 1, maximum: MAX_N, default: 100 },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              total: { type: 'integer' },
              offset: { type: 'integer' },
              limit: { type: 'integer' },
              users: {
                type: 'array',
                items: { type: 'object', properties: { userId: { type: 'integer' }, ratings: { type: 'integer' } } },
              },
            },
          },
          400: errorReplies[400],
        },
      },
    }, (request) => {
      const s = request.served.model.state;
      const { offset, limit } = request.query;
      const users = [];
      for (let u = offset; u < Math.min(s.users.size, offset + limit); u++) {
        users.push({ userId: s.users.id(u), ratings: s.liked.indptr[u + 1]! - s.liked.indptr[u]! });
      }
      return { total: s.users.size, offset, limit, users };
    });

    app.get<{ Params: IdParams }>('/users/:id/history', {
      schema: {
        tags: ['users'],
        summary: "The movies a user rated in the training data, best rated first",
        params: idParams,
        response: {
          200: {
            type: 'object',
            properties: { userId: { type: 'integer' }, ratings: { type: 'array', items: ratedMovieBody } },
          },
          ...errorReplies,
        },
      },
    }, (request) => {
      const { model } = request.served;
      const s = model.state;
      const { id } = request.params;
      const u = s.users.index(id, 'user');
      const ratings = [];
      for (let q = s.liked.indptr[u]!; q < s.liked.indptr[u + 1]!; q++) {
        ratings.push({ ...movieView(model, s.items.id(s.liked.indices[q]!)), rating: s.liked.data[q]! });
      }
      ratings.sort((a, b) => b.rating - a.rating || a.movieId - b.movieId);
      return { userId: id, ratings };
    });

    app.get<{ Params: IdParams; Querystring: { n: number; exclude?: string; explain: number } }>('/users/:id/recommendations', {
      schema: {
        tags: ['users'],
        summary: "A user's top-n movies, best first, skipping the movies they rated; with explain=k, each with the k rated movies behind its score",
        params: idParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...nQuery,
            ...explainQuery,
            exclude: {
              type: 'string',
              pattern: '^[0-9]{1,10}(,[0-9]{1,10})*$',
              maxLength: 20_000,
              description: 'Comma-separated movie ids never to recommend, e.g. 1,2,3',
            },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: { userId: { type: 'integer' }, recommendations: { type: 'array', items: explainedMovieBody } },
          },
          ...errorReplies,
        },
      },
    }, async (request) => {
      const { model, serving } = request.served;
      const s = model.state;
      const { id } = request.params;
      const { n, exclude, explain } = request.query;
      s.users.index(id, 'user');
      // Unknown excluded ids are an error too: a typo should not pass silently.
      const excluded = exclude === undefined ? [] : exclude.split(',').map(Number);
      for (const movieId of excluded) s.items.index(movieId, 'movie');
      const recommendations = scoredMovies(model, await serving.recommend(id, n, excluded));
      return { userId: id, recommendations: withReasons(model, recommendations, explain, { userId: id }) };
    });
  };
}

/**
 * Movie routes: title search (paged) and similar movies by cosine of the factors.
 */
import type { FastifyPluginAsync } from 'fastify';
import { searchMovies } from '../../als/resolveMovieTitle.js';
import { errorReplies, idParams, MAX_N, MAX_OFFSET, movieBody, nQuery, scoredMovieBody } from '../apiSchemas.js';
import { movieView, scoredMovies } from '../movieView.js';

/** The routes read the model from `request.served` (see requestModel.ts). */
export function movieRoutes(): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: { search?: string; offset: number; limit: number } }>('/movies', {
      schema: {
        tags: ['movies'],
        summary: 'Movies the model knows whose title contains `search` (case-insensitive; exact matches first, then by id)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            search: { type: 'string', maxLength: 200, description: 'Part of a title; all movies when absent' },
            offset: { type: 'integer', minimum: 0, maximum: MAX_OFFSET, default: 0 },
            limit: { type: 'integer', minimum: 1, maximum: MAX_N, default: 20 },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              total: { type: 'integer' },
              offset: { type: 'integer' },
              limit: { type: 'integer' },
              movies: { type: 'array', items: movieBody },
            },
          },
          400: errorReplies[400],
        },
      },
    }, (request) => {
      const { model } = request.served;
      const s = model.state;
      const { search, offset, limit } = request.query;
      // Only movies with factors: the others cannot be asked for similar movies or rated.
      const found = searchMovies(s.movies, search ?? '').filter((m) => s.items.has(m.id));
      return { total: found.length, offset, limit, movies: found.slice(offset, offset + limit).map((m) => movieView(model, m.id)) };
    });

    app.get<{ Params: { id: number }; Querystring: { n: number } }>('/movies/:id/similar', {
      schema: {
        tags: ['movies'],
        summary: 'The n movies most similar to one movie (cosine of the item factors), excluding itself',
        params: idParams,
        querystring: { type: 'object', additionalProperties: false, properties: nQuery },
        response: {
          200: {
            type: 'object',
            properties: { movie: movieBody, similar: { type: 'array', items: scoredMovieBody } },
          },
          ...errorReplies,
        },
      },
    }, (request) => {
      const { model } = request.served;
      const { id } = request.params;
      const similar = scoredMovies(model, model.similarItems(id, request.query.n));
      return { movie: movieView(model, id), similar };
    });
  };
}

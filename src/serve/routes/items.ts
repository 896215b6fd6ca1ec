/**
 * Item routes: title search (paged) and similar items by cosine of the factors, under `/items`,
 * and the same under `/movies` (documented aliases from the MovieLens-only API: the list there is
 * called `movies` and the queried item `movie`, as before).
 */
import type { FastifyPluginAsync } from 'fastify';
import { searchItems } from '../../als/resolveItemTitle.js';
import { errorReplies, idParams, itemBody, MAX_N, MAX_OFFSET, nQuery, scoredItemBody } from '../apiSchemas.js';
import { itemView, scoredItems } from '../itemView.js';

/** The path prefixes the item routes answer on, and the names their replies use. */
const PREFIXES = [
  { prefix: '/items', list: 'items', one: 'item', tag: 'items' },
  { prefix: '/movies', list: 'movies', one: 'movie', tag: 'movies (aliases of items)' },
] as const;

/** The routes read the model from `request.served` (see requestModel.ts). */
export function itemRoutes(): FastifyPluginAsync {
  return async (app) => {
    for (const { prefix, list, one, tag } of PREFIXES) {
      app.get<{ Querystring: { search?: string; offset: number; limit: number } }>(prefix, {
        schema: {
          tags: [tag],
          summary: 'Items the model knows whose title contains `search` (case-insensitive; exact matches first, then by id)',
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              search: { type: 'string', maxLength: 200, description: 'Part of a title; all items with a title when absent' },
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
                [list]: { type: 'array', items: itemBody },
              },
            },
            400: errorReplies[400],
          },
        },
      }, (request) => {
        const { model } = request.served;
        const s = model.state;
        const { search, offset, limit } = request.query;
        // Only items with factors: the others cannot be asked for similar items or rated.
        const found = searchItems(s.movies, search ?? '').filter((m) => s.items.has(m.id));
        return { total: found.length, offset, limit, [list]: found.slice(offset, offset + limit).map((m) => itemView(model, m.id)) };
      });

      app.get<{ Params: { id: string }; Querystring: { n: number } }>(`${prefix}/:id/similar`, {
        schema: {
          tags: [tag],
          summary: 'The n items most similar to one item (cosine of the item factors), excluding itself',
          params: idParams,
          querystring: { type: 'object', additionalProperties: false, properties: nQuery },
          response: {
            200: {
              type: 'object',
              properties: { [one]: itemBody, similar: { type: 'array', items: scoredItemBody } },
            },
            ...errorReplies,
          },
        },
      }, (request) => {
        const { model } = request.served;
        const { id } = request.params;
        const similar = scoredItems(model, model.similarItems(id, request.query.n));
        return { [one]: itemView(model, id), similar };
      });
    }
  };
}

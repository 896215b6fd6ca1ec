/**
 * User routes: the user list (for pickers), a user's rated items, and their recommendations.
 * Ids in paths are URL-encoded text; ids in replies are exactly as the model holds them.
 */
import type { FastifyPluginAsync } from 'fastify';
import { errorReplies, explainedItemBody, explainQuery, idParams, MAX_N, MAX_OFFSET, nQuery, ratedItemBody, replyId } from '../apiSchemas.js';
import { itemView } from '../itemView.js';
import { compareIds } from '../../als/resolveItemTitle.js';
import { withReasons } from '../explainReasons.js';

/** No excluded items (shared: never modified). */
const NO_ITEMS: readonly number[] = Object.freeze([]);

interface IdParams {
  id: string;
}

/** The routes read the model from `request.served` (see requestModel.ts). */
export function userRoutes(): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: { offset: number; limit: number } }>('/users', {
      schema: {
        tags: ['users'],
        summary: 'The users the model knows, in index order (ascending id for a freshly trained model), with how many ratings each has',
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
                items: { type: 'object', properties: { userId: replyId, ratings: { type: 'integer' } } },
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
        summary: "The items a user rated in the training data, best rated first",
        params: idParams,
        response: {
          200: {
            type: 'object',
            properties: { userId: replyId, ratings: { type: 'array', items: ratedItemBody } },
          },
          ...errorReplies,
        },
      },
    }, (request) => {
      const { model } = request.served;
      const s = model.state;
      const u = s.users.index(request.params.id, 'user');
      const ratings = [];
      for (let q = s.liked.indptr[u]!; q < s.liked.indptr[u + 1]!; q++) {
        ratings.push({ ...itemView(model, s.items.id(s.liked.indices[q]!)), rating: s.liked.data[q]! });
      }
      ratings.sort((a, b) => b.rating - a.rating || compareIds(a.itemId, b.itemId));
      return { userId: s.users.id(u), ratings };
    });

    app.get<{ Params: IdParams; Querystring: { n: number; exclude?: string; explain: number } }>('/users/:id/recommendations', {
      schema: {
        tags: ['users'],
        summary: "A user's top-n items, best first, skipping the items they rated; with explain=k, each with the k rated items behind its score",
        params: idParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...nQuery,
            ...explainQuery,
            exclude: {
              type: 'string',
              pattern: '^[^,]+(,[^,]+)*$',
              maxLength: 20_000,
              description: 'Comma-separated item ids never to recommend, e.g. 1,2,3 or sku-9,sku-12',
            },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: { userId: replyId, recommendations: { type: 'array', items: explainedItemBody } },
          },
          ...errorReplies,
        },
      },
    }, async (request) => {
      const { model, serving, itemViews } = request.served;
      const s = model.state;
      const { n, exclude, explain } = request.query;
      // Ids are resolved to indices once; the ranking and the reply work on indices.
      const u = s.users.index(request.params.id, 'user');
      const userId = s.users.id(u);
      // Unknown excluded ids are an error too: a typo should not pass silently.
      const excluded = exclude === undefined ? NO_ITEMS : exclude.split(',').map((id) => s.items.index(id, 'item'));
      const ranked = await serving.rankForUser(u, n, excluded);
      const recommendations = itemViews.scored(ranked.items, ranked.scores, ranked.kept);
      return { userId, recommendations: withReasons(model, recommendations, explain, { userId }) };
    });
  };
}

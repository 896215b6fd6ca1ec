/**
 * `GET /users/:id/explain/:itemId`: why the model scores an item for a user, split over the items
 * they rated (ALS.explain; Hu, Koren & Volinsky 2008, section 5).
 */
import type { FastifyPluginAsync } from 'fastify';
import { errorReplies, idParams, MAX_N, reasonBody, replyId } from '../apiSchemas.js';
import { reasonsOf } from '../explainReasons.js';

interface ExplainParams {
  id: string;
  itemId: string;
}

/** The route reads the model from `request.served` (see requestModel.ts). */
export function explainRoutes(): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Params: ExplainParams; Querystring: { n: number } }>('/users/:id/explain/:itemId', {
      schema: {
        tags: ['users'],
        summary: "The rated movies behind a user's score for one movie, largest contribution first",
        params: { type: 'object', additionalProperties: false, required: ['id', 'itemId'], properties: { id: idParams.properties.id, itemId: idParams.properties.id } },
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { n: { type: 'integer', minimum: 1, maximum: MAX_N, default: 10, description: 'How many contributing movies (1..1000)' } },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              userId: replyId,
              itemId: replyId,
              title: { type: 'string' },
              score: { type: 'number', description: 'The sum of every rated movie\'s contribution (the user\'s exact solve)' },
              modelScore: { type: 'number', description: 'The score recommendations are ranked by' },
              contributingItems: { type: 'integer', description: 'How many rated movies contribute, listed or not' },
              contributions: { type: 'array', items: reasonBody },
            },
          },
          ...errorReplies,
        },
      },
    }, (request) => {
      const { model } = request.served;
      const s = model.state;
      const userId = s.users.id(s.users.index(request.params.id, 'user'));
      const itemId = s.items.id(s.items.index(request.params.itemId, 'item'));
      const why = model.explain(userId, itemId, { n: request.query.n });
      return {
        userId,
        itemId,
        title: model.title(itemId),
        score: why.score,
        modelScore: why.modelScore,
        contributingItems: why.contributingItems,
        contributions: reasonsOf(model, why),
      };
    });
  };
}

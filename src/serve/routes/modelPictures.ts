/**
 * What the dashboard draws about the model: its training loss per iteration (the model file's
 * LOSS section), its saved evaluation (EVAL) and the item map (a PCA of the item factors).
 */
import type { FastifyPluginAsync } from 'fastify';
import { itemMap } from '../itemMap.js';

const numbers = { type: 'array', items: { type: 'number' } } as const;

export function modelPictureRoutes(): FastifyPluginAsync {
  return async (app) => {
    app.get('/model/training-loss', {
      schema: {
        tags: ['model'],
        summary: 'The training loss after each iteration, as recorded when the model was trained with the loss on (`train --loss`, `evaluate --save`); null when it was not',
        response: {
          200: {
            type: 'object',
            properties: {
              trainingLoss: {
                type: ['object', 'null'],
                properties: { loss: numbers, seconds: numbers },
              },
            },
          },
        },
      },
    }, (request) => ({ trainingLoss: request.served.model.trainingLoss ?? null }));

    app.get('/model/item-map', {
      schema: {
        tags: ['model'],
        summary: 'The item factors projected on their two leading principal components (the 5,000 most-rated items at most), column-wise',
        response: {
          200: {
            type: 'object',
            properties: {
              itemIds: { type: 'array', items: { type: ['integer', 'string'] } },
              titles: { type: 'array', items: { type: 'string' } },
              x: numbers,
              y: numbers,
              ratings: { type: 'array', items: { type: 'integer' } },
              explained: numbers,
              totalItems: { type: 'integer' },
            },
          },
        },
      },
    }, (request) => itemMap(request.served.model));
  };
}

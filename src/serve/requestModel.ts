/**
 * Pins each request to one model: `request.served` is the holder's model when the request
 * arrived, and every handler reads the model from there, so a reload in the middle of a request
 * does not mix two models in one answer.
 */
import type { FastifyInstance } from 'fastify';
import type { ModelHolder } from './modelHolder.js';
import type { ServedModel } from './servedModel.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The model this request is answered with (fixed when it arrived). */
    served: ServedModel;
  }
}

export function pinRequestsToModel(app: FastifyInstance, holder: ModelHolder): void {
  app.decorateRequest('served', null as unknown as ServedModel);
  app.addHook('onRequest', (request, _reply, done) => {
    request.served = holder.current;
    done();
  });
}

/**
 * `alsrec/serve`: the REST API and dashboard over a fitted model, on Fastify. A subpath of its own
 * so that `import 'alsrec'` (data, matrix, ALS, evaluation) never loads Fastify and Swagger.
 *
 * @example
 * import { ALS } from 'alsrec';
 * import { createServer } from 'alsrec/serve';
 * const app = createServer(await ALS.load('model.alsrec'));
 * await app.listen({ host: '127.0.0.1', port: 8080 });
 */
export { createServer, BODY_LIMIT_BYTES, type ServerOptions } from './createServer.js';
export { ModelHolder, type ReloadOutcome } from './modelHolder.js';
export { loadServedModel, serveModel, type ServedModel } from './servedModel.js';
export { DEFAULT_HTTP_TIMEOUTS, type HttpTimeouts } from './httpTimeouts.js';

/**
 * Caching headers: every successful GET of model data (users, history, recommendations, explanations, movies,
 * similar movies) is a function of the URL and the model, so its `ETag` is the model's checksum.
 * A client or CDN revalidating with `If-None-Match` gets a 304 without the work while the same
 * model is served, and the full answer once another model is loaded. `Cache-Control: no-cache`
 * makes caches revalidate every time, so nobody keeps answers from a model that was replaced.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Route patterns whose answers depend only on the URL and the model. */
const CACHEABLE = new Set(['/users', '/users/:id/history', '/users/:id/recommendations', '/users/:id/explain/:itemId', '/items', '/items/:id/similar', '/movies', '/movies/:id/similar', '/model/training-loss', '/model/item-map']);

function cacheable(request: FastifyRequest): boolean {
  return request.method === 'GET' && CACHEABLE.has(request.routeOptions.url ?? '');
}

/** True when an If-None-Match header value lists `etag` (or is `*`); weak validators compare equal (RFC 9110 13.1.2). */
export function etagMatches(ifNoneMatch: string, etag: string): boolean {
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === etag;
  });
}

export function installModelEtag(app: FastifyInstance): void {
  // Decided on the answer, not before the handler: only a request that succeeds under this model
  // may be a 304 (an unknown id is a 404 whatever the client has cached). The work is done
  // either way (well under a millisecond on ML-100K); the body is not sent.
  app.addHook('onSend', (request, reply, payload, done) => {
    if (reply.statusCode !== 200 || !cacheable(request)) {
      done(null, payload);
      return;
    }
    const { etag } = request.served;
    reply.header('etag', etag).header('cache-control', 'no-cache');
    const header = request.headers['if-none-match'];
    if (typeof header === 'string' && etagMatches(header, etag)) {
      reply.code(304).removeHeader('content-type').removeHeader('content-length');
      done(null, '');
      return;
    }
    done(null, payload);
  });
}

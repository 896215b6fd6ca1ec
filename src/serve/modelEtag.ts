/**
 * Caching headers: every successful GET of model data (users, history, recommendations, movies,
 * similar movies) is a function of the URL and the model, so its `ETag` is the model's checksum.
 * A client or CDN revalidating with `If-None-Match` gets a 304 without the work while the same
 * model is served, and the full answer once another model is loaded. `Cache-Control: no-cache`
 * makes caches revalidate every time, so nobody keeps answers from a model that was replaced.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Route patterns whose answers depend only on the URL and the model. */
const CACHEABLE = new Set(['/users', '/users/:id/history', '/users/:id/recommendations', '/movies', '/movies/:id/similar']);

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
  // After validation (a malformed URL is still a 400), before the handler does any work.
  app.addHook('preHandler', async (request, reply) => {
    if (!cacheable(request)) return;
    const header = request.headers['if-none-match'];
    if (typeof header === 'string' && etagMatches(header, request.served.etag)) {
      return reply.code(304).header('etag', request.served.etag).header('cache-control', 'no-cache').send();
    }
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode === 200 && cacheable(request)) reply.header('etag', request.served.etag).header('cache-control', 'no-cache');
    return payload;
  });
}

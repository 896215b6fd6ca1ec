/**
 * `GET /metrics`: Prometheus text format (see serveMetrics.ts), from this process or, with
 * workers, added up over all of them.
 */
import type { FastifyPluginAsync } from 'fastify';

export interface MetricsRouteOptions {
  /** The exposition text and its content type. */
  scrape: () => Promise<{ text: string; contentType: string }>;
}

export function metricsRoutes(options: MetricsRouteOptions): FastifyPluginAsync {
  return async (app) => {
    app.get('/metrics', { schema: { tags: ['model'], summary: 'Prometheus metrics: requests, latency, the served model, the process' } }, async (_request, reply) => {
      const { text, contentType } = await options.scrape();
      return reply.type(contentType).send(text);
    });
  };
}

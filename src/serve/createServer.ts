/**
 * The HTTP API and dashboard over one fitted model, on Fastify. Every input is validated by a
 * JSON schema (strictly: see strictValidation.ts); every error is JSON without a stack trace (see
 * errorReplies.ts); the OpenAPI document is generated from the same schemas. The model sits in a
 * ModelHolder, so it can be reloaded while serving (POST /admin/reload, SIGHUP, --watch);
 * /metrics exposes Prometheus metrics; model data carries an ETag (modelEtag.ts).
 */
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { ALS } from '../als/model.js';
import { packageVersion } from '../cli/packageVersion.js';
import { installErrorReplies } from './errorReplies.js';
import { healthRoutes } from './routes/health.js';
import { userRoutes } from './routes/users.js';
import { itemRoutes } from './routes/items.js';
import { newUserRoutes } from './routes/newUser.js';
import { modelPictureRoutes } from './routes/modelPictures.js';
import { explainRoutes } from './routes/explain.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { adminRoutes } from './routes/admin.js';
import { metricsRoutes } from './routes/metrics.js';
import { ModelHolder, type ReloadOutcome } from './modelHolder.js';
import { serveModel } from './servedModel.js';
import { pinRequestsToModel } from './requestModel.js';
import { installModelEtag } from './modelEtag.js';
import { createServeMetrics, type ServeMetrics } from './serveMetrics.js';
import { strictValidatorCompiler } from './strictValidation.js';
import { resolveHttpTimeouts, timedServerFactory, type HttpTimeouts } from './httpTimeouts.js';

/** Request bodies above this many bytes are rejected with a 400. */
export const BODY_LIMIT_BYTES = 64 * 1024;

export interface ServerOptions {
  /**
   * Fastify's logger option: `false` (default) for none, `true` or pino options
   * (e.g. `{ level: 'info', stream: process.stderr }`) for structured request logs.
   */
  logger?: FastifyServerOptions['logger'];
  /** Answer cross-origin requests (`Access-Control-Allow-Origin: *`, preflight for POST). Default false. */
  cors?: boolean;
  /** Evaluation figures to report in /health and the dashboard. Default: those saved with the model. */
  evaluation?: Readonly<Record<string, unknown>> | undefined;
  /** Header, request and keep-alive timeouts (see httpTimeouts.ts for the defaults). */
  timeouts?: Partial<HttpTimeouts>;
  /** Enables POST /admin/reload for callers sending `Authorization: Bearer <adminToken>`. Default: disabled. */
  adminToken?: string | undefined;
  /** How POST /admin/reload reloads; default: this server's holder only. Workers pass one that reaches them all. */
  reloadAll?: (file?: string) => Promise<ReloadOutcome[]>;
  /** The metrics registry to count requests in; default: a new one over this server's holder. */
  metrics?: ServeMetrics;
  /** What GET /metrics answers; default: `metrics`' registry. Workers pass one that adds up every worker. */
  scrapeMetrics?: () => Promise<{ text: string; contentType: string }>;
}

/**
 * Builds the server (not yet listening). The model must be fitted and is never modified.
 *
 * @example
 * const app = createServer(await ALS.load('m.alsrec'), { logger: { level: 'info', stream: process.stderr } });
 * await app.listen({ host: '127.0.0.1', port: 8080 });
 * // or, in tests: (await app.inject('/users/196/recommendations?n=5')).json()
 */
export function createServer(model: ALS | ModelHolder, options: ServerOptions = {}): FastifyInstance {
  // A bare model is checked (fitted) now, not on the first request.
  const holder = model instanceof ALS ? new ModelHolder(serveModel(model)) : model;
  const version = packageVersion();
  const timeouts = resolveHttpTimeouts(options.timeouts);
  const app = Fastify({
    logger: options.logger ?? false,
    // One log line per request (below) rather than Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    // A path id may have 1024 characters (UTF-16 units), each up to 9 characters URL-encoded
    // (%E2%82%AC); longer is refused (414) before routing, shorter reaches the schema's check.
    routerOptions: { maxParamLength: 9 * 1024 },
    serverFactory: timedServerFactory(timeouts),
  });
  app.setValidatorCompiler(strictValidatorCompiler());
  installErrorReplies(app, BODY_LIMIT_BYTES);
  pinRequestsToModel(app, holder);
  installModelEtag(app);
  const metrics = options.metrics ?? createServeMetrics(holder);

  // Hooks on every request take a callback rather than return a promise: one promise less each.
  app.addHook('onSend', (_request, reply, payload, done) => {
    reply.header('x-content-type-options', 'nosniff');
    done(null, payload);
  });
  app.addHook('onResponse', (request, reply, done) => {
    metrics.observeRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    request.log.info({ method: request.method, url: request.url, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime * 100) / 100 }, 'request');
    done();
  });
  if (options.cors === true) installCors(app);

  app.register(swagger, {
    openapi: {
      info: { title: 'alsrec', version, description: 'Recommendations from an implicit-feedback ALS model. Errors are `{ statusCode, error, message }`.' },
      tags: [
        { name: 'users', description: 'Users in the model: history and recommendations' },
        { name: 'items', description: 'Title search and similar items' },
        { name: 'movies (aliases of items)', description: 'The item routes under their MovieLens-era paths' },
        { name: 'model', description: 'The loaded model' },
      ],
    },
  });
  app.register(swaggerUi, { routePrefix: '/docs' });
  app.register(async (scope) => {
    scope.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
  });
  app.register(healthRoutes(holder, { version, evaluation: options.evaluation }));
  app.register(userRoutes());
  app.register(newUserRoutes());
  app.register(explainRoutes());
  app.register(itemRoutes());
  app.register(modelPictureRoutes());
  app.register(dashboardRoutes());
  app.register(adminRoutes({ token: options.adminToken, reload: options.reloadAll ?? (async (file) => [await holder.reload(file)]) }));
  app.register(metricsRoutes({ scrape: options.scrapeMetrics ?? (async () => ({ text: await metrics.registry.metrics(), contentType: metrics.registry.contentType })) }));
  return app;
}

/** CORS for a public read-mostly API: any origin, GET and POST with a JSON body, no credentials. */
function installCors(app: FastifyInstance): void {
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('access-control-allow-origin', '*');
  });
  app.options('*', { schema: { hide: true } }, async (_request, reply) => {
    return reply
      .status(204)
      .header('access-control-allow-methods', 'GET, POST')
      .header('access-control-allow-headers', 'content-type')
      .header('access-control-max-age', '600')
      .send();
  });
}

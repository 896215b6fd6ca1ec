/**
 * `GET /health`: that the model is loaded, its dimensions, the options it was trained with, the
 * evaluation figures saved with it (if any), the package version and the native build in use. The dashboard's "about the
 * model" panel shows exactly this.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ALS } from '../../als/model.js';
import { nnz } from '../../matrix/csr.js';
import { nativeInfo } from '../../als/native/addon.js';

export interface HealthOptions {
  /** The package version to report. */
  version: string;
  /** Evaluation figures saved with the model, shown as they are. */
  evaluation?: Readonly<Record<string, unknown>> | undefined;
  /** How user recommendations are computed: the native top-n kernel or TypeScript. */
  scoring: 'native' | 'ts';
}

export function healthRoutes(model: ALS, options: HealthOptions): FastifyPluginAsync {
  return async (app) => {
    const s = model.state;
    const o = model.options;
    // Computed once: the model is immutable while served.
    const body = {
      status: 'ok' as const,
      version: options.version,
      model: { users: s.users.size, movies: s.items.size, ratings: nnz(s.liked), factors: o.factors, scoring: options.scoring },
      options: { factors: o.factors, regularization: o.regularization, alpha: o.alpha, recencyHalfLife: o.recencyHalfLife, iterations: o.iterations, solver: o.solver, cgSteps: o.cgSteps, seed: o.seed },
      evaluation: options.evaluation ?? null,
      native: ((info) => (info === null ? null : { variant: info.variant, source: info.source, simd: info.simd }))(nativeInfo()),
    };
    app.get('/health', {
      schema: {
        tags: ['model'],
        summary: 'Liveness, model dimensions, training options, evaluation figures and package version',
        response: {
          200: {
            type: 'object',
            properties: {
              status: { type: 'string', enum: ['ok'] },
              version: { type: 'string' },
              model: {
                type: 'object',
                properties: {
                  users: { type: 'integer' },
                  movies: { type: 'integer' },
                  ratings: { type: 'integer', description: 'Training ratings (non-zeros of the users x movies matrix)' },
                  factors: { type: 'integer' },
                  scoring: { type: 'string', enum: ['native', 'ts'], description: 'How user recommendations are computed: the native top-n kernel or TypeScript' },
                },
              },
              options: {
                type: 'object',
                properties: {
                  factors: { type: 'integer' },
                  regularization: { type: 'number' },
                  alpha: { type: 'number' },
                  recencyHalfLife: { type: 'number', description: 'Days; 0 = no recency weighting' },
                  iterations: { type: 'integer' },
                  solver: { type: 'string' },
                  cgSteps: { type: 'integer' },
                  seed: { type: 'integer' },
                },
              },
              evaluation: { type: ['object', 'null'], additionalProperties: true, description: 'As saved with the model, or null' },
              native: {
                type: ['object', 'null'],
                description: 'The native build in use (x86-64 level v2/v3/v4, or native = -march=native), or null on the TypeScript backend',
                properties: { variant: { type: 'string' }, source: { type: 'string' }, simd: { type: 'string' } },
              },
            },
          },
        },
      },
    }, () => body);
  };
}

/**
 * `GET /health`: that the model is loaded, its dimensions, the options it was trained with, the
 * evaluation figures saved with it (if any) and the package version. The dashboard's "about the
 * model" panel shows exactly this.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ALS } from '../../als/model.js';
import { nnz } from '../../matrix/csr.js';

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
      options: { factors: o.factors, regularization: o.regularization, alpha: o.alpha, recencyHalfLife: o.recencyHalfLife, convention: o.convention, regularizationExponent: o.regularizationExponent, unobservedWeight: o.unobservedWeight, iterations: o.iterations, solver: o.solver, cgSteps: o.cgSteps, seed: o.seed },
      evaluation: options.evaluation ?? null,
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
                  convention: { type: 'string', enum: ['implicit', 'spark'], description: "The objective's convention (docs/model.md)" },
                  regularizationExponent: { type: 'number', description: 'nu of the frequency-scaled regularization; 0 = lambda for every row' },
                  unobservedWeight: { type: 'number', description: 'a0, the weight of unobserved pairs; 1 = Hu et al.' },
                  iterations: { type: 'integer' },
                  solver: { type: 'string' },
                  cgSteps: { type: 'integer' },
                  seed: { type: 'integer' },
                },
              },
              evaluation: { type: ['object', 'null'], additionalProperties: true, description: 'As saved with the model, or null' },
            },
          },
        },
      },
    }, () => body);
  };
}

/**
 * `GET /health`: that the model is loaded, its dimensions, the options it was trained with, the
 * evaluation figures saved with it (if any), which model file it is (checksum, training and load
 * times), how reloads went (the last failure, until a reload succeeds), the package version and the
 * native build in use. The dashboard's "about the model" panel shows this.
 */
import type { FastifyPluginAsync } from 'fastify';
import { nnz } from '../../matrix/csr.js';
import { nativeInfo } from '../../als/native/addon.js';
import type { ModelHolder } from '../modelHolder.js';
import type { ServedModel } from '../servedModel.js';

export interface HealthOptions {
  /** The package version to report. */
  version: string;
  /** Evaluation figures to show instead of those saved with the model. */
  evaluation?: Readonly<Record<string, unknown>> | undefined;
}

/** The part of the answer that depends only on the model, computed once per model. */
const modelParts = new WeakMap<ServedModel, object>();

function describeModel(served: ServedModel, evaluation: HealthOptions['evaluation']): object {
  let parts = modelParts.get(served);
  if (parts === undefined) {
    const { model } = served;
    const s = model.state;
    const o = model.options;
    parts = {
      model: {
        users: s.users.size,
        items: s.items.size,
        movies: s.items.size,
        ratings: nnz(s.liked),
        factors: o.factors,
        scoring: served.serving.path,
        file: served.file,
        checksum: served.checksum,
        trainedAt: served.trainedAt?.toISOString() ?? null,
        trainedAtSource: served.trainedAtSource,
        loadedAt: served.loadedAt.toISOString(),
        loadSeconds: served.loadSeconds,
      },
      options: {
        factors: o.factors,
        regularization: o.regularization,
        alpha: o.alpha,
        recencyHalfLife: o.recencyHalfLife,
        convention: o.convention,
        regularizationExponent: o.regularizationExponent,
        unobservedWeight: o.unobservedWeight,
        iterations: o.iterations,
        solver: o.solver,
        cgSteps: o.cgSteps,
        seed: o.seed,
      },
      evaluation: evaluation ?? model.evaluation ?? null,
      native: ((info) => (info === null ? null : { variant: info.variant, source: info.source, simd: info.simd }))(nativeInfo()),
    };
    modelParts.set(served, parts);
  }
  return parts;
}

export function healthRoutes(holder: ModelHolder, options: HealthOptions): FastifyPluginAsync {
  return async (app) => {
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
                  items: { type: 'integer' },
                  movies: { type: 'integer', deprecated: true, description: 'Same as items (deprecated)' },
                  ratings: { type: 'integer', description: 'Training ratings (non-zeros of the users x items matrix)' },
                  factors: { type: 'integer' },
                  scoring: { type: 'string', enum: ['native', 'ts'], description: 'How user recommendations are computed: the native top-n kernel or TypeScript' },
                  file: { type: ['string', 'null'], description: 'The model file; null for a model given in memory' },
                  checksum: { type: 'string', description: 'SHA-256 of the model file (hex); responses carry its first 32 digits as ETag' },
                  trainedAt: { type: ['string', 'null'], description: "When the model was trained, ISO 8601: from the model file's INFO section, else the file's modification time" },
                  trainedAtSource: { type: ['string', 'null'], enum: ['model', 'file-mtime', null], description: 'Where trainedAt comes from: the INFO section (model) or the file time (file-mtime, files written before INFO)' },
                  loadedAt: { type: 'string', description: 'When this model was loaded, ISO 8601' },
                  loadSeconds: { type: 'number' },
                },
              },
              reload: {
                type: 'object',
                properties: {
                  ok: { type: 'integer', description: 'Successful reloads since start' },
                  failed: { type: 'integer', description: 'Failed reloads since start' },
                  lastError: {
                    type: ['object', 'null'],
                    description: 'The last failed reload (the previous model kept serving), until a reload succeeds',
                    properties: { file: { type: ['string', 'null'] }, error: { type: 'string' }, at: { type: 'string' } },
                  },
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
              native: {
                type: ['object', 'null'],
                description: 'The native build in use (x86-64 level v2/v3/v4, or native = -march=native), or null on the TypeScript backend',
                properties: { variant: { type: 'string' }, source: { type: 'string' }, simd: { type: 'string' } },
              },
            },
          },
        },
      },
    }, (request) => {
      const e = holder.lastError;
      return {
        status: 'ok' as const,
        version: options.version,
        ...describeModel(request.served, options.evaluation),
        reload: { ok: holder.reloads.ok, failed: holder.reloads.failed, lastError: e === null ? null : { file: e.file, error: e.error, at: e.at } },
      };
    });
  };
}

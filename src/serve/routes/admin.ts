/**
 * `POST /admin/reload`: loads the model file again (or the file named in the body) and swaps it
 * in, on every worker. Enabled only when an admin token is configured (`ALSREC_ADMIN_TOKEN`);
 * the caller sends it as `Authorization: Bearer <token>`. No or malformed credentials: 401;
 * wrong token, or no token configured: 403. The token is compared in constant time (both sides
 * hashed to 32 bytes, then crypto.timingSafeEqual), so the answer time says nothing about how
 * much of a guess was right.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { errorBody } from '../errorReplies.js';
import { errorReplies } from '../apiSchemas.js';
import type { ReloadOutcome } from '../modelHolder.js';

export interface AdminOptions {
  /** The bearer token; undefined or empty disables the admin routes (403). */
  token: string | undefined;
  /** Reloads the model (in every worker) and reports each one's outcome. */
  reload: (file?: string) => Promise<ReloadOutcome[]>;
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Constant-time equality of two strings of any lengths. */
export function tokenEquals(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

const outcomeBody = {
  type: 'object',
  properties: {
    ok: { type: 'boolean' },
    file: { type: ['string', 'null'] },
    checksum: { type: 'string' },
    previousChecksum: { type: 'string' },
    loadSeconds: { type: 'number' },
    error: { type: 'string' },
    at: { type: 'string' },
    worker: { type: 'integer' },
  },
} as const;

export function adminRoutes(options: AdminOptions): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: { model?: string } | undefined }>('/admin/reload', {
      schema: {
        tags: ['model'],
        summary: 'Reload the model file (or load `model`), swapping it in atomically; needs `Authorization: Bearer $ALSREC_ADMIN_TOKEN`',
        body: {
          type: ['object', 'null'],
          additionalProperties: false,
          properties: { model: { type: 'string', minLength: 1, maxLength: 4096, description: 'A model file to load instead of the current one' } },
        },
        response: {
          200: { type: 'object', properties: { ok: { type: 'boolean' }, results: { type: 'array', items: outcomeBody } } },
          401: errorReplies[400],
          403: errorReplies[400],
          422: { type: 'object', properties: { ok: { type: 'boolean' }, results: { type: 'array', items: outcomeBody } } },
          ...errorReplies,
        },
      },
      // Check the token before the body is parsed or validated.
      onRequest: async (request, reply) => {
        if (!options.token) return deny(reply, 403, 'The admin routes are disabled: start the server with ALSREC_ADMIN_TOKEN set');
        const header = request.headers.authorization;
        const m = typeof header === 'string' ? /^Bearer ([\x21-\x7e]+)$/.exec(header) : null;
        if (m === null) return deny(reply.header('www-authenticate', 'Bearer'), 401, 'Send the admin token as Authorization: Bearer <token>');
        if (!tokenEquals(m[1]!, options.token)) return deny(reply, 403, 'Wrong admin token');
      },
    }, async (request, reply) => {
      const file = request.body?.model;
      request.log.info({ file: file ?? '(current file)' }, 'model reload requested');
      const results = await options.reload(file);
      // No outcome at all (every worker restarting) is not a success.
      const ok = results.length > 0 && results.every((r) => r.ok);
      return reply.code(ok ? 200 : 422).send({ ok, results });
    });
  };
}

function deny(reply: FastifyReply, status: 401 | 403, message: string): FastifyReply {
  return reply.code(status).send(errorBody(status, message));
}

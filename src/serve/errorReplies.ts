/**
 * The API's one error handler: every failure becomes `{ statusCode, error, message }` JSON with
 * no stack trace. Unknown ids are 404; malformed input (schema, JSON, oversized body) is 400;
 * anything unexpected is a logged 500 whose body says nothing about the internals.
 */
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AlsrecError, InvalidOptionError, UnknownIdError } from '../errors.js';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
}

export function errorBody(statusCode: number, message: string): ErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
}

/** The status and message a client sees for `err`. */
export function classifyError(err: FastifyError | Error, bodyLimit: number): ErrorBody {
  const e = err as Partial<FastifyError>;
  if (e.validation !== undefined) return errorBody(400, err.message);
  if (err instanceof UnknownIdError) return errorBody(404, err.message);
  if (err instanceof InvalidOptionError) return errorBody(400, err.message);
  // No title matches a search: the movie is unknown, as with an id.
  if (err instanceof AlsrecError && err.code === 'ERR_ALSREC_UNKNOWN_ID') return errorBody(404, err.message);
  // Fastify answers 413 for bodyLimit; the API contract is that every malformed request is a 400.
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return errorBody(400, `Request body is larger than ${bodyLimit} bytes`);
  const status = e.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return errorBody(status, err.message);
  return errorBody(500, 'Internal Server Error');
}

/** Installs the error and not-found handlers on `app`. */
export function installErrorReplies(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const body = classifyError(err, bodyLimit);
    if (body.statusCode >= 500) request.log.error({ err }, 'request failed');
    else request.log.info({ statusCode: body.statusCode, reason: body.message }, 'request rejected');
    return reply.status(body.statusCode).type('application/json; charset=utf-8').send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    return reply.status(404).send(errorBody(404, `Route ${request.method} ${request.url.split('?')[0]} not found`));
  });
}

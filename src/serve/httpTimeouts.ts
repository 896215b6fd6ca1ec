/**
 * The HTTP server's timeouts: how long a client may take to send its headers and its whole
 * request, how long an idle keep-alive connection is kept, and how long a shutdown waits for
 * requests in flight before it closes their sockets. Without them one client sending a body one
 * byte at a time holds a connection (and its memory) forever and a SIGTERM never completes.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { InvalidOptionError } from '../errors.js';

export interface HttpTimeouts {
  /** Milliseconds to receive the request headers. Default 10 000. */
  headersTimeoutMs: number;
  /** Milliseconds to receive the whole request (headers and body); answered 408 after. Default 30 000. */
  requestTimeoutMs: number;
  /** Milliseconds an idle keep-alive connection stays open between requests. Default 5 000. */
  keepAliveTimeoutMs: number;
  /**
   * Milliseconds a shutdown (SIGTERM, SIGINT) waits for requests in flight; then every socket is
   * closed and the server ends anyway. Default 10 000.
   */
  shutdownTimeoutMs: number;
}

export const DEFAULT_HTTP_TIMEOUTS: Readonly<HttpTimeouts> = Object.freeze({
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  shutdownTimeoutMs: 10_000,
});

/** Upper bound for every timeout: a day. */
const MAX_TIMEOUT_MS = 86_400_000;

/**
 * `partial` merged over the defaults, each value checked (an integer number of milliseconds,
 * 1..86 400 000; the headers timeout no longer than the request timeout, as Node requires).
 * @example resolveHttpTimeouts({ requestTimeoutMs: 5000 })
 */
export function resolveHttpTimeouts(partial: Partial<HttpTimeouts> = {}): HttpTimeouts {
  const t = { ...DEFAULT_HTTP_TIMEOUTS, ...partial };
  for (const [name, value] of Object.entries(t)) {
    if (!Number.isInteger(value) || value < 1 || value > MAX_TIMEOUT_MS) {
      throw new InvalidOptionError(name, `${name} must be an integer from 1 to ${MAX_TIMEOUT_MS} (milliseconds), got ${String(value)}`);
    }
  }
  if (t.headersTimeoutMs > t.requestTimeoutMs) {
    throw new InvalidOptionError('headersTimeoutMs', `headersTimeoutMs (${t.headersTimeoutMs}) must not exceed requestTimeoutMs (${t.requestTimeoutMs})`);
  }
  return t;
}

/**
 * A Fastify `serverFactory` building a Node HTTP server with these timeouts. Node checks the
 * header and request timeouts every `connectionsCheckingInterval`; it is set to a quarter of
 * the smaller one (at most 1 s) so they hold to within that.
 */
export function timedServerFactory(t: HttpTimeouts) {
  return (handler: (req: IncomingMessage, res: ServerResponse) => void): Server => {
    const server = createServer(
      {
        headersTimeout: t.headersTimeoutMs,
        requestTimeout: t.requestTimeoutMs,
        keepAliveTimeout: t.keepAliveTimeoutMs,
        connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(Math.min(t.headersTimeoutMs, t.requestTimeoutMs) / 4))),
      },
      handler,
    );
    return server;
  };
}

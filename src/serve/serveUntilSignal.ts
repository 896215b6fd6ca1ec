/**
 * Listen, then on SIGTERM (or SIGINT) stop accepting connections, let the requests in flight
 * finish (fastify.close()) and resolve, so the process can end with exit code 0 by itself. A
 * request still in flight after the shutdown deadline (a client that stopped sending its body,
 * say) has its socket closed: the shutdown always ends.
 */
import type { FastifyInstance } from 'fastify';
import { DEFAULT_HTTP_TIMEOUTS } from './httpTimeouts.js';

export interface ListenOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Signals that start the drain. Default SIGTERM and SIGINT. */
  signals?: readonly NodeJS.Signals[];
  /** Called once listening, with the address (e.g. `http://127.0.0.1:8080`). */
  onListening?: (address: string) => void;
  /** Milliseconds the drain waits for requests in flight before closing their sockets. Default 10 000. */
  shutdownTimeoutMs?: number;
}

/**
 * Serves `app` until one of `signals` arrives, then drains it.
 * @example await serveUntilSignal(createServer(model), { host: '127.0.0.1', port: 8080 });
 */
export async function serveUntilSignal(app: FastifyInstance, options: ListenOptions): Promise<NodeJS.Signals> {
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const address = await app.listen({ host: options.host, port: options.port });
  options.onListening?.(address);
  const received = await new Promise<NodeJS.Signals>((resolve) => {
    const handlers = signals.map((signal) => {
      const handler = () => {
        for (const [s, h] of handlers) process.removeListener(s, h);
        resolve(signal);
      };
      process.on(signal, handler);
      return [signal, handler] as const;
    });
  });
  app.log.info({ signal: received }, 'draining in-flight requests, then exiting');
  // close() ends idle keep-alive connections at once, but a connection whose request is still in
  // flight would, once answered, idle until keepAliveTimeout (72 s in Fastify) and hold the
  // close up: let it go 1 ms after its response instead.
  app.server.keepAliveTimeout = 1;
  await drain(app, options.shutdownTimeoutMs ?? DEFAULT_HTTP_TIMEOUTS.shutdownTimeoutMs);
  return received;
}

/**
 * Closes `app`, waiting at most `deadlineMs` for requests in flight; then destroys the sockets
 * left (their clients see the connection reset) so that close() resolves.
 */
export async function drain(app: FastifyInstance, deadlineMs: number): Promise<void> {
  const deadline = setTimeout(() => {
    app.log.warn({ deadlineMs }, 'shutdown deadline reached: closing the connections still open');
    app.server.closeAllConnections();
  }, deadlineMs);
  try {
    await app.close();
  } finally {
    clearTimeout(deadline);
  }
}


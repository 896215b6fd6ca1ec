/**
 * A client that stops sending its body mid-way (issue 11, critical 2): before the fix it held
 * its connection forever and SIGTERM never finished. Now the request times out (408, socket
 * closed) and a shutdown ends after its deadline whatever the clients do.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from '../../src/serve/createServer.js';
import { drain } from '../../src/serve/serveUntilSignal.js';
import { resolveHttpTimeouts, DEFAULT_HTTP_TIMEOUTS } from '../../src/serve/httpTimeouts.js';
import { SERVE_TIMEOUT_DEFAULTS_MS } from '../../src/cli/commands/serve.js';
import { fixtureModel } from './fixtureModel.js';

const sockets: Socket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.destroy();
});

/** Opens a connection and sends a POST announcing 60 000 bytes of body, then one byte only. */
async function halfSentPost(port: number): Promise<{ socket: Socket; closed: Promise<string> }> {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  let received = '';
  socket.on('data', (d) => (received += d.toString()));
  socket.on('error', () => {});
  const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(received)));
  socket.write('POST /recommendations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n\r\n{');
  return { socket, closed };
}

describe('HTTP timeouts', () => {
  it('ends the shutdown at its deadline while a client holds a half-sent body', async () => {
    const app = createServer(await fixtureModel());
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as { port: number }).port;
    const { closed } = await halfSentPost(port);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const t0 = Date.now();
    await drain(app, 500);
    const ms = Date.now() - t0;
    expect(ms).toBeGreaterThanOrEqual(450);
    expect(ms).toBeLessThan(5_000);
    await closed; // the held socket was closed by the server
    expect(app.server.listening).toBe(false);
  });

  it('answers 408 and closes a request whose body does not arrive within the request timeout', async () => {
    const app = createServer(await fixtureModel(), { timeouts: { headersTimeoutMs: 300, requestTimeoutMs: 600 } });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as { port: number }).port;
    const t0 = Date.now();
    const { closed } = await halfSentPost(port);
    const answer = await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - t0).toBeLessThan(5_000);
    await app.close();
  });

  it('answers 408 and closes a connection that never finishes its headers', async () => {
    const app = createServer(await fixtureModel(), { timeouts: { headersTimeoutMs: 300, requestTimeoutMs: 600 } });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as { port: number }).port;
    const socket = connect(port, '127.0.0.1');
    sockets.push(socket);
    socket.on('error', () => {});
    let received = '';
    socket.on('data', (d) => (received += d.toString()));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write('GET /health HTTP/1.1\r\nHost: x\r\n');
    await closed;
    expect(received).toMatch(/^HTTP\/1\.1 408/);
    await app.close();
  });

  it('closes idle keep-alive connections after the keep-alive timeout', async () => {
    const app = createServer(await fixtureModel(), { timeouts: { keepAliveTimeoutMs: 200 } });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as { port: number }).port;
    const socket = connect(port, '127.0.0.1');
    sockets.push(socket);
    let received = '';
    socket.on('data', (d) => (received += d.toString()));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
    const t0 = Date.now();
    await closed;
    expect(received).toMatch(/^HTTP\/1\.1 200/);
    expect(Date.now() - t0).toBeLessThan(3_000);
    await app.close();
  });

  it('has documented defaults and refuses nonsense values', () => {
    expect(resolveHttpTimeouts()).toEqual({ headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000, shutdownTimeoutMs: 10_000 });
    // The CLI writes the defaults out (so --help loads no server module): they must agree.
    const d = DEFAULT_HTTP_TIMEOUTS;
    expect(SERVE_TIMEOUT_DEFAULTS_MS).toEqual({ headers: d.headersTimeoutMs, request: d.requestTimeoutMs, keepAlive: d.keepAliveTimeoutMs, shutdown: d.shutdownTimeoutMs });
    expect(() => resolveHttpTimeouts({ requestTimeoutMs: 0 })).toThrow(/requestTimeoutMs must be an integer from 1/);
    expect(() => resolveHttpTimeouts({ keepAliveTimeoutMs: Infinity })).toThrow(/keepAliveTimeoutMs/);
    expect(() => resolveHttpTimeouts({ headersTimeoutMs: 5000, requestTimeoutMs: 1000 })).toThrow(/must not exceed/);
  });
});

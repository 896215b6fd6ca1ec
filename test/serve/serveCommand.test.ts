/**
 * `alsrec serve` in-process, and the SIGTERM drain: requests in flight finish, then the server
 * closes and the command returns (exit code 0).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { createServer } from '../../src/serve/createServer.js';
import { serveUntilSignal } from '../../src/serve/serveUntilSignal.js';
import type { ALS } from '../../src/als/model.js';
import { fixtureModel } from './fixtureModel.js';

let dir: string;
let modelFile: string;
let model: ALS;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'alsrec-serve-'));
  modelFile = join(dir, 'fixture.alsrec');
  model = await fixtureModel();
  model.setEvaluation({ 'precision@10': 0.5 });
  await model.save(modelFile);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

afterEach(() => {
  vi.restoreAllMocks();
});

/**
 * Delivers `signal` to this process's listeners the way a real signal would, but only to the
 * ones registered after `before` (the test runner's own handlers are left out).
 */
function sendSignal(signal: NodeJS.Signals, before: readonly Function[]): void {
  for (const listener of process.listeners(signal)) {
    if (!before.includes(listener)) (listener as (s: NodeJS.Signals) => void)(signal);
  }
}

/** Captures stderr; resolves with the address once the "serving ... at http://..." line appears. */
function captureStderr(): { lines: string[]; address: Promise<string> } {
  const lines: string[] = [];
  let found: (address: string) => void;
  const address = new Promise<string>((resolve) => (found = resolve));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    const text = String(chunk);
    lines.push(text);
    const m = /serving .* at (http:\/\/[^ ]+)/.exec(text);
    if (m) found(m[1]!);
    return true;
  });
  return { lines, address };
}

describe('alsrec serve', () => {
  it('serves a saved model on 127.0.0.1 and exits 0 on SIGTERM', async () => {
    const before = process.listeners('SIGTERM');
    const stderr = captureStderr();
    const exit = runCli(['serve', '--model', modelFile, '--port', '0', '--log-level', 'silent']);
    const address = await stderr.address;
    expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = (await (await fetch(`${address}/health`)).json()) as { model: unknown; evaluation: unknown };
    expect(health.model).toMatchObject({ users: 40, movies: 16, factors: 2 });
    expect(health.evaluation).toEqual({ 'precision@10': 0.5 });
    expect((await fetch(`${address}/users/1/recommendations?n=3`)).status).toBe(200);
    sendSignal('SIGTERM', before);
    await expect(exit).resolves.toBe(0);
    await expect(fetch(`${address}/health`)).rejects.toThrow();
    expect(process.listeners('SIGTERM')).toEqual(before);
  });

  it('writes one JSON log line per request on stderr at --log-level info', async () => {
    const before = process.listeners('SIGINT');
    const stderr = captureStderr();
    const exit = runCli(['serve', '--model', modelFile, '--port', '0']);
    const address = await stderr.address;
    await fetch(`${address}/users/7777/history`);
    sendSignal('SIGINT', before);
    await expect(exit).resolves.toBe(0);
    const logs = stderr.lines.flatMap((l) => l.split('\n')).filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    const request = logs.filter((l) => l.msg === 'request');
    expect(request).toHaveLength(1);
    expect(request[0]).toMatchObject({ method: 'GET', url: '/users/7777/history', statusCode: 404 });
    expect(typeof request[0]!.ms).toBe('number');
    expect(logs.some((l) => l.msg === 'draining in-flight requests, then exiting')).toBe(true);
  });

  it('reports a missing model file or a busy port as one line, exit code 1', async () => {
    const stderr = captureStderr();
    await expect(runCli(['serve', '--model', join(dir, 'missing.alsrec')])).resolves.toBe(1);
    expect(stderr.lines.join("")).toMatch(/^alsrec: .*missing\.alsrec: no such model file\n$/);

    const busy = createNetServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as AddressInfo).port;
    stderr.lines.length = 0;
    await expect(runCli(['serve', '--model', modelFile, '--port', String(port), '--log-level', 'silent'])).resolves.toBe(1);
    expect(stderr.lines.join('')).toMatch(/^alsrec: listen EADDRINUSE: address already in use 127\.0\.0\.1:\d+\n$/);
    await new Promise((resolve) => busy.close(resolve));
  });

  it('refuses a bad port or log level as usage errors (exit code 2)', async () => {
    captureStderr();
    await expect(runCli(['serve', '--model', modelFile, '--port', '70000'])).resolves.toBe(2);
    await expect(runCli(['serve', '--model', modelFile, '--log-level', 'loud'])).resolves.toBe(2);
    await expect(runCli(['serve'])).resolves.toBe(2);
  });
});

describe('serveUntilSignal', () => {
  it('lets a request in flight finish after SIGTERM, then closes', async () => {
    const app = createServer(model);
    app.get('/test/slow', async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return { done: true };
    });
    const before = process.listeners('SIGTERM');
    let address = '';
    const served = serveUntilSignal(app, { host: '127.0.0.1', port: 0, onListening: (a) => (address = a) });
    await vi.waitFor(() => expect(address).not.toBe(''));
    const inFlight = fetch(`${address}/test/slow`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    sendSignal('SIGTERM', before);
    const res = await inFlight;
    expect(res.status).toBe(200);
    await expect(res.json()).resolves.toEqual({ done: true });
    await expect(served).resolves.toBe('SIGTERM');
    await expect(fetch(`${address}/health`)).rejects.toThrow();
  });
});

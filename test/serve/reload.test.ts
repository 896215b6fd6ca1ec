/**
 * Hot reload in-process: the swap under concurrent requests (every answer is wholly one of the
 * two models, a corrupt file keeps the old model and is reported), requests in flight finish on
 * the model they started with, the admin token, ETags, and /metrics counted exactly.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { ALS } from '../../src/als/model.js';
import { buildInteractions } from '../../src/matrix/interactions.js';
import { createServer } from '../../src/serve/createServer.js';
import { ModelHolder } from '../../src/serve/modelHolder.js';
import { loadServedModel } from '../../src/serve/servedModel.js';
import { tokenEquals } from '../../src/serve/routes/admin.js';
import { etagMatches } from '../../src/serve/modelEtag.js';
import { fixtureDataset } from './fixtureModel.js';

let dir: string;
let fileA: string;
let fileB: string;
let corrupt: string;

/** Two models of the same data that differ (seed), so their answers tell them apart. */
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'alsrec-reload-'));
  fileA = join(dir, 'a.alsrec');
  fileB = join(dir, 'b.alsrec');
  corrupt = join(dir, 'corrupt.alsrec');
  const data = buildInteractions(fixtureDataset());
  await (await new ALS({ factors: 2, iterations: 15, regularization: 0.1, backend: 'ts', threads: 1, seed: 1 }).fit(data)).save(fileA);
  await (await new ALS({ factors: 3, iterations: 10, regularization: 0.1, backend: 'ts', threads: 1, seed: 2 }).fit(data)).save(fileB);
  await writeFile(corrupt, 'not a model file');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function serverOn(file: string, adminToken?: string): Promise<{ app: FastifyInstance; holder: ModelHolder }> {
  const holder = new ModelHolder(await loadServedModel(file));
  const app = createServer(holder, { adminToken });
  return { app, holder };
}

const URLS = ['/users/1/recommendations?n=5', '/users/101/recommendations?n=3&exclude=11', '/movies/1/similar?n=4', '/users/5/history', '/movies?search=star'];

/** Each URL's body under a model, computed with nothing else going on. */
async function expectedBodies(file: string): Promise<Map<string, string>> {
  const { app } = await serverOn(file);
  const bodies = new Map<string, string>();
  for (const url of URLS) bodies.set(url, (await app.inject(url)).body);
  await app.close();
  return bodies;
}

describe('reload', () => {
  it('swaps models under concurrent requests: every answer is one model\'s, a corrupt file keeps the old one', async () => {
    const a = await expectedBodies(fileA);
    const b = await expectedBodies(fileB);
    expect(URLS.some((u) => a.get(u) !== b.get(u))).toBe(true);
    const { app, holder } = await serverOn(fileA);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

    let stop = false;
    const seen = { a: 0, b: 0 };
    const client = async () => {
      for (let i = 0; !stop; i++) {
        const url = URLS[i % URLS.length]!;
        const res = await fetch(base + url);
        const body = await res.text();
        expect(res.status).toBe(200);
        if (body === a.get(url)) seen.a++;
        else if (body === b.get(url)) seen.b++;
        else expect.fail(`${url} answered a body of neither model: ${body.slice(0, 200)}`);
      }
    };
    const clients = Array.from({ length: 8 }, client);
    const outcomes = [];
    for (let r = 0; r < 10; r++) {
      outcomes.push(await holder.reload(r % 2 === 0 ? fileB : fileA));
      if (r === 4) {
        const bad = await holder.reload(corrupt);
        expect(bad.ok).toBe(false);
        expect(holder.current.file).toBe(fileB); // still serving the last good model (r = 4 loaded B)
        const health = (await (await fetch(`${base}/health`)).json()) as { reload: { lastError: { file: string; error: string } | null } };
        expect(health.reload.lastError?.file).toBe(corrupt);
        expect(health.reload.lastError?.error).toMatch(/corrupt\.alsrec/);
      }
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    stop = true;
    await Promise.all(clients);
    await app.close();
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(holder.reloads).toEqual({ ok: 10, failed: 1 });
    expect(holder.lastError).toBeNull();
    expect(seen.a).toBeGreaterThan(0);
    expect(seen.b).toBeGreaterThan(0);
  });

  it('lets a request in flight finish on the model it arrived with', async () => {
    const { app, holder } = await serverOn(fileA);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    app.get('/test/slow-checksum', async (request) => {
      await gate;
      return { checksum: request.served.checksum, users: request.served.model.state.users.size };
    });
    await app.ready();
    const before = holder.current.checksum;
    const inFlight = app.inject('/test/slow-checksum');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await holder.reload(fileB)).ok).toBe(true);
    expect(holder.current.checksum).not.toBe(before);
    release();
    expect((await inFlight).json()).toMatchObject({ checksum: before });
    expect((await app.inject('/test/slow-checksum')).json()).toMatchObject({ checksum: holder.current.checksum });
    await app.close();
  });
});

describe('POST /admin/reload', () => {
  it('is 403 when no admin token is configured', async () => {
    const { app } = await serverOn(fileA);
    const res = await app.inject({ method: 'POST', url: '/admin/reload', headers: { authorization: 'Bearer x' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toMatch(/ALSREC_ADMIN_TOKEN/);
    await app.close();
  });

  it('wants the bearer token: 401 without it, 403 when wrong; reloads with it, to a new path or the same', async () => {
    const { app, holder } = await serverOn(fileA, 'the-token');
    const post = (headers: Record<string, string>, payload?: unknown) =>
      app.inject({ method: 'POST', url: '/admin/reload', headers: { ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...headers }, ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }) });
    const none = await post({});
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer');
    expect((await post({ authorization: 'Basic dGhlLXRva2Vu' })).statusCode).toBe(401);
    expect((await post({ authorization: 'Bearer the-tokem' })).statusCode).toBe(403);
    expect((await post({ authorization: 'Bearer the-token-and-more' })).statusCode).toBe(403);
    expect(holder.reloads).toEqual({ ok: 0, failed: 0 });

    const toB = await post({ authorization: 'Bearer the-token' }, { model: fileB });
    expect(toB.statusCode).toBe(200);
    expect(toB.json()).toMatchObject({ ok: true, results: [{ ok: true, file: fileB }] });
    expect(holder.current.file).toBe(fileB);
    const same = await post({ authorization: 'Bearer the-token' });
    expect(same.json()).toMatchObject({ ok: true, results: [{ ok: true, file: fileB }] });

    const bad = await post({ authorization: 'Bearer the-token' }, { model: corrupt });
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toMatchObject({ ok: false, results: [{ ok: false, file: corrupt }] });
    expect(bad.json().results[0].error).toMatch(/corrupt\.alsrec/);
    expect(holder.current.file).toBe(fileB);
    expect((await post({ authorization: 'Bearer the-token' }, { model: 5 })).statusCode).toBe(400);
    await app.close();
  });

  it('compares tokens in constant time over any lengths', () => {
    expect(tokenEquals('abc', 'abc')).toBe(true);
    expect(tokenEquals('abd', 'abc')).toBe(false);
    expect(tokenEquals('', 'abc')).toBe(false);
    expect(tokenEquals('abc'.repeat(100), 'abc')).toBe(false);
  });
});

describe('ETag', () => {
  it('tags model data with the model checksum and answers 304 to a matching If-None-Match, until the model changes', async () => {
    const { app, holder } = await serverOn(fileA);
    const url = '/users/1/recommendations?n=5';
    const first = await app.inject(url);
    const etag = first.headers.etag as string;
    expect(etag).toBe(`"${holder.current.checksum.slice(0, 32)}"`);
    expect(first.headers['cache-control']).toBe('no-cache');
    const again = await app.inject({ url, headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect((await app.inject({ url, headers: { 'if-none-match': `"other", W/${etag}` } })).statusCode).toBe(304);
    expect((await app.inject({ url, headers: { 'if-none-match': '"other"' } })).statusCode).toBe(200);
    // Errors and unknown ids carry no ETag and are never 304.
    const unknown = await app.inject({ url: '/users/7777/history', headers: { 'if-none-match': etag } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers.etag).toBeUndefined();
    expect((await app.inject({ url: '/users/1/recommendations?n=0x5', headers: { 'if-none-match': etag } })).statusCode).toBe(400);
    expect((await app.inject('/health')).headers.etag).toBeUndefined();

    await holder.reload(fileB);
    const after = await app.inject({ url, headers: { 'if-none-match': etag } });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(etag);
    await app.close();
  });

  it('parses If-None-Match lists', () => {
    expect(etagMatches('"a", "b"', '"b"')).toBe(true);
    expect(etagMatches('W/"b"', '"b"')).toBe(true);
    expect(etagMatches('*', '"b"')).toBe(true);
    expect(etagMatches('"bb"', '"b"')).toBe(false);
  });
});

describe('GET /metrics', () => {
  it('is Prometheus text whose request counters equal the requests made', async () => {
    const { app, holder } = await serverOn(fileA);
    const made = [
      ...Array.from({ length: 7 }, () => '/users/1/recommendations?n=3'),
      ...Array.from({ length: 3 }, () => '/users/7777/history'),
      ...Array.from({ length: 2 }, () => '/movies/1/similar?n=0x1'),
      '/nope',
      '/health',
    ];
    for (const url of made) await app.inject(url);
    await holder.reload(corrupt);
    const res = await app.inject('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const families = new Map(parsePrometheusTextFormat(res.body).map((f) => [f.name, f]));
    const requests = families.get('alsrec_http_requests_total')!;
    expect(requests.type).toBe('COUNTER');
    const count = (route: string, status: string) => Number(requests.metrics.find((m) => m.labels?.route === route && m.labels?.status === status && m.labels?.method === 'GET')?.value ?? 0);
    expect(count('/users/:id/recommendations', '200')).toBe(7);
    expect(count('/users/:id/history', '404')).toBe(3);
    expect(count('/movies/:id/similar', '400')).toBe(2);
    expect(count('unmatched', '404')).toBe(1);
    expect(count('/health', '200')).toBe(1);
    expect(requests.metrics.reduce((sum, m) => sum + Number(m.value), 0)).toBe(made.length);
    expect(families.get('alsrec_http_request_duration_seconds')!.type).toBe('HISTOGRAM');
    // parse-prometheus-text-format drops the labels of histogram series: read their counts from the lines.
    const histogramCount = (route: string) => Number(new RegExp(`^alsrec_http_request_duration_seconds_count\\{method="GET",route="${route}",status="200"\\} (\\d+)$`, 'm').exec(res.body)?.[1]);
    expect(histogramCount('/users/:id/recommendations')).toBe(7);
    expect(histogramCount('/health')).toBe(1);

    const gauge = (name: string) => Number(families.get(name)!.metrics[0]!.value);
    expect(gauge('alsrec_model_users')).toBe(40);
    expect(gauge('alsrec_model_movies')).toBe(16);
    expect(gauge('alsrec_model_factors')).toBe(2);
    expect(gauge('alsrec_model_load_seconds')).toBeGreaterThan(0);
    expect(gauge('alsrec_model_age_seconds')).toBeGreaterThanOrEqual(0);
    const info = families.get('alsrec_model_info')!.metrics[0]!.labels!;
    expect(info).toMatchObject({ checksum: holder.current.checksum.slice(0, 16), scoring: holder.current.serving.path });
    if (info.scoring === 'native') {
      expect(info.isa).toMatch(/SSE|NEON|AVX|unknown/i);
      expect(info.variant).toMatch(/^(v2|v3|v4|native|unknown)$/);
    } else {
      expect(info.isa).toBe('none');
      expect(info.variant).toBe('none');
    }
    const reloads = families.get('alsrec_model_reloads_total')!.metrics;
    expect(reloads.find((m) => m.labels?.result === 'error')?.value).toBe('1');
    expect(families.has('process_resident_memory_bytes')).toBe(true);
    expect(families.has('nodejs_eventloop_lag_seconds')).toBe(true);
    await app.close();
  });
});

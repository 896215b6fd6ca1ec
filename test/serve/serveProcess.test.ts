/**
 * `alsrec serve` as a real process (the built CLI in dist/): SIGTERM with a client holding a
 * half-sent body ends in exit 0 within the shutdown deadline (issue 11, critical 2); SIGHUP and
 * --watch reload the model; --workers 2 serves from two processes, reloads and counts across both,
 * brings back a worker killed with SIGKILL, and drains both on SIGTERM with exit 0.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ALS } from '../../src/als/model.js';
import { buildInteractions } from '../../src/matrix/interactions.js';
import { fixtureDataset } from './fixtureModel.js';

const cli = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
let dir: string;
let fileA: string;
let fileB: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'alsrec-serveproc-'));
  fileA = join(dir, 'a.alsrec');
  fileB = join(dir, 'b.alsrec');
  const data = buildInteractions(fixtureDataset());
  await (await new ALS({ factors: 2, iterations: 15, backend: 'ts', threads: 1, seed: 1 }).fit(data)).save(fileA);
  await (await new ALS({ factors: 3, iterations: 10, backend: 'ts', threads: 1, seed: 2 }).fit(data)).save(fileB);
});

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Running {
  child: ChildProcess;
  address: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

async function startServe(args: string[], env: Record<string, string> = {}): Promise<Running> {
  expect(existsSync(cli), `${cli} is missing: run npm run build`).toBe(true);
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await vi.waitFor(() => expect(stderr).toMatch(/serving .* at http:\/\//), { timeout: 60_000, interval: 50 });
  const address = /serving .* at (http:\/\/[^ ]+)/.exec(stderr)![1]!;
  return { child, address, stderr: () => stderr, exited };
}

/** The live child processes of `pid`, from /proc (Linux). */
function childPids(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        // /proc/N/stat: "N (comm) state ppid ..."; comm may hold spaces, so split after the last ')'.
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return Number(ppid) === pid && state !== 'Z';
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

async function health(address: string): Promise<{ model: { checksum: string; file: string }; reload: { ok: number; failed: number } }> {
  return (await (await fetch(`${address}/health`)).json()) as never;
}

describe('alsrec serve, as a process', () => {
  it('exits 0 on SIGTERM within the shutdown deadline while a client holds a half-sent body', async () => {
    const s = await startServe(['--model', fileA, '--log-level', 'warn', '--shutdown-timeout', '500']);
    const port = Number(new URL(s.address).port);
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => {});
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write('POST /recommendations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n\r\n{');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const t0 = Date.now();
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(s.stderr()).toMatch(/shutdown deadline reached/);
    socket.destroy();
  });

  it('reloads on SIGHUP and when --watch sees the model file replaced', async () => {
    const { copyFile, rename } = await import('node:fs/promises');
    const served = join(dir, 'served.alsrec');
    await copyFile(fileA, served);
    const s = await startServe(['--model', served, '--log-level', 'info', '--watch', '--watch-debounce', '100']);
    const first = (await health(s.address)).model.checksum;
    // Replace the file the way train --save does: write beside it, rename over it.
    await copyFile(fileB, `${served}.tmp`);
    await rename(`${served}.tmp`, served);
    await vi.waitFor(async () => expect((await health(s.address)).model.checksum).not.toBe(first), { timeout: 15_000, interval: 100 });
    const second = (await health(s.address)).model.checksum;
    await copyFile(fileA, `${served}.tmp`);
    await rename(`${served}.tmp`, served);
    await vi.waitFor(async () => expect((await health(s.address)).model.checksum).toBe(first), { timeout: 15_000, interval: 100 });
    // SIGHUP re-reads the (unchanged) file: a reload, same checksum.
    const before = (await health(s.address)).reload.ok;
    s.child.kill('SIGHUP');
    await vi.waitFor(async () => expect((await health(s.address)).reload.ok).toBe(before + 1), { timeout: 15_000, interval: 100 });
    expect(second).not.toBe(first);
    expect(s.stderr()).toMatch(/"reason":"SIGHUP".*"msg":"model reloaded"/);
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
  });

  it('--watch follows the file served after POST /admin/reload switches to another path', async () => {
    const { copyFile, rename } = await import('node:fs/promises');
    const first = join(dir, 'first.alsrec');
    const second = join(dir, 'second.alsrec');
    await copyFile(fileA, first);
    await copyFile(fileB, second);
    const s = await startServe(['--model', first, '--log-level', 'info', '--watch', '--watch-debounce', '100'], { ALSREC_ADMIN_TOKEN: 'secret-token' });
    const a = (await health(s.address)).model.checksum;
    const switched = await fetch(`${s.address}/admin/reload`, { method: 'POST', headers: { authorization: 'Bearer secret-token', 'content-type': 'application/json' }, body: JSON.stringify({ model: second }) });
    expect(switched.status).toBe(200);
    const b = (await health(s.address)).model.checksum;
    expect(b).not.toBe(a);
    await vi.waitFor(() => expect(s.stderr()).toMatch(/"msg":"--watch now watches the model file served"/), { timeout: 5_000, interval: 50 });
    // Replacing the old path no longer reloads ...
    await copyFile(fileB, `${first}.tmp`);
    await rename(`${first}.tmp`, first);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await health(s.address)).reload.ok).toBe(1);
    // ... replacing the file served does.
    await copyFile(fileA, `${second}.tmp`);
    await rename(`${second}.tmp`, second);
    await vi.waitFor(async () => expect((await health(s.address)).model.checksum).toBe(a), { timeout: 15_000, interval: 100 });
    expect((await health(s.address)).model.file).toBe(second);
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
  });

  it('--workers 2: reload reaches both, metrics add up, a SIGKILLed worker comes back, SIGTERM drains both', async () => {
    const s = await startServe(['--model', fileA, '--log-level', 'warn', '--workers', '2'], { ALSREC_ADMIN_TOKEN: 'tok' });
    const n = 40;
    for (let i = 0; i < n; i++) expect((await fetch(`${s.address}/users/1/recommendations?n=3`)).status).toBe(200);

    const reload = await fetch(`${s.address}/admin/reload`, { method: 'POST', headers: { authorization: 'Bearer tok', 'content-type': 'application/json' }, body: JSON.stringify({ model: fileB }) });
    const body = (await reload.json()) as { ok: boolean; results: { ok: boolean; worker: number; file: string }[] };
    expect(reload.status).toBe(200);
    expect(body.results.map((r) => r.worker).sort()).toEqual([1, 2]);
    expect(body.results.every((r) => r.ok && r.file === fileB)).toBe(true);

    const text = await (await fetch(`${s.address}/metrics`)).text();
    const families = new Map(parsePrometheusTextFormat(text).map((f) => [f.name, f]));
    const requests = families.get('alsrec_http_requests_total')!.metrics;
    const count = (route: string) => requests.filter((m) => m.labels?.route === route).reduce((sum, m) => sum + Number(m.value), 0);
    expect(count('/users/:id/recommendations')).toBe(n);
    expect(count('/admin/reload')).toBe(1);
    expect(Number(families.get('alsrec_model_reloads_total')!.metrics.find((m) => m.labels?.result === 'ok')?.value)).toBe(2); // one per worker

    // Kill one worker: the primary restarts it (on the reloaded model) and the port keeps answering.
    const workerPids = childPids(s.child.pid!);
    expect(workerPids).toHaveLength(2);
    process.kill(workerPids[0]!, 'SIGKILL');
    await vi.waitFor(() => expect(s.stderr()).toMatch(/worker died; restarting it/), { timeout: 10_000, interval: 50 });
    await vi.waitFor(
      () => {
        const now = childPids(s.child.pid!);
        expect(now).toHaveLength(2);
        expect(now).not.toContain(workerPids[0]);
      },
      { timeout: 30_000, interval: 100 },
    );
    for (let i = 0; i < 10; i++) {
      const h = await health(s.address);
      expect(h.model.file).toBe(fileB);
    }
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
  });

  it('--workers 2 with a model that does not load: exit 1 and one line naming the file', async () => {
    const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--workers', '2', '--model', join(dir, 'missing.alsrec')], { stdio: ['ignore', 'ignore', 'pipe'] });
    children.push(child);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toMatch(/missing\.alsrec: no such model file/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses bad --workers and timeout values as usage errors (exit 2)', async () => {
    for (const args of [['--workers', '0'], ['--workers', 'many'], ['--request-timeout', '0'], ['--headers-timeout', '5000', '--request-timeout', '1000']]) {
      const child = spawn(process.execPath, [cli, 'serve', '--model', fileA, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
      children.push(child);
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      expect(await new Promise<number | null>((resolve) => child.on('exit', resolve))).toBe(2);
      expect(stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { downloadMovieLens, type DownloadProgress } from '../../src/data/downloadMovieLens.js';
import { loadMovieLens } from '../../src/data/loadMovieLens.js';
import { fixtureDir, itemLine } from './fixtureDir.js';

// Hand-written stand-ins for the real files (which may not be redistributed).
const U_DATA = '1\t1\t5\t874965758\n1\t2\t3\t876893171\n2\t1\t4\t888550871\n';
const U_ITEM = Buffer.from(`${itemLine(1, 'Premier Film (1995)', '01-Jan-1995', [3])}\n${itemLine(2, 'Deuxième (1996)', '', [8])}\n`, 'latin1');
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const EXPECTED = { 'u.data': sha256(U_DATA), 'u.item': sha256(U_ITEM) };

async function buildZip(files: Record<string, string | Buffer>, compress = true): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, content] of Object.entries(files)) zip.addBuffer(Buffer.from(content), name, { compress });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Replaces every occurrence of `from` with `to` (same length) in the zip's bytes: file names in both headers. */
function renameInZip(zip: Buffer, from: string, to: string): Buffer {
  const out = Buffer.from(zip);
  for (let at = out.indexOf(from); at !== -1; at = out.indexOf(from, at + 1)) out.write(to, at, 'latin1');
  return out;
}

let server: Server;
let base: string;
const routes = new Map<string, (res: ServerResponse) => void>();
const serve = (body: Buffer) => (res: ServerResponse) => {
  res.writeHead(200, { 'content-type': 'application/zip', 'content-length': body.length });
  res.end(body);
};

beforeAll(async () => {
  const good = await buildZip({ 'ml-100k/u.data': U_DATA, 'ml-100k/u.item': U_ITEM, 'ml-100k/README': 'About this fixture.\n' });
  const stored = await buildZip({ 'ml-100k/u.data': U_DATA, 'ml-100k/u.item': U_ITEM, 'ml-100k/README': 'About this fixture.\n' }, false);
  routes.set('/ml-100k.zip', serve(good));
  routes.set('/garbage.zip', serve(Buffer.from('this is not a zip file at all, just some text')));
  // Flip one byte inside README's stored data: sizes still match, only CRC-32 can tell.
  const damaged = Buffer.from(stored);
  damaged[damaged.indexOf('About this fixture.')] ^= 0x20;
  routes.set('/damaged.zip', serve(damaged));
  routes.set('/truncated-zip.zip', serve(good.subarray(0, good.length - 30)));
  routes.set('/wrong-udata.zip', serve(await buildZip({ 'ml-100k/u.data': '9\t9\t1\t1\n', 'ml-100k/u.item': U_ITEM })));
  routes.set('/no-uitem.zip', serve(await buildZip({ 'ml-100k/u.data': U_DATA })));
  routes.set('/escape.zip', serve(renameInZip(await buildZip({ 'ml-100k/u.data': U_DATA, 'zz/evil.txt': 'x' }), 'zz/evil', '../evil')));
  routes.set('/cut-short.zip', (res) => {
    res.writeHead(200, { 'content-length': good.length });
    res.write(good.subarray(0, 100));
    setTimeout(() => res.destroy(), 20);
  });
  routes.set('/slow.zip', (res) => {
    res.writeHead(200, { 'content-length': good.length });
    res.write(good.subarray(0, 100)); // then stall until the client aborts
  });
  server = createServer((req, res) => {
    const route = routes.get(req.url ?? '');
    if (route) return route(res);
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not here');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** A fresh parent folder (not yet created) under a temporary folder. */
function parentDir(): string {
  return join(fixtureDir({}), 'data');
}

async function expectFailure(url: string, message: string | RegExp, signal?: AbortSignal): Promise<void> {
  const dir = parentDir();
  const attempt = downloadMovieLens({ dataset: 'ml-100k', dir, url: `${base}${url}`, expectedSha256: EXPECTED, signal });
  if (typeof message === 'string') await expect(attempt).rejects.toMatchObject({ name: 'AlsrecError', message });
  else await expect(attempt).rejects.toThrow(message);
  // Nothing left behind: not even the parent folder the attempt created.
  expect(existsSync(dir)).toBe(false);
}

describe('downloadMovieLens', () => {
  it('should throw for an unknown dataset', async () => {
    await expect(downloadMovieLens({ dataset: 'ml-1b' as 'ml-100k', dir: parentDir() })).rejects.toThrow(
      'Expected one of ml-100k for dataset but received "ml-1b" of type string',
    );
  });

  it('should throw for an HTTP 404, writing nothing', async () => {
    await expectFailure('/missing.zip', `Download of ${base}/missing.zip failed: HTTP 404 Not Found`);
  });

  it('should throw when the server cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const dir = parentDir();
    await expect(downloadMovieLens({ dataset: 'ml-100k', dir, url: `http://127.0.0.1:${port}/x.zip` })).rejects.toThrow(
      `Download of http://127.0.0.1:${port}/x.zip failed: fetch failed: connect ECONNREFUSED 127.0.0.1:${port}`,
    );
    expect(existsSync(dir)).toBe(false);
  });

  it('should throw for a file that is not a zip, writing nothing', async () => {
    await expectFailure('/garbage.zip', 'The downloaded ml-100k.zip is corrupt: End of central directory record signature not found. Either not a zip file, or file is truncated.');
  });

  it('should throw for a truncated zip, writing nothing', async () => {
    await expectFailure('/truncated-zip.zip', /^The downloaded ml-100k\.zip is corrupt: /);
  });

  it('should throw for a zip whose data is damaged (CRC-32), writing nothing', async () => {
    await expectFailure('/damaged.zip', 'The downloaded ml-100k.zip is corrupt: CRC-32 mismatch for ml-100k/README');
  });

  it('should throw for a zip with a wrong u.data (checksum mismatch), writing nothing', async () => {
    await expectFailure(
      '/wrong-udata.zip',
      `Checksum mismatch for ml-100k/u.data: expected sha256 ${EXPECTED['u.data']} but got ${sha256('9\t9\t1\t1\n')}; ` +
        'the download is corrupt or not the official ml-100k.zip',
    );
  });

  it('should throw for the official checksums when the files are not the real ones', async () => {
    const dir = parentDir();
    await expect(downloadMovieLens({ dataset: 'ml-100k', dir, url: `${base}/ml-100k.zip` })).rejects.toThrow(
      `Checksum mismatch for ml-100k/u.data: expected sha256 06416e597f82b7342361e41163890c81036900f418ad91315590814211dca490 but got ${EXPECTED['u.data']}`,
    );
    expect(existsSync(dir)).toBe(false);
  });

  it('should throw for a zip missing a checked file', async () => {
    await expectFailure('/no-uitem.zip', `The zip from ${base}/no-uitem.zip has no ml-100k/u.item; is it the official ml-100k.zip?`);
  });

  it('should refuse a zip entry that escapes the folder, writing nothing', async () => {
    await expectFailure('/escape.zip', 'The downloaded ml-100k.zip is corrupt: invalid relative path: ../evil.txt');
  });

  it('should throw when the connection drops mid-download, writing nothing', async () => {
    await expectFailure('/cut-short.zip', new RegExp(`^Download of ${base}/cut-short\\.zip was interrupted after 100 bytes: `));
  });

  it('should clean up when aborted mid-download', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expectFailure('/slow.zip', `Download of ${base}/slow.zip was aborted; nothing was installed`, controller.signal);
  });

  it('should not clobber an existing dataset folder without force', async () => {
    const dir = fixtureDir({});
    mkdirSync(join(dir, 'ml-100k'));
    writeFileSync(join(dir, 'ml-100k', 'mine.txt'), 'keep me');
    await expect(downloadMovieLens({ dataset: 'ml-100k', dir, url: `${base}/ml-100k.zip`, expectedSha256: EXPECTED })).rejects.toThrow(
      `${join(dir, 'ml-100k')} already exists; pass --force to replace it`,
    );
    expect(readdirSync(join(dir, 'ml-100k'))).toEqual(['mine.txt']);
  });

  it('keeps an existing folder when a forced download fails', async () => {
    const dir = fixtureDir({});
    mkdirSync(join(dir, 'ml-100k'));
    writeFileSync(join(dir, 'ml-100k', 'mine.txt'), 'keep me');
    await expect(
      downloadMovieLens({ dataset: 'ml-100k', dir, url: `${base}/wrong-udata.zip`, expectedSha256: EXPECTED, force: true }),
    ).rejects.toThrow('Checksum mismatch');
    expect(readdirSync(dir)).toEqual(['ml-100k']);
    expect(readdirSync(join(dir, 'ml-100k'))).toEqual(['mine.txt']);
  });

  it('downloads, verifies and installs the dataset, reporting progress', async () => {
    const dir = parentDir();
    const progress: DownloadProgress[] = [];
    const result = await downloadMovieLens({
      dataset: 'ml-100k',
      dir,
      url: `${base}/ml-100k.zip`,
      expectedSha256: EXPECTED,
      onProgress: (p) => progress.push(p),
    });
    expect(result.path).toBe(join(dir, 'ml-100k'));
    expect(result.files).toEqual(['u.data', 'u.item', 'README']);
    expect(readdirSync(dir)).toEqual(['ml-100k']);
    expect(readFileSync(join(dir, 'ml-100k', 'u.data'), 'utf8')).toBe(U_DATA);
    expect(progress.at(-1)).toEqual({ bytes: result.bytes, totalBytes: result.bytes });
    const data = await loadMovieLens(result.path);
    expect(data.movies.get(2)?.title).toBe('Deuxième (1996)');
  });

  it('replaces an existing dataset folder with force', async () => {
    const dir = fixtureDir({});
    mkdirSync(join(dir, 'ml-100k'));
    writeFileSync(join(dir, 'ml-100k', 'old.txt'), 'old');
    await downloadMovieLens({ dataset: 'ml-100k', dir, url: `${base}/ml-100k.zip`, expectedSha256: EXPECTED, force: true });
    expect(readdirSync(dir)).toEqual(['ml-100k']);
    expect(readdirSync(join(dir, 'ml-100k')).sort()).toEqual(['README', 'u.data', 'u.item']);
  });
});

import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import yazl from 'yazl';
import { downloadCommand } from '../../../src/cli/commands/download.js';

let server: Server;
let base: string;
let zip: Buffer;
const folders: string[] = [];

beforeAll(async () => {
  const file = new yazl.ZipFile();
  file.addBuffer(Buffer.from('1\t1\t5\t1\n'), 'ml-100k/u.data');
  file.addBuffer(Buffer.from('1|Film (2000)|||url|0\n'), 'ml-100k/u.item');
  file.end();
  const chunks: Buffer[] = [];
  for await (const chunk of file.outputStream) chunks.push(chunk as Buffer);
  zip = Buffer.concat(chunks);
  server = createServer((req, res) => {
    if (req.url !== '/ml-100k.zip') {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-length': zip.length });
    res.end(zip);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

afterEach(() => {
  vi.restoreAllMocks();
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'alsrec-download-cli-'));
  folders.push(dir);
  return dir;
}

/** Runs `alsrec download ...args` in-process, capturing stderr and the error thrown, if any. */
async function run(...args: string[]): Promise<{ stderr: string; error?: unknown }> {
  let stderr = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    await downloadCommand().exitOverride().parseAsync(args, { from: 'user' });
    return { stderr };
  } catch (error) {
    return { stderr, error };
  } finally {
    spy.mockRestore();
  }
}

describe('alsrec download', () => {
  it('should throw for a dataset it does not know', async () => {
    expect((await run('ml-1b')).error).toMatchObject({
      name: 'InvalidOptionError',
      message: 'Expected one of ml-100k for dataset but received "ml-1b" of type string',
    });
  });

  it('should throw for an HTTP error, writing nothing', async () => {
    const dir = join(tempDir(), 'data');
    expect((await run('ml-100k', '--dir', dir, '--url', `${base}/nope.zip`)).error).toMatchObject({
      name: 'AlsrecError',
      message: `Download of ${base}/nope.zip failed: HTTP 404 Not Found`,
    });
    expect(existsSync(dir)).toBe(false);
  });

  it('should reject files that do not match the official checksums, writing nothing', async () => {
    const dir = join(tempDir(), 'data');
    const { error } = await run('ml-100k', '--dir', dir, '--url', `${base}/ml-100k.zip`);
    expect((error as Error).message).toMatch(/^Checksum mismatch for ml-100k\/u\.data: expected sha256 06416e59/);
    expect(existsSync(dir)).toBe(false);
  });

  it('should not replace an existing folder without --force', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'ml-100k'));
    expect((await run('ml-100k', '--dir', dir, '--url', `${base}/ml-100k.zip`)).error).toMatchObject({
      message: `${join(dir, 'ml-100k')} already exists; pass --force to replace it`,
    });
  });

  it('shows progress on stderr', async () => {
    const dir = join(tempDir(), 'data');
    const { stderr, error } = await run('ml-100k', '--dir', dir, '--url', `${base}/ml-100k.zip`);
    expect((error as Error).message).toContain('Checksum mismatch');
    const size = (zip.length / 1e6).toFixed(1);
    expect(stderr).toBe(`Downloading ml-100k.zip...\nDownloading ml-100k.zip: ${size} / ${size} MB (100%)\n`);
  });

  it('documents an example in its help', () => {
    expect(downloadCommand().helpInformation()).toContain('download [options] <dataset>');
    let help = '';
    const command = downloadCommand().exitOverride().configureOutput({ writeOut: (text) => (help += text) });
    expect(() => command.parse(['--help'], { from: 'user' })).toThrow();
    expect(help).toContain('$ alsrec download ml-100k');
    expect(help).toContain('--force');
  });
});

import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_LINE_BYTES, readLines, type ReadProgress } from '../../src/data/lineReader.js';
import { expectDataFormatError, fixtureDir } from './fixtureDir.js';

async function collect(content: string | Buffer, chunkBytes?: number): Promise<string[]> {
  const dir = fixtureDir({ 'f.txt': content });
  const lines: string[] = [];
  const count = await readLines(join(dir, 'f.txt'), (bytes, start, end, lineNumber) => {
    expect(lineNumber).toBe(lines.length + 1);
    lines.push(bytes.toString('utf8', start, end));
  }, { chunkBytes });
  expect(count).toBe(lines.length);
  return lines;
}

describe('readLines', () => {
  it('should throw a DataFormatError for a missing file', async () => {
    await expectDataFormatError(readLines('/nonexistent/alsrec/f.txt', () => {}), '/nonexistent/alsrec/f.txt: file not found');
  });

  it('delivers no lines for an empty file', async () => {
    expect(await collect('')).toEqual([]);
  });

  it('reads LF and CRLF line ends alike, and a last line without a line end', async () => {
    expect(await collect('a\nb\r\n\nc')).toEqual(['a', 'b', '', 'c']);
    expect(await collect('a\r\nb\r\n')).toEqual(['a', 'b']);
  });

  it('skips a UTF-8 byte-order mark', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    for (const chunk of [1, 2, 1024]) {
      expect(await collect(Buffer.concat([bom, Buffer.from('x,y\nz')]), chunk)).toEqual(['x,y', 'z']);
    }
    expect(await collect(Buffer.concat([bom, Buffer.from('\nz')]))).toEqual(['', 'z']);
  });

  it('handles lines split across chunks and lines longer than a chunk', async () => {
    const long = 'x'.repeat(50);
    const text = `ab\r\n${long}\ncd\r\n${long}\r\ne`;
    for (const chunk of [1, 2, 3, 7, 16]) {
      expect(await collect(text, chunk)).toEqual(['ab', long, 'cd', long, 'e']);
    }
  });

  it('reports progress up to the file size', async () => {
    const dir = fixtureDir({ 'f.txt': 'one\ntwo\nthree\n' });
    const seen: ReadProgress[] = [];
    await readLines(join(dir, 'f.txt'), () => {}, { chunkBytes: 4, onProgress: (p) => seen.push(p) });
    expect(seen.at(-1)).toEqual({ file: 'f.txt', bytesRead: 14, totalBytes: 14 });
  });
});

describe('readLines on hostile input', () => {
  it('should throw naming file:line for a line longer than the cap, without reading on', async () => {
    const dir = fixtureDir({ 'f.txt': `ok\n${'x'.repeat(100)}\nnext\n` });
    await expectDataFormatError(
      readLines(join(dir, 'f.txt'), () => {}, { chunkBytes: 8, maxLineBytes: 64 }),
      `${join(dir, 'f.txt')}:2: line longer than 64 bytes (is this a text file?)`,
    );
    // The cap holds when a whole long line arrives in one chunk too.
    await expectDataFormatError(
      readLines(join(dir, 'f.txt'), () => {}, { chunkBytes: 4096, maxLineBytes: 64 }),
      `${join(dir, 'f.txt')}:2: line longer than 64 bytes (is this a text file?)`,
    );
    // A line of exactly the cap is fine.
    const lines: number[] = [];
    await readLines(join(dir, 'f.txt'), (_b, s, e) => lines.push(e - s), { chunkBytes: 8, maxLineBytes: 100 });
    expect(lines).toEqual([2, 100, 4]);
  });

  it('should stop an endless line (/dev/zero behind a symlink) at the default 1 MiB cap', async () => {
    expect(MAX_LINE_BYTES).toBe(1 << 20);
    const dir = fixtureDir({ 'f.txt': Buffer.alloc((1 << 20) + 10, 0x41) });
    await expectDataFormatError(readLines(join(dir, 'f.txt'), () => {}), `${join(dir, 'f.txt')}:1: line longer than 1 MiB (is this a text file?)`);
  });

  it('should refuse a FIFO at once instead of blocking', async () => {
    const dir = fixtureDir({});
    const fifo = join(dir, 'u.data');
    execFileSync('mkfifo', [fifo]);
    await expectDataFormatError(readLines(fifo, () => {}), `${fifo}: is a FIFO (named pipe), not a regular file`);
  });

  it('should refuse a device, a folder and a symlink loop with a message that says so', async () => {
    const dir = fixtureDir({});
    const zero = join(dir, 'zero');
    symlinkSync('/dev/zero', zero);
    await expectDataFormatError(readLines(zero, () => {}), `${zero}: is a device, not a regular file`);
    await expectDataFormatError(readLines(dir, () => {}), `${dir}: is a folder, not a file`);
    const loop = join(dir, 'loop');
    symlinkSync(loop, loop);
    await expectDataFormatError(readLines(loop, () => {}), `${loop}: cannot be read: a symbolic link loop (ELOOP)`);
  });
});

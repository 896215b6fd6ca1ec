import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readLines, type ReadProgress } from '../../src/data/lineReader.js';
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

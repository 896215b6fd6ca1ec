import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMovieLens, type ReadProgress } from '../../src/data/loadMovieLens.js';
import { expectDataFormatError, fixtureDir, itemLine } from './fixtureDir.js';

const ITEMS = [1, 2, 3].map((id) => itemLine(id, `Film ${id} (200${id})`, '', [8])).join('\n') + '\n';

/** An ML-100K folder whose u.data is `lines`. */
function withRatings(...lines: string[]): string {
  return fixtureDir({ 'u.data': lines.join('\n') + '\n', 'u.item': ITEMS });
}

describe('loadMovieLens: bad ratings lines', () => {
  const cases: Array<[string, string, string]> = [
    ['too few fields', '1\t2\t3', 'expected 4 tab-separated fields (user id, movie id, rating, timestamp) but found 3'],
    ['too many fields', '1\t2\t3\t4\t5', 'expected 4 tab-separated fields (user id, movie id, rating, timestamp) but found 5'],
    ['a non-numeric user id', 'u1\t2\t3\t4', 'user id "u1" is not a number'],
    ['a fractional movie id', '1\t2.5\t3\t4', 'movie id "2.5" is not a whole number from 0 to 2147483647'],
    ['a negative user id', '-1\t2\t3\t4', 'user id "-1" is not a whole number from 0 to 2147483647'],
    ['an id beyond 32 bits', '2147483648\t2\t3\t4', 'user id "2147483648" is not a whole number from 0 to 2147483647'],
    ['a non-numeric rating', '1\t2\tfive\t4', 'rating "five" is not a number'],
    ['a NaN rating', '1\t2\tNaN\t4', 'rating "NaN" is not finite'],
    ['an infinite timestamp', '1\t2\t3\tInfinity', 'timestamp "Infinity" is not finite'],
    ['a timestamp overflowing a double', `1\t2\t3\t${'9'.repeat(400)}`, `timestamp "${'9'.repeat(400)}" is not finite`],
    ['an empty rating', '1\t2\t\t4', 'rating is empty'],
    ['a rating in exponent notation', '1\t2\t1e0\t4', 'rating "1e0" is not a plain decimal number'],
    ['a rating with a trailing dot', '1\t2\t3.\t4', 'rating "3." is not a plain decimal number'],
    ['a rating finite in double but infinite in float32', `1\t2\t1${'0'.repeat(39)}\t4`, `rating "1${'0'.repeat(39)}" is outside the float32 range (magnitude <= 3.4028234663852886e+38)`],
    ['a negative rating beyond float32', `1\t2\t-4${'0'.repeat(38)}.5\t4`, `rating "-4${'0'.repeat(38)}.5" is outside the float32 range (magnitude <= 3.4028234663852886e+38)`],
  ];
  for (const [what, line, problem] of cases) {
    it(`should throw for ${what}, naming file:line and quoting the line`, async () => {
      const dir = withRatings('1\t1\t4\t100', line);
      const quoted = line.length > 120 ? `${line.slice(0, 117)}...` : line;
      await expectDataFormatError(loadMovieLens(dir), `${join(dir, 'u.data')}:2: ${problem}: "${quoted}"`);
    });
  }

  it('should throw for an empty u.data, or one holding only blank lines', async () => {
    for (const content of ['', '\n\r\n']) {
      const dir = fixtureDir({ 'u.data': content, 'u.item': ITEMS });
      await expectDataFormatError(loadMovieLens(dir), `${join(dir, 'u.data')}: file is empty`);
    }
  });
});

describe('loadMovieLens: layout detection', () => {
  it('should throw for a folder without a ratings file', async () => {
    const dir = fixtureDir({ 'u.item': ITEMS });
    await expectDataFormatError(loadMovieLens(dir),
      `${dir}: no MovieLens ratings file; expected one of u.data (ML-100K), ratings.dat (ML-1M, ML-10M), ratings.csv (ml-latest, ml-latest-small, ml-20m, ml-25m)`);
  });

  it('should throw for a folder that does not exist', async () => {
    await expect(loadMovieLens('/nonexistent/alsrec-ml')).rejects.toThrow('MovieLens folder /nonexistent/alsrec-ml does not exist');
  });
});

describe('loadMovieLens: duplicates and unknown movies', () => {
  it('keeps the latest of duplicate (user, movie) ratings, in file order, and warns', async () => {
    const data = await loadMovieLens(
      withRatings(
        '7\t1\t1\t500', // superseded by line 4 (later timestamp)
        '7\t2\t2\t900', // kept: later than line 5
        '8\t1\t3\t100',
        '7\t1\t4\t600',
        '7\t2\t5\t800', // dropped: earlier than line 2
        '8\t1\t2\t100', // same timestamp as line 3: the later line wins
      ),
    );
    expect(data.duplicatesMerged).toBe(3);
    expect([...data.ratings.users]).toEqual([7, 7, 8]);
    expect([...data.ratings.items]).toEqual([2, 1, 1]);
    expect([...data.ratings.ratings]).toEqual([2, 4, 2]);
    expect([...data.ratings.timestamps]).toEqual([900, 600, 100]);
    expect(data.warnings).toEqual(['Merged 3 duplicate (user, movie) ratings in u.data, keeping the latest of each pair']);
  });

  it('merges duplicates among many pairs (hash collisions)', async () => {
    const lines: string[] = [];
    for (let user = 0; user < 300; user++) for (let item = 1; item <= 3; item++) lines.push(`${user}\t${item}\t1\t${user}`);
    for (let user = 0; user < 300; user += 3) lines.push(`${user}\t2\t5\t${user + 1}`);
    const data = await loadMovieLens(withRatings(...lines));
    expect(data.duplicatesMerged).toBe(100);
    expect(data.ratings.users.length).toBe(900);
    for (let row = 0; row < 900; row++) {
      const upgraded = data.ratings.users[row]! % 3 === 0 && data.ratings.items[row] === 2;
      expect(data.ratings.ratings[row]).toBe(upgraded ? 5 : 1);
    }
  });

  it('titles a rated movie missing from the movies file "unknown movie N" and warns once per movie', async () => {
    const data = await loadMovieLens(withRatings('1\t1\t4\t100', '1\t99\t3\t101', '2\t99\t3\t102', '2\t42\t3\t103'));
    expect(data.movies.get(99)).toEqual({ id: 99, title: 'unknown movie 99', year: null, genres: [] });
    expect(data.movies.get(42)?.title).toBe('unknown movie 42');
    expect(data.warnings).toEqual(['2 rated movies missing from u.item (ids 42, 99), titled "unknown movie N"']);
  });

  it('lists at most ten missing ids', async () => {
    const lines = Array.from({ length: 12 }, (_, k) => `1\t${100 + k}\t4\t100`);
    const data = await loadMovieLens(withRatings(...lines));
    expect(data.warnings).toEqual([
      '12 rated movies missing from u.item (ids 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, ...), titled "unknown movie N"',
    ]);
  });

  it('reports progress per file, each ending complete (the files are read at once)', async () => {
    const last = new Map<string, ReadProgress>();
    await loadMovieLens(withRatings('1\t1\t4\t100'), { onProgress: (p) => last.set(p.file, p) });
    expect([...last.keys()].sort()).toEqual(['u.data', 'u.item']);
    expect(last.get('u.data')).toEqual({ file: 'u.data', bytesRead: 10, totalBytes: 10 });
    const item = last.get('u.item')!;
    expect(item.bytesRead).toBe(item.totalBytes);
  });
});

describe('loadMovieLens: ratings files that are not text files', () => {
  it('should name the file and what it is for a folder, a device, a FIFO, a symlink loop and an endless line', async () => {
    const folder = fixtureDir({ 'u.item': ITEMS });
    mkdirSync(join(folder, 'u.data'));
    await expectDataFormatError(loadMovieLens(folder), `${join(folder, 'u.data')}: is a folder, not a file`);

    const device = fixtureDir({ 'u.item': ITEMS });
    symlinkSync('/dev/zero', join(device, 'u.data'));
    await expectDataFormatError(loadMovieLens(device), `${join(device, 'u.data')}: is a device, not a regular file`);

    const fifo = fixtureDir({ 'u.item': ITEMS });
    execFileSync('mkfifo', [join(fifo, 'u.data')]);
    await expectDataFormatError(loadMovieLens(fifo), `${join(fifo, 'u.data')}: is a FIFO (named pipe), not a regular file`);

    const loop = fixtureDir({ 'u.item': ITEMS });
    symlinkSync(join(loop, 'u.data'), join(loop, 'u.data'));
    await expectDataFormatError(loadMovieLens(loop), `${join(loop, 'u.data')}: cannot be read: a symbolic link loop (ELOOP)`);

    const noNewline = fixtureDir({ 'u.item': ITEMS, 'u.data': Buffer.alloc((1 << 20) + 1, 0x31) });
    await expectDataFormatError(loadMovieLens(noNewline), `${join(noNewline, 'u.data')}:1: line longer than 1 MiB (is this a text file?)`);
  });
});

describe('loadMovieLens: control characters in a bad line', () => {
  it('should quote terminal escapes, NUL and other control characters escaped, never raw', async () => {
    const dir = withRatings('1\t1\t4\t100', '1\x1b[2J\t2\x00\t3\x07\t4\x7f');
    const error = await loadMovieLens(dir).then(() => null, (e: Error) => e);
    expect(error?.message).toBe(`${join(dir, 'u.data')}:2: user id "1\\x1b[2J" is not a number: "1\\x1b[2J\t2\\x00\t3\\x07\t4\\x7f"`);
    // eslint-disable-next-line no-control-regex
    expect(error?.message).not.toMatch(/[\x00-\x08\x0a-\x1f\x7f-\x9f]/);
  });
});

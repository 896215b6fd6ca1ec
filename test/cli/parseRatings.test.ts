/**
 * The ratings a person hands over (--ratings, --ratings-file, update files) follow the data
 * loaders' rules: ids as text (the model resolves them), plain decimal ratings within float32; files are streamed with
 * the loaders' line cap and refused when they are not regular files.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRatingPairs, readNewRatingsCsv, readRatingPairsFile } from '../../src/cli/parseRatings.js';

function file(name: string, content: string | Buffer): string {
  const path = join(mkdtempSync(join(tmpdir(), 'alsrec-ratings-')), name);
  writeFileSync(path, content);
  return path;
}

describe('parseRatingPairs (--ratings)', () => {
  it('should keep ids as text and refuse empty ids and ratings beyond float32, like the loaders', () => {
    expect(() => parseRatingPairs('--ratings', ':4')).toThrow('Expected an id of 1 to 1024 characters in each pair');
    expect(() => parseRatingPairs('--ratings', '50')).toThrow('Expected itemId:rating pairs');
    expect(() => parseRatingPairs('--ratings', '50:5,50:4')).toThrow('Expected each item at most once');
    expect(parseRatingPairs('--ratings', 'sku:9:4,00123:1').map((r) => [r.itemId, r.rating])).toEqual([['sku:9', 4], ['00123', 1]]);
    expect(() => parseRatingPairs('--ratings', '5:1e39')).toThrow('Expected a finite, non-zero decimal rating within the float32 range in each pair');
    expect(() => parseRatingPairs('--ratings', `5:1${'0'.repeat(39)}`)).toThrow('within the float32 range');
    expect(parseRatingPairs('--ratings', ' 50:5, 172:-1.5').map((r) => [r.itemId, r.rating])).toEqual([['50', 5], ['172', -1.5]]);
  });
});

describe('readRatingPairsFile (--ratings-file)', () => {
  it('should refuse an empty item id naming file:line', async () => {
    const path = file('mine.csv', 'itemId,rating\n50,5\n ,4\n');
    await expect(readRatingPairsFile(path)).rejects.toThrow(`${path}:3: the item id "" is not an id of 1 to 1024 characters: " ,4"`);
  });

  it('should refuse a rating beyond float32 naming file:line', async () => {
    const path = file('mine.csv', `50,1${'0'.repeat(39)}\n`);
    await expect(readRatingPairsFile(path)).rejects.toThrow(`${path}:1: the rating "1${'0'.repeat(39)}" is not a finite, non-zero decimal number within the float32 range`);
  });

  it('should refuse /dev/urandom and a FIFO at once, and cap line length', async () => {
    await expect(readRatingPairsFile('/dev/urandom')).rejects.toThrow('/dev/urandom: is a device, not a regular file');
    const fifo = join(mkdtempSync(join(tmpdir(), 'alsrec-ratings-')), 'fifo');
    execFileSync('mkfifo', [fifo]);
    await expect(readRatingPairsFile(fifo)).rejects.toThrow(`${fifo}: is a FIFO (named pipe), not a regular file`);
    const long = file('long.csv', Buffer.alloc((1 << 20) + 5, 0x35));
    await expect(readRatingPairsFile(long)).rejects.toThrow(`${long}:1: line longer than 1 MiB`);
  });

  it('reads the header, blank lines and CRLF', async () => {
    const path = file('mine.csv', 'movieId,rating\r\n50,5\r\n\r\n172, 4.5\r\n');
    expect((await readRatingPairsFile(path)).map((r) => [r.itemId, r.rating, r.source])).toEqual([['50', 5, `${path}:2`], ['172', 4.5, `${path}:4`]]);
  });
});

describe('readNewRatingsCsv (update --ratings)', () => {
  it('should refuse empty ids and ratings beyond float32 naming file:line', async () => {
    const neg = file('new.csv', 'userId,itemId,rating\n,50,5\n');
    await expect(readNewRatingsCsv(neg)).rejects.toThrow(`${neg}:2: the user id "" is not an id of 1 to 1024 characters: ",50,5"`);
    const big = file('new.csv', `userId,movieId,rating\n1,50,-1${'0'.repeat(39)}\n`);
    await expect(readNewRatingsCsv(big)).rejects.toThrow(`${big}:2: the rating "-1${'0'.repeat(39)}" is not a finite, non-zero decimal number within the float32 range`);
  });

  it('should refuse /dev/urandom and symlinks to devices without reading them', async () => {
    await expect(readNewRatingsCsv('/dev/urandom')).rejects.toThrow('/dev/urandom: is a device, not a regular file');
    const link = join(mkdtempSync(join(tmpdir(), 'alsrec-ratings-')), 'new.csv');
    symlinkSync('/dev/zero', link);
    await expect(readNewRatingsCsv(link)).rejects.toThrow(`${link}: is a device, not a regular file`);
  });

  it('keeps the latest of repeated pairs', async () => {
    const path = file('new.csv', 'userId,movieId,rating,timestamp\n1,50,5,10\n1,50,3,5\n2,50,4,1\n1,50,2,10\n');
    const r = await readNewRatingsCsv(path);
    expect([...r.users]).toEqual(['1', '2']);
    expect([...r.ratings]).toEqual([2, 4]);
    expect(r.duplicatesMerged).toBe(2);
  });
});

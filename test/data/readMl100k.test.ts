import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMovieLens } from '../../src/data/loadMovieLens.js';
import { expectDataFormatError, fixtureDir, GENRE_FILE, itemLine } from './fixtureDir.js';

const ITEMS = [
  itemLine(1, 'First Film (1994)', '01-Jan-1994', [1, 15]),
  itemLine(2, 'Café, Le (1990)', '', [8]),
  itemLine(3, 'No Year In Title', '15-Mar-1987', [5]),
  itemLine(4, 'unknown', '', [0]),
].join('\n') + '\n';

const DATA = ['10\t1\t5\t880000000', '10\t2\t3\t880000100', '11\t3\t4\t880000200', '11\t4\t1\t880000300'].join('\n') + '\n';

function ml100k(files: Record<string, string | Buffer> = {}): string {
  return fixtureDir({ 'u.data': DATA, 'u.item': Buffer.from(ITEMS, 'latin1'), 'u.genre': GENRE_FILE, ...files });
}

describe('ML-100K reader', () => {
  it('should throw for a u.item line with a wrong field count', async () => {
    const dir = ml100k({ 'u.item': '1|Short (1999)|01-Jan-1999\n' });
    await expectDataFormatError(loadMovieLens(dir), 
      `${join(dir, 'u.item')}:1: expected 24 pipe-separated fields (id, title, release date, video release date, IMDb URL, 19 genre flags) but found 3: "1|Short (1999)|01-Jan-1999"`,
    );
  });

  it('should throw for a u.item id that is not a whole number', async () => {
    const line = itemLine(1, 'Film (1999)', '', []).replace(/^1/, 'x1');
    const dir = ml100k({ 'u.item': `${line}\n` });
    await expectDataFormatError(loadMovieLens(dir), `${join(dir, 'u.item')}:1: movie id "x1" is not a whole number from 0 to 2147483647: "${line}"`);
  });

  it('should throw for a genre flag other than 0 or 1', async () => {
    const line = itemLine(1, 'Film (1999)', '', []).replace(/\|0$/, '|2');
    const dir = ml100k({ 'u.item': `${line}\n` });
    await expectDataFormatError(loadMovieLens(dir), `${join(dir, 'u.item')}:1: genre flag 18 (Western) "2" is not 0 or 1: "${line}"`);
  });

  it('should throw for a repeated movie id', async () => {
    const again = itemLine(1, 'Again (2000)', '', []);
    const dir = ml100k({ 'u.item': `${ITEMS}${again}\n` });
    await expectDataFormatError(loadMovieLens(dir), `${join(dir, 'u.item')}:5: duplicate movie id 1 (first on line 1): "${again}"`);
  });

  it('should throw for an empty u.item', async () => {
    const dir = ml100k({ 'u.item': '' });
    await expectDataFormatError(loadMovieLens(dir), `${join(dir, 'u.item')}: file is empty`);
  });

  it('should throw for a u.genre line out of order', async () => {
    const dir = ml100k({ 'u.genre': 'unknown|0\nAction|2\n' });
    await expectDataFormatError(loadMovieLens(dir), `${join(dir, 'u.genre')}:2: expected genre index 1 but found "2": "Action|2"`);
  });

  it('should throw for a u.genre line with a wrong field count', async () => {
    const dir = ml100k({ 'u.genre': 'unknown|0\nAction\n' });
    await expectDataFormatError(loadMovieLens(dir), `${join(dir, 'u.genre')}:2: expected 2 pipe-separated fields (name, index) but found 1: "Action"`);
  });

  it('should throw for a missing u.item', async () => {
    const dir = fixtureDir({ 'u.data': DATA });
    await expectDataFormatError(loadMovieLens(dir), `${join(dir, 'u.item')}: required file is missing (ML-100K needs u.data and u.item)`);
  });

  it('reads ratings, latin-1 titles, years from title or release date, and genres named by u.genre', async () => {
    const data = await loadMovieLens(ml100k());
    expect(data.format).toBe('ml-100k');
    expect([...data.ratings.users]).toEqual([10, 10, 11, 11]);
    expect([...data.ratings.items]).toEqual([1, 2, 3, 4]);
    expect([...data.ratings.ratings]).toEqual([5, 3, 4, 1]);
    expect([...data.ratings.timestamps]).toEqual([880000000, 880000100, 880000200, 880000300]);
    expect(data.movies.get(1)).toEqual({ id: 1, title: 'First Film (1994)', year: 1994, genres: ['Action', 'Sci-Fi'] });
    expect(data.movies.get(2)).toEqual({ id: 2, title: 'Café, Le (1990)', year: 1990, genres: ['Drama'] });
    expect(data.movies.get(3)?.year).toBe(1987);
    expect(data.movies.get(4)).toEqual({ id: 4, title: 'unknown', year: null, genres: ['unknown'] });
    expect(data.warnings).toEqual([]);
  });

  it('uses the standard genre names without u.genre, and a shorter u.genre changes the field count', async () => {
    const without = fixtureDir({ 'u.data': DATA, 'u.item': Buffer.from(ITEMS, 'latin1') });
    expect((await loadMovieLens(without)).movies.get(1)?.genres).toEqual(['Action', 'Sci-Fi']);

    const twoGenres = ml100k({ 'u.genre': 'Calm|0\nLoud|1\n', 'u.item': '1|Film (2001)|||url|0|1\n', 'u.data': '5\t1\t2\t3\n' });
    expect((await loadMovieLens(twoGenres)).movies.get(1)?.genres).toEqual(['Loud']);
  });
});

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMovieLens } from '../../src/data/loadMovieLens.js';
import { expectDataFormatError, fixtureDir } from './fixtureDir.js';

const MOVIES = ['1::Plain Picture (1995)::Animation|Comedy', '2::Étrange, L\' (1962)::Drama', '3::Untitled::(no genres listed)'].join('\n') + '\n';
const RATINGS = ['1::1::5::978300760', '1::2::3::978302109', '2::3::4::978301968'].join('\n') + '\n';

describe('ML-1M / ML-10M reader', () => {
  it('should throw for a movies.dat line with a wrong field count', async () => {
    const dir = fixtureDir({ 'ratings.dat': RATINGS, 'movies.dat': '1::Only Title (1995)\n' });
    await expectDataFormatError(loadMovieLens(dir),
      `${join(dir, 'movies.dat')}:1: expected 3 "::"-separated fields (id, title, genres) but found 2: "1::Only Title (1995)"`);
  });

  it('should throw for a ratings.dat line with a wrong field count', async () => {
    const dir = fixtureDir({ 'ratings.dat': '1::1::5::978300760\n1::2::3\n', 'movies.dat': MOVIES });
    await expectDataFormatError(loadMovieLens(dir),
      `${join(dir, 'ratings.dat')}:2: expected 4 "::"-separated fields (user id, movie id, rating, timestamp) but found 3: "1::2::3"`);
  });

  it('should throw for a single colon used as separator', async () => {
    const dir = fixtureDir({ 'ratings.dat': '1:1::5::978300760\n', 'movies.dat': MOVIES });
    await expectDataFormatError(loadMovieLens(dir),
      `${join(dir, 'ratings.dat')}:1: expected 4 "::"-separated fields (user id, movie id, rating, timestamp) but found 3: "1:1::5::978300760"`);
  });

  it('should throw for a missing movies.dat', async () => {
    const dir = fixtureDir({ 'ratings.dat': RATINGS });
    await expectDataFormatError(loadMovieLens(dir),
      `${join(dir, 'movies.dat')}: required file is missing (ML-1M, ML-10M needs ratings.dat and movies.dat)`);
  });

  it('should throw for an empty ratings.dat', async () => {
    const dir = fixtureDir({ 'ratings.dat': '', 'movies.dat': MOVIES });
    await expectDataFormatError(loadMovieLens(dir), `${join(dir, 'ratings.dat')}: file is empty`);
  });

  it('reads latin-1 movies.dat (ML-1M)', async () => {
    const dir = fixtureDir({ 'ratings.dat': RATINGS, 'movies.dat': Buffer.from(MOVIES, 'latin1') });
    const data = await loadMovieLens(dir);
    expect(data.format).toBe('ml-dat');
    expect([...data.ratings.users]).toEqual([1, 1, 2]);
    expect([...data.ratings.items]).toEqual([1, 2, 3]);
    expect(data.movies.get(1)).toEqual({ id: 1, title: 'Plain Picture (1995)', year: 1995, genres: ['Animation', 'Comedy'] });
    expect(data.movies.get(2)?.title).toBe("Étrange, L' (1962)");
    expect(data.movies.get(3)).toEqual({ id: 3, title: 'Untitled', year: null, genres: [] });
  });

  it('reads UTF-8 movies.dat (ML-10M), line by line', async () => {
    const mixed = Buffer.concat([Buffer.from(MOVIES, 'utf8'), Buffer.from('4::Señor (2001)::Drama\n', 'latin1')]);
    const dir = fixtureDir({ 'ratings.dat': RATINGS, 'movies.dat': mixed });
    const data = await loadMovieLens(dir);
    expect(data.movies.get(2)?.title).toBe("Étrange, L' (1962)");
    expect(data.movies.get(4)?.title).toBe('Señor (2001)');
  });
});

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMovieLens } from '../../src/data/loadMovieLens.js';
import { expectDataFormatError, fixtureDir } from './fixtureDir.js';

const MOVIES = [
  'movieId,title,genres',
  '1,Plain Picture (1995),Adventure|Animation|Children|Comedy|Fantasy',
  '11,"American Example, The (1995)",Comedy|Drama|Romance',
  '12,"""Quoted"" Picture, A (2004)",Documentary',
  '13,Series Thing (2006–2007),(no genres listed)',
  '14,Straße (2019) ,Drama',
].join('\r\n') + '\r\n';

const RATINGS = [
  'userId,movieId,rating,timestamp',
  '1,1,4.0,964982703',
  '1,11,3.5,964981247',
  '2,12,0.5,1445714835',
  '2,13,5,1445714836',
  '3,14,2.5,1445714837',
].join('\n');

describe('CSV releases reader (ml-latest, ml-20m, ml-25m)', () => {
  it('should throw for a wrong ratings.csv header', async () => {
    const dir = fixtureDir({ 'ratings.csv': 'user,movie,rating,time\n1,1,4,5\n', 'movies.csv': MOVIES });
    await expectDataFormatError(loadMovieLens(dir),
      `${join(dir, 'ratings.csv')}:1: expected the header "userId,movieId,rating,timestamp": "user,movie,rating,time"`);
  });

  it('should throw for a wrong movies.csv header', async () => {
    const dir = fixtureDir({ 'ratings.csv': RATINGS, 'movies.csv': '1,Film (2000),Drama\n' });
    await expectDataFormatError(loadMovieLens(dir),
      `${join(dir, 'movies.csv')}:1: expected the header "movieId,title,genres": "1,Film (2000),Drama"`);
  });

  it('should throw for a ratings.csv with only a header', async () => {
    const dir = fixtureDir({ 'ratings.csv': 'userId,movieId,rating,timestamp\r\n', 'movies.csv': MOVIES });
    await expectDataFormatError(loadMovieLens(dir), `${join(dir, 'ratings.csv')}: has a header but no ratings`);
  });

  it('should throw for an empty movies.csv', async () => {
    const dir = fixtureDir({ 'ratings.csv': RATINGS, 'movies.csv': '' });
    await expectDataFormatError(loadMovieLens(dir), `${join(dir, 'movies.csv')}: file is empty`);
  });

  it('should throw for a quoted title spanning lines', async () => {
    const dir = fixtureDir({ 'ratings.csv': RATINGS, 'movies.csv': 'movieId,title,genres\n5,"Two\nLines (2000)",Drama\n' });
    await expectDataFormatError(loadMovieLens(dir),
      `${join(dir, 'movies.csv')}:2: quoted field 2 is not closed on this line (fields spanning lines are not supported): "5,"Two"`);
  });

  it('should throw for a movies.csv line with a wrong field count', async () => {
    const dir = fixtureDir({ 'ratings.csv': RATINGS, 'movies.csv': 'movieId,title,genres\n5,Comma, Unquoted (2000),Drama\n' });
    await expectDataFormatError(loadMovieLens(dir),
      `${join(dir, 'movies.csv')}:2: expected 3 comma-separated fields (movieId, title, genres) but found 4: "5,Comma, Unquoted (2000),Drama"`);
  });

  it('should throw for a ratings.csv line with a wrong field count, on CRLF lines', async () => {
    const dir = fixtureDir({ 'ratings.csv': 'userId,movieId,rating,timestamp\r\n1,1,4.0,964982703,9\r\n', 'movies.csv': MOVIES });
    await expectDataFormatError(loadMovieLens(dir),
      `${join(dir, 'ratings.csv')}:2: expected 4 comma-separated fields (user id, movie id, rating, timestamp) but found 5: "1,1,4.0,964982703,9"`);
  });

  it('reads quoted titles with commas and doubled quotes, CRLF and LF, half-stars and genres', async () => {
    const data = await loadMovieLens(fixtureDir({ 'ratings.csv': RATINGS, 'movies.csv': MOVIES }));
    expect(data.format).toBe('ml-csv');
    expect([...data.ratings.users]).toEqual([1, 1, 2, 2, 3]);
    expect([...data.ratings.items]).toEqual([1, 11, 12, 13, 14]);
    expect([...data.ratings.ratings]).toEqual([4, 3.5, 0.5, 5, 2.5]);
    expect([...data.ratings.timestamps]).toEqual([964982703, 964981247, 1445714835, 1445714836, 1445714837]);
    expect(data.movies.get(1)?.genres).toEqual(['Adventure', 'Animation', 'Children', 'Comedy', 'Fantasy']);
    expect(data.movies.get(11)).toEqual({ id: 11, title: 'American Example, The (1995)', year: 1995, genres: ['Comedy', 'Drama', 'Romance'] });
    expect(data.movies.get(12)?.title).toBe('"Quoted" Picture, A (2004)');
    expect(data.movies.get(13)).toEqual({ id: 13, title: 'Series Thing (2006–2007)', year: 2006, genres: [] });
    expect(data.movies.get(14)).toEqual({ id: 14, title: 'Straße (2019) ', year: 2019, genres: ['Drama'] });
  });

  it('skips a UTF-8 byte-order mark before the header', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const dir = fixtureDir({
      'ratings.csv': Buffer.concat([bom, Buffer.from(RATINGS)]),
      'movies.csv': Buffer.concat([bom, Buffer.from(MOVIES)]),
    });
    expect((await loadMovieLens(dir)).ratings.users.length).toBe(5);
  });
});

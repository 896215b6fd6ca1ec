import { describe, expect, it } from 'vitest';
import { ratingsAndMovies } from '../../src/data/rawMovieLens.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('ratingsAndMovies', () => {
  it('reads the movies once the ratings say they are under way, while they are still read', async () => {
    const log: string[] = [];
    const result = await ratingsAndMovies(
      async (started) => {
        log.push('ratings start');
        await tick();
        started();
        started(); // a second call reads nothing again
        await tick();
        log.push('ratings end');
        return 'ratings';
      },
      async () => {
        log.push('movies start');
        return 'movies';
      },
    );
    expect(result).toEqual(['ratings', 'movies']);
    expect(log).toEqual(['ratings start', 'movies start', 'ratings end']);
  });

  it('reads the movies after the ratings when they never say', async () => {
    const log: string[] = [];
    await ratingsAndMovies(
      async () => {
        await tick();
        log.push('ratings end');
        return 1;
      },
      async () => {
        log.push('movies start');
        return 2;
      },
    );
    expect(log).toEqual(['ratings end', 'movies start']);
  });

  it("throws the movies' error when both fail, even one that came while the ratings were read", async () => {
    const both = ratingsAndMovies(
      async (started) => {
        started();
        await tick();
        throw new Error('ratings.csv:3: bad');
      },
      async () => {
        throw new Error('movies.csv:2: bad');
      },
    );
    await expect(both).rejects.toThrow('movies.csv:2: bad');
    const ratingsOnly = ratingsAndMovies(async () => Promise.reject(new Error('ratings.csv:3: bad')), async () => 'movies');
    await expect(ratingsOnly).rejects.toThrow('ratings.csv:3: bad');
  });
});

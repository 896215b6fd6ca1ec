/**
 * A large CSV release's movies read by a worker thread beside the indexing: the same map as on
 * this thread, the same DataFormatError, and through loadMovieLens the same dataset. The worker
 * runs the compiled dist/ (npm run build), as an installed package does.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadMovieLens } from '../../src/data/loadMovieLens.js';
import { readMoviesCsv } from '../../src/data/readMoviesCsv.js';
import { moviesFromWorker, readMoviesInWorker } from '../../src/data/readMoviesInWorker.js';
import { PARALLEL_MIN_BYTES } from '../../src/data/events/parallel/readDelimitedInParallel.js';
import { expectDataFormatError, fixtureDir } from './fixtureDir.js';

const built = existsSync(new URL('../../dist/data/titlesWorker.js', import.meta.url));

const MOVIES = [
  'movieId,title,genres',
  '1,Plain Picture (1995),Adventure|Animation',
  '11,"American Example, The (1995)",Comedy|Drama',
  '13,Series Thing (2006–2007),(no genres listed)',
].join('\n') + '\n';

describe.skipIf(!built)('readMoviesInWorker', () => {
  it('gives the map this thread would read, and reports the file read whole', async () => {
    const path = `${fixtureDir({ 'movies.csv': MOVIES })}/movies.csv`;
    // The worker itself answers (without it, the same map would come from this thread).
    const answer = await moviesFromWorker(path);
    expect(answer?.kind).toBe('movies');
    const seen: { file: string; bytesRead: number; totalBytes: number }[] = [];
    const movies = await readMoviesInWorker(path, (p) => seen.push(p));
    expect(movies).toEqual(await readMoviesCsv(path));
    expect(movies.get(13)).toEqual({ id: 13, title: 'Series Thing (2006–2007)', year: 2006, genres: [] });
    expect(seen).toEqual([{ file: 'movies.csv', bytesRead: MOVIES.length + 2, totalBytes: MOVIES.length + 2 }]);
  });

  it("throws the worker's data error as this thread's DataFormatError, naming the line", async () => {
    const path = `${fixtureDir({ 'movies.csv': `${MOVIES}1,Again (1996),Drama\n` })}/movies.csv`;
    await expectDataFormatError(readMoviesInWorker(path), `${path}:5: duplicate movie id 1 (first on line 2): "1,Again (1996),Drama"`);
  });

  it('is how loadMovieLens reads the movies of a release whose ratings are parsed in parallel', async () => {
    // Just over the parallel parse's threshold: 12 movies rated over and over.
    const line = (j: number) => `${1 + (j % 5000)},${[1, 11, 13][j % 3]},${(j % 10) / 2 + 0.5},${1_000_000_000 + j}`;
    const lines = ['userId,movieId,rating,timestamp'];
    let bytes = 0;
    for (let j = 0; bytes < PARALLEL_MIN_BYTES + 4096; j++) {
      lines.push(line(j));
      bytes += lines.at(-1)!.length + 1;
    }
    const phases: string[] = [];
    const dir = fixtureDir({ 'movies.csv': MOVIES, 'ratings.csv': `${lines.join('\n')}\n` });
    const data = await loadMovieLens(dir, { onPhase: (phase) => phases.push(phase) });
    expect(phases).toEqual(['read + parse', 'map ids', 'order', 'merge + CSR', 'split order', 'read titles']);
    expect(data.movies.get(11)?.title).toBe('American Example, The (1995)');
    // A bad movies file is still an error naming it, after the ratings are read.
    const bad = fixtureDir({ 'movies.csv': `${MOVIES}x,Broken,Drama\n`, 'ratings.csv': `${lines.join('\n')}\n` });
    await expectDataFormatError(loadMovieLens(bad), `${bad}/movies.csv:5: movie id "x" is not a whole number from 0 to 2147483647: "x,Broken,Drama"`);
  }, 30_000);
});
if (!built) console.log('readMoviesInWorker.test: dist/ not built (npm run build); worker tests skipped');

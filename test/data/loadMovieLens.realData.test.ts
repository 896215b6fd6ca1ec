import { describe, expect, it } from 'vitest';
import { loadMovieLens } from '../../src/data/loadMovieLens.js';
import { formatMergedView, mergedView } from '../../src/data/mergedView.js';

const dir = process.env['MOVIELENS_DIR'];
if (!dir) {
  console.warn('Skipping the real MovieLens 100K tests: MOVIELENS_DIR is not set (point it at an ml-100k folder to run them).');
}

describe.skipIf(!dir)('loadMovieLens on the real MovieLens 100K (MOVIELENS_DIR)', () => {
  it('reads 100,000 ratings of 943 users on 1,682 movies', async () => {
    const data = await loadMovieLens(dir!);
    expect(data.format).toBe('ml-100k');
    expect(data.ratings.users.length).toBe(100_000);
    expect(new Set(data.ratings.users).size).toBe(943);
    expect(data.movies.size).toBe(1682);
    expect(new Set(data.ratings.items).size).toBe(1682);
    expect(data.duplicatesMerged).toBe(0);
    expect(data.warnings).toEqual([]);
    const stars = new Set(data.ratings.ratings);
    expect([...stars].sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('decodes u.item as latin-1 and parses years and genres from u.genre', async () => {
    const data = await loadMovieLens(dir!);
    expect(data.movies.get(543)?.title).toBe('Misérables, Les (1995)');
    const starWars = data.movies.get(50)!;
    expect(starWars.title).toBe('Star Wars (1977)');
    expect(starWars.year).toBe(1977);
    expect(starWars.genres).toEqual(expect.arrayContaining(['Action', 'Sci-Fi']));
    // Movie 267 is titled "unknown" with no release date.
    expect(data.movies.get(267)?.year).toBeNull();
  });

  it('joins titles in the merged view', async () => {
    const data = await loadMovieLens(dir!);
    const rows = mergedView(data, 3);
    expect(rows).toHaveLength(3);
    expect(rows[0]!.title).toBe(data.movies.get(rows[0]!.movieId)!.title);
    expect(formatMergedView(rows).split('\n')).toHaveLength(5);
  });
});

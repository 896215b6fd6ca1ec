/**
 * A small fitted model with two clear tastes (space opera, family animation), for the API tests:
 * trained in a second on the TS backend, with titles and genres for search.
 */
import type { Dataset, Movie } from '../../src/data/dataset.js';
import { buildInteractions } from '../../src/matrix/interactions.js';
import { ALS } from '../../src/als/model.js';

const SPACE = ['Star Wars (1977)', 'Return of the Jedi (1983)', 'Empire Strikes Back, The (1980)', 'Star Trek: First Contact (1996)', 'Alien (1979)', 'Aliens (1986)', 'Blade Runner (1982)', 'Stargate (1994)'];
const FAMILY = ['Toy Story (1995)', 'Aladdin (1992)', 'Lion King, The (1994)', 'Beauty and the Beast (1991)', 'Babe (1995)', 'Pinocchio (1940)', 'Jungle Book, The (1994)', 'Dumbo (1941)'];

/** Movie ids: space opera 1..8, family 11..18; one movie (99) that nobody rated is in the table but not the model. */
export function fixtureMovies(): Map<number, Movie> {
  const movies = new Map<number, Movie>();
  SPACE.forEach((title, j) => movies.set(j + 1, { id: j + 1, title, year: Number(title.slice(-5, -1)), genres: ['Action', 'Sci-Fi'] }));
  FAMILY.forEach((title, j) => movies.set(j + 11, { id: j + 11, title, year: Number(title.slice(-5, -1)), genres: ["Children's", 'Animation'] }));
  movies.set(99, { id: 99, title: 'Star Kid (1997)', year: 1997, genres: [] });
  return movies;
}

/**
 * Users 1..20 like space opera, 101..120 family films; each rates 5 of their kind's 8 movies
 * (5, 4, 5, 4, 3 stars) and nothing of the other kind (any rating is a positive signal to
 * implicit ALS, so a cross-over rating would blur the two tastes).
 */
export function fixtureDataset(): Dataset {
  const users: number[] = [];
  const items: number[] = [];
  const ratings: number[] = [];
  for (let g = 0; g < 2; g++) {
    for (let u = 0; u < 20; u++) {
      const userId = (g === 0 ? 1 : 101) + u;
      const base = g === 0 ? 1 : 11;
      for (let j = 0; j < 5; j++) {
        users.push(userId);
        items.push(base + ((u + j) % 8));
        ratings.push([5, 4, 5, 4, 3][j]!);
      }
    }
  }
  return {
    dir: '(fixture)',
    format: 'ml-100k',
    ratings: { users: Int32Array.from(users), items: Int32Array.from(items), ratings: Float32Array.from(ratings), timestamps: new Float64Array(users.length) },
    movies: fixtureMovies(),
    duplicatesMerged: 0,
    warnings: [],
  };
}

/** Two factors, one per taste: more would fit the circular order in which users rate. */
export async function fixtureModel(): Promise<ALS> {
  return new ALS({ factors: 2, iterations: 15, regularization: 0.1, backend: 'ts', threads: 1 }).fit(buildInteractions(fixtureDataset()));
}

/**
 * A tiny MovieLens-100K-shaped dataset with two clear tastes (space opera, family films), as a
 * Dataset and as a `u.data`/`u.item` folder for the CLI. Titles include a comma, a quote and two
 * "Star Wars" films (so "star wars" is ambiguous).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dataset, Movie } from '../../src/data/dataset.js';
import { ALS } from '../../src/als/model.js';
import { buildInteractions } from '../../src/matrix/interactions.js';

const SPACE = ['Star Wars (1977)', 'Return of the Jedi (1983)', 'Empire Strikes Back, The (1980)', 'Star Wars: Episode I (1999)', 'Alien (1979)', 'Aliens (1986)', 'Blade Runner (1982)', 'Stargate (1994)'];
const FAMILY = ['Toy Story (1995)', 'Aladdin (1992)', 'Lion King, The (1994)', 'Beauty and the "Beast" (1991)', 'Babe (1995)', 'Pinocchio (1940)', 'Jungle Book, The (1994)', 'Dumbo (1941)'];

/** Space opera is movies 1..8, family films 11..18. */
export function fixtureMovies(): Map<number, Movie> {
  const movies = new Map<number, Movie>();
  SPACE.forEach((title, j) => movies.set(j + 1, { id: j + 1, title, year: Number(title.slice(-5, -1)), genres: ['Action', 'Sci-Fi'] }));
  FAMILY.forEach((title, j) => movies.set(j + 11, { id: j + 11, title, year: Number(title.slice(-5, -1)), genres: ['Animation', "Children's"] }));
  return movies;
}

/** Users 1..20 rate 5 of the 8 space films, users 101..120 5 of the 8 family films. */
export function fixtureDataset(dir = '(fixture)'): Dataset {
  const users: number[] = [];
  const items: number[] = [];
  const ratings: number[] = [];
  const timestamps: number[] = [];
  for (let g = 0; g < 2; g++) {
    for (let u = 0; u < 20; u++) {
      for (let j = 0; j < 5; j++) {
        users.push((g === 0 ? 1 : 101) + u);
        items.push((g === 0 ? 1 : 11) + ((u + j) % 8));
        ratings.push([5, 4, 5, 4, 3][j]!);
        timestamps.push(880000000 + users.length);
      }
    }
  }
  return {
    dir,
    format: 'ml-100k',
    ratings: { users: Int32Array.from(users), items: Int32Array.from(items), ratings: Float32Array.from(ratings), timestamps: Float64Array.from(timestamps) },
    movies: fixtureMovies(),
    duplicatesMerged: 0,
    warnings: [],
  };
}

/** Writes the fixture as an ML-100K folder (u.data, u.item) and returns the folder. */
export function writeFixtureMl100k(options: { dropLastRating?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'alsrec-ml100k-'));
  const d = fixtureDataset(dir);
  const n = d.ratings.users.length - (options.dropLastRating ? 1 : 0);
  const lines: string[] = [];
  for (let j = 0; j < n; j++) lines.push(`${d.ratings.users[j]}\t${d.ratings.items[j]}\t${d.ratings.ratings[j]}\t${d.ratings.timestamps[j]}`);
  writeFileSync(join(dir, 'u.data'), `${lines.join('\n')}\n`);
  const flags = (m: Movie) => Array.from({ length: 19 }, (_, g) => (m.genres.includes('Sci-Fi') ? g === 15 : g === 3) ? '1' : '0').join('|');
  const items = [...d.movies.values()].map((m) => `${m.id}|${m.title}|01-Jan-${m.year}||http://example.org/${m.id}|${flags(m)}`);
  writeFileSync(join(dir, 'u.item'), `${items.join('\n')}\n`, 'latin1');
  return dir;
}

/** The fixture as an ML-100K folder plus a model trained on it and saved as `m.alsrec` in its own folder. */
export async function savedFixtureModel(): Promise<{ dataDir: string; modelPath: string; model: ALS }> {
  const dataDir = writeFixtureMl100k();
  const model = await new ALS({ factors: 2, iterations: 15, regularization: 0.1, backend: 'ts', threads: 1 }).fit(buildInteractions(fixtureDataset(dataDir)));
  const modelPath = join(mkdtempSync(join(tmpdir(), 'alsrec-model-')), 'm.alsrec');
  await model.save(modelPath);
  return { dataDir, modelPath, model };
}

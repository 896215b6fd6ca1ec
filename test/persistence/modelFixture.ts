/** Small seeded model contents for model-file tests. */
import type { ItemInfo, Movie } from '../../src/data/dataset.js';
import { mulberry32 } from '../../src/als/initialFactors.js';
import { buildCsr } from '../../src/matrix/csr.js';
import { IdMap } from '../../src/matrix/idMap.js';
import type { ModelFileContents } from '../../src/persistence/modelFile.js';

/** `users` x `items` with about `density` rated, k factors, titles for every movie. */
export function modelContents(users = 7, items = 11, k = 3, density = 0.4, seed = 1): ModelFileContents {
  const next = mulberry32(seed);
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  for (let u = 0; u < users; u++) {
    for (let i = 0; i < items; i++) {
      if (next() < density) {
        r.push(u);
        c.push(i);
        v.push(1 + Math.floor(next() * 5));
      }
    }
  }
  const liked = buildCsr(Int32Array.from(r), Int32Array.from(c), Float32Array.from(v), users, items);
  const itemIds = Int32Array.from({ length: items }, (_, i) => 10 + 3 * i);
  const movies = new Map<number, Movie>();
  for (const id of itemIds) movies.set(id, { id, title: `Movie, "number" ${id} (1990)`, year: 1990, genres: ['Drama', 'Comedy'] });
  return {
    options: { factors: k, regularization: 0.05, alpha: 2, recencyHalfLife: 3.5, convention: 'implicit', regularizationExponent: 0, unobservedWeight: 1, iterations: 7, solver: 'cholesky', cgSteps: 3, seed: 42 },
    users: IdMap.fromOrderedIds(Int32Array.from({ length: users }, (_, u) => 100 + u)),
    items: IdMap.fromOrderedIds(itemIds),
    liked,
    movies,
    userFactors: Float32Array.from({ length: users * k }, () => next() - 0.5),
    itemFactors: Float32Array.from({ length: items * k }, () => next() - 0.5),
    evaluation: { metric: 'precision@10', value: 0.25 },
  };
}

/**
 * `modelContents` with string ids on both sides (a version-2 file): user ids `u-0`, `00101`, ...,
 * item ids `sku-10`, `85123A`-like, one with a multi-byte character; titles keyed alike.
 */
export function stringIdContents(users = 7, items = 11, k = 3): ModelFileContents {
  const c = modelContents(users, items, k);
  const userIds = Array.from({ length: users }, (_, u) => (u % 2 === 0 ? `u-${u}` : `00${100 + u}`));
  const itemIds = Array.from({ length: items }, (_, i) => (i === 1 ? 'café,"x"' : `${85000 + i}A`));
  const movies = new Map<string, ItemInfo>();
  for (const id of itemIds) movies.set(id, { id, title: `Item ${id}`, year: null, genres: [] });
  return { ...c, users: IdMap.fromOrderedStringIds(userIds), items: IdMap.fromOrderedStringIds(itemIds), movies };
}

/** The encoded file as one 8-aligned buffer. */
export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(new ArrayBuffer(chunks.reduce((s, c) => s + c.byteLength, 0)));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.byteLength;
  }
  return out;
}

/**
 * The seed pipeline's promises on the real MovieLens 100K.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ExternalId } from '../../src/data/rawInteractions.js';
import type { Interactions } from '../../src/matrix/interactions.js';
import { loadMovieLens } from '../../src/data/loadMovieLens.js';
import { buildInteractions } from '../../src/matrix/interactions.js';
import { ALS } from '../../src/als/model.js';
import { nativeTestsRun } from '../helpers/nativeRequired.js';

const dir = process.env['MOVIELENS_DIR'];
if (!dir) console.warn('Skipping the ML-100K model tests: MOVIELENS_DIR is not set.');
// Under ALSREC_REQUIRE_NATIVE=1 the native backend is always tested (a missing addon fails).
const backends = nativeTestsRun() ? (['native', 'ts'] as const) : (['ts'] as const);

describe.skipIf(!dir)('ALS on the real MovieLens 100K (MOVIELENS_DIR)', () => {
  let all: Interactions;
  const models = new Map<string, ALS>();
  beforeAll(async () => {
    all = buildInteractions(await loadMovieLens(dir!));
    for (const backend of backends) models.set(backend, await new ALS({ backend }).fit(all));
  }, 120_000);

  it.each(backends)('similarMovies("Star Wars (1977)") has Return of the Jedi in its top 3 (%s)', (backend) => {
    const model = models.get(backend)!;
    const similar = model.similarMovies('Star Wars (1977)', 3);
    expect(similar.map((m) => m.title)).toContain('Return of the Jedi (1983)');
    expect(similar.map((m) => m.itemId)).not.toContain(50);
    expect(() => model.similarMovies('star', 3)).toThrow(/"star" matches \d+ items: .*50: Star Wars \(1977\)/);
    expect(() => model.recommend(99_999)).toThrow('Unknown user id 99999');
  });

  it('filtered recommendations never contain a movie the user rated in training (single and batch)', async () => {
    const model = models.get(backends[0])!;
    const users = all.users.ids as Int32Array;
    const batch = await model.recommendMany(users, { n: 20 });
    const m = all.matrix;
    for (let u = 0; u < users.length; u++) {
      const rated = new Set<ExternalId>();
      for (let q = m.indptr[u]!; q < m.indptr[u + 1]!; q++) rated.add(all.items.id(m.indices[q]!));
      const single = model.recommend(users[u]!, { n: 20 });
      expect(single).toHaveLength(20);
      for (const r of [...single, ...batch[u]!]) expect(rated.has(r.itemId), `user ${users[u]} got rated movie ${r.itemId}`).toBe(false);
      expect(batch[u]!.map((r) => r.itemId)).toEqual(single.map((r) => r.itemId));
    }
  }, 60_000);

  it.skipIf(!nativeTestsRun())('native and TS backends give user 196 the same top-10 (seed configuration)', () => {
    const top = (backend: string) => models.get(backend)!.recommend(196, { n: 10 }).map((r) => r.itemId);
    expect(top('native')).toEqual(top('ts'));
  });
});

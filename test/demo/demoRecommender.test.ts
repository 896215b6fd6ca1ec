/**
 * The static demo's recommender, run in Node over the exported bytes (what the browser maps),
 * against the library on the same model: recommendations, similar items and fold-ins must be
 * the model's own (the TS scoring path), ids and scores exactly.
 */
import { describe, expect, it } from 'vitest';
import { ALS } from '../../src/als/model.js';
import { decodeDemoData, encodeDemoData, type DemoMeta } from '../../src/demo/demoData.js';
import { DemoRecommender } from '../../src/demo/demoRecommender.js';
import { demoSource } from '../../src/demo/exportDemo.js';
import { fixtureModel } from '../serve/fixtureModel.js';

/** Encodes, copies into a fresh ArrayBuffer (as fetch() gives one) and decodes. */
function throughBytes(model: ALS): DemoRecommender {
  const { meta, binary } = encodeDemoData(demoSource(model));
  const copy = new Uint8Array(binary.byteLength);
  copy.set(binary);
  return new DemoRecommender(decodeDemoData(JSON.parse(JSON.stringify(meta)) as DemoMeta, copy.buffer));
}

describe('DemoRecommender against the model', async () => {
  const model = await fixtureModel();
  const demo = throughBytes(model);
  const ids = demo.model.meta.itemIds;

  it('recommends exactly what model.recommend does, for every user', () => {
    for (const userId of model.state.users.ids) {
      const expected = model.recommend(userId, { n: 7 });
      const got = demo.recommend(demo.userRow(String(userId)), 7).map((r) => ({ itemId: ids[r.item], score: r.score }));
      expect(got).toEqual(expected);
    }
  });

  it('finds the similar items model.similarItems does', () => {
    for (const itemId of model.state.items.ids) {
      const i = ids.indexOf(itemId);
      expect(demo.similar(i, 5).map((r) => ({ itemId: ids[r.item], score: r.score }))).toEqual(model.similarItems(itemId, 5));
    }
  });

  it('folds a visitor in exactly as recommendForNewUser does', () => {
    const ratings = [{ movieId: 1, rating: 5 }, { movieId: 3, rating: 4 }, { movieId: 12, rating: 2 }];
    const byIndex = new Map(ratings.map((r) => [ids.indexOf(r.movieId), r.rating]));
    const x = demo.foldIn(byIndex);
    expect([...x]).toEqual([...model.newUserFactors(ratings).x]);
    const got = demo.recommendFor(x, byIndex.keys(), 6).map((r) => ({ itemId: ids[r.item], score: r.score }));
    expect(got).toEqual(model.recommendForNewUser(ratings, { n: 6 }));
  });

  it('explains exactly as model.explain and explainForNewUser do', () => {
    for (const userId of [1, 7, 101, 120]) {
      const u = demo.userRow(String(userId));
      const w = demo.weightsOfUser(u);
      for (const r of model.recommend(userId, { n: 4 })) {
        const why = model.explain(userId, r.itemId, { n: 3 });
        const got = demo.explain(w, ids.indexOf(r.itemId), 3);
        expect(got.score).toBe(why.score);
        expect(got.reasons.map((c) => ({ itemId: ids[c.item], contribution: c.contribution, share: c.share }))).toEqual(why.contributions);
      }
    }
    const ratings = [{ movieId: 2, rating: 4 }, { movieId: 5, rating: 5 }];
    const w = demo.weightsOfRatings(new Map(ratings.map((r) => [ids.indexOf(r.movieId), r.rating])));
    const why = model.explainForNewUser(ratings, 3, { n: 2 });
    const got = demo.explain(w, ids.indexOf(3), 2);
    expect(got.score).toBe(why.score);
    expect(got.reasons.map((c) => ({ itemId: ids[c.item], contribution: c.contribution, share: c.share }))).toEqual(why.contributions);
  });

  it('finds users by the text of their id and titles by a case-insensitive part', () => {
    expect(demo.userRow('101')).toBe(model.state.users.index(101, 'user'));
    expect(demo.userRow('999999')).toBe(-1);
    expect(demo.search('STAR', 10).map((i) => demo.model.meta.titles[i])).toEqual(['Star Wars (1977)', 'Star Trek: First Contact (1996)', 'Stargate (1994)']);
  });

  it('refuses model data whose binary does not match its description', () => {
    const { meta, binary } = encodeDemoData(demoSource(model));
    expect(() => decodeDemoData(meta, binary.buffer.slice(0, binary.byteLength - 4) as ArrayBuffer)).toThrow(/model\.bin has \d+ bytes; model\.json expects \d+ \(a partial copy\?\)/);
    expect(() => decodeDemoData({ ...meta, format: 'other' } as unknown as DemoMeta, binary.buffer as ArrayBuffer)).toThrow('model.json is not alsrec demo data');
  });
});

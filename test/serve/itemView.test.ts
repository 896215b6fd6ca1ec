/**
 * The per-index item views the recommendation route answers with must be exactly what
 * itemView/scoredItems build from ids (same fields, order and values), titled or not.
 */
import { describe, expect, it } from 'vitest';
import { ItemViews, itemView, scoredItems } from '../../src/serve/itemView.js';
import { fixtureModel } from './fixtureModel.js';

describe('ItemViews', () => {
  it('equals itemView for every item, and scored() equals scoredItems on a ranking', async () => {
    const model = await fixtureModel();
    const s = model.state;
    const views = new ItemViews(model);
    for (let i = 0; i < s.items.size; i++) {
      expect(JSON.stringify(views.of(i))).toBe(JSON.stringify(itemView(model, s.items.id(i))));
      expect(views.of(i)).toBe(views.of(i)); // built once, then kept
    }
    const userId = s.users.id(0);
    const recs = model.recommend(userId, { n: 5 });
    const items = Int32Array.from(recs, (r) => s.items.index(r.itemId, 'item'));
    const scores = Float32Array.from(recs, (r) => r.score);
    expect(JSON.stringify(views.scored(items, scores, recs.length))).toBe(JSON.stringify(scoredItems(model, recs)));
  });
});

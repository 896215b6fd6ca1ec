/** GET /model/training-loss and GET /model/item-map: what the dashboard's charts draw. */
import { describe, expect, it } from 'vitest';
import { ALS } from '../../src/als/model.js';
import { buildInteractions } from '../../src/matrix/interactions.js';
import { createServer } from '../../src/serve/createServer.js';
import { fixtureDataset, fixtureModel } from './fixtureModel.js';

describe('model picture routes', () => {
  it('the training loss: one entry per iteration when recorded, null when not', async () => {
    const withLoss = await new ALS({ factors: 4, iterations: 6, backend: 'ts', calculateTrainingLoss: true }).fit(buildInteractions(fixtureDataset()));
    const app = createServer(withLoss);
    const body = (await app.inject('/model/training-loss')).json();
    expect(body.trainingLoss.loss).toHaveLength(6);
    expect(body.trainingLoss.loss).toEqual(withLoss.trainingLoss!.loss);
    const plain = createServer(await fixtureModel());
    expect((await plain.inject('/model/training-loss')).json()).toEqual({ trainingLoss: null });
    await app.close();
    await plain.close();
  });

  it('the item map: every item once, with its title, finite coordinates and rating count; the two tastes apart on the first axis', async () => {
    const model = await fixtureModel();
    const app = createServer(model);
    const reply = await app.inject('/model/item-map');
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['etag']).toBeDefined();
    const map = reply.json();
    expect(map.totalItems).toBe(model.state.items.size);
    expect([...map.itemIds].sort((a: number, b: number) => a - b)).toEqual([...(model.state.items.ids as Int32Array)].sort((a, b) => a - b));
    expect(map.titles[map.itemIds.indexOf(1)]).toBe('Star Wars (1977)');
    for (const v of [...map.x, ...map.y]) expect(Number.isFinite(v)).toBe(true);
    expect(map.ratings.reduce((s: number, r: number) => s + r, 0)).toBe(model.state.liked.indptr[model.state.liked.rows]);
    expect(map.explained[0]).toBeGreaterThanOrEqual(map.explained[1]);
    expect(map.explained[0] + map.explained[1]).toBeLessThanOrEqual(1 + 1e-9);
    // Space opera (ids 1..8) and family films (11..18) lie on opposite sides of the first component.
    const side = (lo: number, hi: number) => map.itemIds.map((id: number, j: number) => (id >= lo && id <= hi ? Math.sign(map.x[j]) : 0)).filter((s: number) => s !== 0);
    const space = side(1, 8);
    const family = side(11, 18);
    expect(new Set(space).size).toBe(1);
    expect(new Set(family).size).toBe(1);
    expect(space[0]).toBe(-family[0]);
    await app.close();
  });
});

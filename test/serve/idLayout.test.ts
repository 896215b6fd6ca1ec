/**
 * A reload keeps the id layout the server started with: a model whose user or item ids are of the
 * other kind (integer vs string) is refused, the old model keeps serving, and the failure shows in
 * the outcome and lastError (so in the log, the admin answer and /health).
 */
import { describe, expect, it } from 'vitest';
import { ALS } from '../../src/als/model.js';
import { buildInteractions } from '../../src/matrix/interactions.js';
import { ModelHolder } from '../../src/serve/modelHolder.js';
import { idLayoutMismatch, idLayoutOf } from '../../src/serve/idLayout.js';
import { serveModel, type ServedModel } from '../../src/serve/servedModel.js';
import { fixtureDataset } from './fixtureModel.js';

async function served(seed: number): Promise<ServedModel> {
  return serveModel(await new ALS({ factors: 2, iterations: 3, backend: 'ts', threads: 1, seed }).fit(buildInteractions(fixtureDataset())), `m${seed}.alsrec`);
}

/** `base` with string item ids: what a model file with string ids loads as (only its id maps are read). */
function withStringItems(base: ServedModel): ServedModel {
  const s = base.model.state;
  const items = { ...s.items, ids: Array.from(s.items.ids as Int32Array, (id) => `sku-${id}`), size: s.items.size };
  return { ...base, model: { state: { ...s, items } } as unknown as ALS };
}

describe('id layout on reload', () => {
  it('describes each side', async () => {
    expect(idLayoutOf((await served(1)).model.state)).toEqual({ users: 'integer', items: 'integer' });
    expect(idLayoutMismatch({ users: 'integer', items: 'integer' }, { users: 'integer', items: 'integer' })).toBeNull();
    expect(idLayoutMismatch({ users: 'integer', items: 'integer' }, { users: 'string', items: 'string' })).toBe(
      'it has string user ids and string item ids but the server was started with integer user ids and integer item ids (the routes, the dashboard and clients expect those); restart the server to serve it',
    );
  });

  it('refuses a model with string item ids, keeps the old one serving and reports why; accepts one of the same layout', async () => {
    const first = await served(1);
    const other = await served(2);
    const stringItems = withStringItems(other);
    const files = new Map<string, ServedModel>([['strings.alsrec', stringItems], ['other.alsrec', other]]);
    const holder = new ModelHolder(first, async (file) => files.get(file)!);
    const refused = await holder.reload('strings.alsrec');
    expect(refused).toMatchObject({
      ok: false,
      file: 'strings.alsrec',
      error: 'strings.alsrec: it has string item ids but the server was started with integer item ids (the routes, the dashboard and clients expect those); restart the server to serve it',
    });
    expect(holder.current).toBe(first);
    expect(holder.lastError?.error).toMatch(/string item ids/);
    expect(holder.reloads).toEqual({ ok: 0, failed: 1 });
    const accepted = await holder.reload('other.alsrec');
    expect(accepted.ok).toBe(true);
    expect(holder.current).toBe(other);
    expect(holder.lastError).toBeNull();
  });
});

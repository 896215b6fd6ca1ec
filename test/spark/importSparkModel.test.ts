import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALS } from '../../src/als/model.js';
import { SPARK_FIXTURE, hasSparkFixture, readSideIndependently } from './sparkFixture.js';

describe.skipIf(!hasSparkFixture)('ALS.fromSpark on a real Spark 3.5.5 ALSModel', () => {
  let model: ALS;
  let users: Map<number, number[]>;
  let items: Map<number, number[]>;

  beforeAll(async () => {
    model = await ALS.fromSpark(SPARK_FIXTURE, { backend: 'ts' });
    users = await readSideIndependently(join(SPARK_FIXTURE, 'userFactors'));
    items = await readSideIndependently(join(SPARK_FIXTURE, 'itemFactors'));
  }, 120_000);

  it('reads every user and item with the metadata rank, ids ascending', () => {
    const s = model.state;
    expect(model.options.factors).toBe(13);
    expect(s.users.size).toBe(200_948);
    expect(s.items.size).toBe(80_185);
    for (const ids of [s.users.ids, s.items.ids]) {
      for (let j = 1; j < ids.length; j++) expect(ids[j]! > ids[j - 1]!).toBe(true);
    }
    expect(s.liked.indptr[s.liked.rows]).toBe(0);
  });

  it('holds factors bit-identical to an independent Parquet read (hyparquet row reader)', () => {
    const s = model.state;
    let mismatches = 0;
    for (const [F, ids, rows] of [[s.userFactors, s.users.ids, users], [s.itemFactors, s.items.ids, items]] as const) {
      expect(rows.size).toBe(ids.length);
      for (let r = 0; r < ids.length; r++) {
        const expected = rows.get(ids[r] as number)!;
        for (let a = 0; a < 13; a++) if (!Object.is(F[r * 13 + a], expected[a])) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
  });

  it("ranks user 1's top-5 as the brute-force dot products do (float64; ties by ascending item id)", async () => {
    const x = users.get(1)!;
    const scored = [...items].map(([id, y]) => {
      let s = 0;
      for (let a = 0; a < 13; a++) s += x[a]! * y[a]!;
      return { id, s };
    });
    scored.sort((p, q) => q.s - p.s || p.id - q.id);
    const expected = scored.slice(0, 5).map((p) => p.id);
    // The fixture's README: 240070, 240054, 270306 tie at 6.5573, then 151989 and 194434.
    expect([...expected].sort()).toEqual([151989, 194434, 240054, 240070, 270306].sort());
    expect(expected).toEqual([240054, 240070, 270306, 151989, 194434]);
    expect(model.recommend(1, { n: 5 }).map((r) => r.itemId)).toEqual(expected);
    const [batch] = await model.recommendMany([1], { n: 5 });
    expect(batch!.map((r) => r.itemId)).toEqual(expected);
  });

  it('saves as an .alsrec file that loads back with the same factors', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'alsrec-spark-')), 'fixture.alsrec');
    await model.save(path);
    const loaded = await ALS.load(path);
    expect(Buffer.from(loaded.userFactors.buffer, loaded.userFactors.byteOffset, loaded.userFactors.byteLength)
      .equals(Buffer.from(model.userFactors.buffer, model.userFactors.byteOffset, model.userFactors.byteLength))).toBe(true);
    expect(loaded.recommend(1, { n: 5 })).toEqual(model.recommend(1, { n: 5 }));
  }, 60_000);
});

import { describe, expect, it } from 'vitest';
import { fitItemKnn } from '../../src/eval/itemKnn.js';
import { buildCsr, type Csr } from '../../src/matrix/csr.js';

/** u0 {0, 1, 2}, u1 {0, 1}, u2 {2, 3}, u3 {2, 3}; every value 1. */
function tiny(): { matrix: Csr } {
  const rows = Int32Array.of(0, 0, 0, 1, 1, 2, 2, 3, 3);
  const cols = Int32Array.of(0, 1, 2, 0, 1, 2, 3, 2, 3);
  return { matrix: buildCsr(rows, cols, new Float32Array(9).fill(1), 4, 4) };
}

/** Row i of a CSR as a map column -> value. */
function row(m: Csr, i: number): Map<number, number> {
  const out = new Map<number, number>();
  for (let p = m.indptr[i]!; p < m.indptr[i + 1]!; p++) out.set(m.indices[p]!, m.data[p]!);
  return out;
}

describe('ItemKNN', () => {
  it('should throw on bad options', () => {
    expect(() => fitItemKnn(tiny(), { neighbours: 0 })).toThrow('Expected an integer between 1 and 1000000 for neighbours but received 0 of type number');
    expect(() => fitItemKnn(tiny(), { weighting: 'jaccard' as never })).toThrow("Expected one of 'cosine', 'tfidf', 'bm25' for weighting but received \"jaccard\" of type string");
    expect(() => fitItemKnn(tiny(), { bm25B: 2 })).toThrow('Expected a number between 0 and 1 for bm25B but received 2 of type number');
  });

  it('cosine: the known neighbours of a tiny example, pruned to K', () => {
    // Item user sets: 0 {u0,u1}, 1 {u0,u1}, 2 {u0,u2,u3}, 3 {u2,u3}. cos(0,1) = 1, cos(2,3) = 2/√6,
    // cos(0,2) = cos(1,2) = 1/√6, cos(0,3) = 0; each item's own similarity is 1.
    const full = fitItemKnn(tiny(), { neighbours: 4 }).similarity;
    const expected = [
      [1, 1, 1 / Math.sqrt(6)],
      [1, 1, 1 / Math.sqrt(6)],
      [1 / Math.sqrt(6), 1 / Math.sqrt(6), 1, 2 / Math.sqrt(6)],
      [undefined, undefined, 2 / Math.sqrt(6), 1],
    ];
    expected.forEach((values, i) => {
      const r = row(full, i);
      values.forEach((v, j) => (v === undefined ? expect(r.has(j)).toBe(false) : expect(r.get(j)!, `sim(${i},${j})`).toBeCloseTo(v, 6)));
    });
    // K = 2 keeps item 2's two best (itself and 3); item 0 keeps itself and item 1.
    const pruned = fitItemKnn(tiny(), { neighbours: 2 }).similarity;
    expect([...row(pruned, 2).keys()]).toEqual([2, 3]);
    expect([...row(pruned, 0).keys()]).toEqual([0, 1]);
  });

  it('scores Σ c_ui sim_ij over the user items, train items excluded', async () => {
    const knn = fitItemKnn(tiny(), { neighbours: 3 });
    // u1 = {0, 1}: item 2 scores sim(0,2) + sim(1,2) = 2/√6; item 3 is nobody's neighbour of 0 or 1.
    const S = await knn.scoreUsers(Int32Array.of(1));
    expect(S[2]!).toBeCloseTo(2 / Math.sqrt(6), 6);
    expect(S[3]).toBe(0);
    const top = await knn.topN(Int32Array.of(1), 2);
    expect(Array.from(top.items)).toEqual([2, 3]);
  });

  it('tfidf and bm25 keep the structure: items with the same users are each other’s best neighbour', () => {
    for (const weighting of ['tfidf', 'bm25'] as const) {
      const sim = fitItemKnn(tiny(), { neighbours: 4, weighting }).similarity;
      const r0 = row(sim, 0);
      expect(r0.get(1)!, weighting).toBeGreaterThan(r0.get(2)!);
      expect(r0.has(3)).toBe(false);
    }
    // tfidf normalises item columns: sim(0,1) = 1 exactly as for cosine (same user set).
    expect(row(fitItemKnn(tiny(), { weighting: 'tfidf' }).similarity, 0).get(1)!).toBeCloseTo(1, 6);
  });

  it('bm25 follows implicit’s formula on the tiny example', () => {
    // idf_u = ln 4 − ln(1 + n_u): u0 ln(4/4) = 0, u1 ln(4/3), u2 = u3 ln(4/3). Item sums s = (2,2,3,2),
    // mean 2.25. w_ui = c (K1+1)/(K1 len_i + c) idf_u with c = 1. sim(0,1) = w_{u1,0} w_{u1,1} (u0's idf is 0).
    const K1 = 1.2;
    const B = 0.75;
    const len = (s: number) => 1 - B + (B * s) / 2.25;
    const w = (s: number, idf: number) => ((K1 + 1) / (K1 * len(s) + 1)) * idf;
    const idf = Math.log(4 / 3);
    const sim = fitItemKnn(tiny(), { neighbours: 4, weighting: 'bm25' }).similarity;
    expect(row(sim, 0).get(1)!).toBeCloseTo(w(2, idf) * w(2, idf), 6);
    expect(row(sim, 2).get(3)!).toBeCloseTo(2 * w(3, idf) * w(2, idf), 6);
  });
});

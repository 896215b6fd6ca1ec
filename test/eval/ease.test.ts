import { describe, expect, it } from 'vitest';
import { easeBytes, easeWeightsTs, fitEase } from '../../src/eval/ease.js';
import { buildCsr, type Csr } from '../../src/matrix/csr.js';
import { nativeAvailable } from '../../src/als/selectBackend.js';
import { buildInteractions } from '../../src/matrix/interactions.js';
import { syntheticRatings } from './ratingsFixture.js';

/** Users x items, binary: u0 {0, 1}, u1 {1, 2}, u2 {0, 2, 3}. */
function fourItems(): { matrix: Csr } {
  const rows = Int32Array.of(0, 0, 1, 1, 2, 2, 2);
  const cols = Int32Array.of(0, 1, 1, 2, 0, 2, 3);
  return { matrix: buildCsr(rows, cols, new Float32Array(7).fill(1), 3, 4) };
}

function det3(m: number[][]): number {
  const [a, b, c] = m as [number[], number[], number[]];
  return a[0]! * (b[1]! * c[2]! - b[2]! * c[1]!) - a[1]! * (b[0]! * c[2]! - b[2]! * c[0]!) + a[2]! * (b[0]! * c[1]! - b[1]! * c[0]!);
}

/**
 * The oracle, independent of B = −P/diag(P): Steck's constrained problem splits by column, and
 * column j of B (off the diagonal) is the ridge regression of item j's column on the other items'
 * columns, (X₋ⱼᵀX₋ⱼ + λI) b = X₋ⱼᵀ x_j, solved here by Cramer's rule from the hand-written Gram
 * matrix of the example: XᵀX = [[2,1,1,1],[1,2,1,0],[1,1,2,1],[1,0,1,1]].
 */
function expectedB(lambda: number): number[][] {
  const XtX = [
    [2, 1, 1, 1],
    [1, 2, 1, 0],
    [1, 1, 2, 1],
    [1, 0, 1, 1],
  ];
  const B = [0, 1, 2, 3].map(() => [0, 0, 0, 0]);
  for (let j = 0; j < 4; j++) {
    const others = [0, 1, 2, 3].filter((i) => i !== j);
    const A = others.map((r) => others.map((c) => XtX[r]![c]! + (r === c ? lambda : 0)));
    const rhs = others.map((r) => XtX[r]![j]!);
    const d = det3(A);
    others.forEach((i, col) => {
      const Ai = A.map((row, r) => row.map((v, c) => (c === col ? rhs[r]! : v)));
      B[i]![j] = det3(Ai) / d;
    });
  }
  return B;
}

describe('EASE', () => {
  it('should throw on bad options and on a catalog over the memory limit', async () => {
    const { matrix } = fourItems();
    await expect(fitEase({ matrix }, { regularization: 0 })).rejects.toThrow('Expected a finite number > 0 for regularization but received 0 of type number');
    await expect(fitEase({ matrix }, { backend: 'gpu' as never })).rejects.toThrow("Expected one of 'auto', 'native', 'ts' for backend but received \"gpu\" of type string");
    await expect(fitEase({ matrix }, { maxBytes: easeBytes(4) - 1 })).rejects.toThrow(/EASE needs 0 MiB of dense item-item matrices for 4 items .* more than the limit/);
    expect(easeBytes(1682)).toBe(56_582_480);
  });

  it.each([0.5, 1, 10])('the TS reference matches the per-column ridge regressions on a 4-item example (lambda %s)', (lambda) => {
    const W = easeWeightsTs(fourItems().matrix, lambda);
    const B = expectedB(lambda);
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) expect(W[j * 4 + i]!, `B[${i}][${j}]`).toBeCloseTo(B[i]![j]!, 6); // W = Bᵀ
    }
    expect([0, 5, 10, 15].map((d) => W[d])).toEqual([0, 0, 0, 0]);
  });

  it('scores x_u · B and recommends the best unseen item', async () => {
    const lambda = 1;
    const ease = await fitEase(fourItems(), { regularization: lambda, backend: 'ts' });
    const B = expectedB(lambda);
    const S = await ease.scoreUsers(Int32Array.of(0, 1));
    // u0 = {0, 1}: score_j = B[0][j] + B[1][j].
    for (let j = 0; j < 4; j++) expect(S[j]!).toBeCloseTo(B[0]![j]! + B[1]![j]!, 6);
    const top = await ease.topN(Int32Array.of(0), 2);
    const expectedOrder = [2, 3].sort((a, b) => B[0]![b]! + B[1]![b]! - (B[0]![a]! + B[1]![a]!));
    expect(Array.from(top.items)).toEqual(expectedOrder);
  });

  const native = nativeAvailable();
  if (!native && process.env['ALSREC_REQUIRE_NATIVE'] !== '1') console.warn('Skipping the native EASE tests: the addon is not built.');
  describe.skipIf(!native && process.env['ALSREC_REQUIRE_NATIVE'] !== '1')('native', () => {
    it('agrees with the TS reference on weights, scores and top-N', async () => {
      const train = buildInteractions(syntheticRatings(60, 45, 0.25, 4));
      const rows = Int32Array.from({ length: 60 }, (_, u) => u);
      const [n, t] = await Promise.all([fitEase(train, { regularization: 3, backend: 'native', threads: 2 }), fitEase(train, { regularization: 3, backend: 'ts' })]);
      expect(n.backend).toBe('native');
      let worst = 0;
      for (let p = 0; p < t.weights.length; p++) worst = Math.max(worst, Math.abs(n.weights[p]! - t.weights[p]!));
      expect(worst, `max |W_native − W_ts| = ${worst}`).toBeLessThan(1e-5);
      const sn = await n.scoreUsers(rows);
      const st = await t.scoreUsers(rows);
      for (let p = 0; p < sn.length; p += 7) expect(sn[p]!).toBeCloseTo(st[p]!, 4);
      const tn = await n.topN(rows, 5);
      const tt = await t.topN(rows, 5);
      let same = 0;
      for (let p = 0; p < tn.items.length; p++) same += tn.items[p] === tt.items[p] ? 1 : 0;
      expect(same / tn.items.length).toBeGreaterThan(0.98); // float32 near-ties may swap
    });
  });
});

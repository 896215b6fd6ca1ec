import { describe, expect, it } from 'vitest';
import { buildCsr, nnz, scaleCsr, transposeCsr, transposeCsrInRounds } from '../../src/matrix/csr.js';
import { randomProblem } from '../helpers/randomProblem.js';

describe('buildCsr', () => {
  it('should throw on mismatched lengths, out-of-range indices and repeated pairs', () => {
    expect(() => buildCsr(Int32Array.of(0), Int32Array.of(0, 1), Float32Array.of(1), 1, 2)).toThrow(
      'Expected row, column and value arrays of equal length (1) for coordinates but received "lengths 1, 2, 1" of type string',
    );
    expect(() => buildCsr(Int32Array.of(2), Int32Array.of(0), Float32Array.of(1), 2, 2)).toThrow(
      'Expected an integer in [0, 2) for row index at entry 0 but received 2 of type number',
    );
    expect(() => buildCsr(Int32Array.of(0), Int32Array.of(-1), Float32Array.of(1), 2, 2)).toThrow('column index at entry 0');
    expect(() => buildCsr(Int32Array.of(1, 1), Int32Array.of(0, 0), Float32Array.of(1, 2), 2, 2)).toThrow('a repeated pair (1, 0)');
  });

  it('should sort columns within rows and keep the values with their coordinates', () => {
    const m = buildCsr(Int32Array.of(1, 0, 1, 0), Int32Array.of(2, 1, 0, 0), Float32Array.of(4, 3, 2, 1), 3, 3);
    expect([...m.indptr]).toEqual([0, 2, 4, 4]);
    expect([...m.indices]).toEqual([0, 1, 0, 2]);
    expect([...m.data]).toEqual([1, 3, 2, 4]);
    expect(nnz(m)).toBe(4);
  });

  it('should satisfy the CSR invariants and round-trip through the transpose', () => {
    const { C } = randomProblem(57, 43, 2, 0.2, 11);
    for (const m of [C, transposeCsr(C)]) {
      expect(m.indptr[0]).toBe(0);
      for (let r = 0; r < m.rows; r++) {
        expect(m.indptr[r + 1]!).toBeGreaterThanOrEqual(m.indptr[r]!);
        for (let p = m.indptr[r]! + 1; p < m.indptr[r + 1]!; p++) expect(m.indices[p]!).toBeGreaterThan(m.indices[p - 1]!);
      }
    }
    const back = transposeCsr(transposeCsr(C));
    expect(back.rows).toBe(C.rows);
    expect([...back.indptr]).toEqual([...C.indptr]);
    expect([...back.indices]).toEqual([...C.indices]);
    expect([...back.data]).toEqual([...C.data]);
  });

  it('should give the same transpose through staged column blocks, in rounds of any size', () => {
    // 20,000 columns: past the one-pass scatter's limit, so entries are staged by column block.
    const { C } = randomProblem(300, 20_000, 2, 0.003, 5);
    const direct = transposeCsrInRounds(C, Number.MAX_SAFE_INTEGER);
    for (const round of [1, 7, 1000]) {
      const t = transposeCsrInRounds(C, round);
      expect([...t.indptr]).toEqual([...direct.indptr]);
      expect([...t.indices]).toEqual([...direct.indices]);
      expect([...t.data]).toEqual([...direct.data]);
    }
    // The staged path agrees with the definition: entry (r, c) of C is entry (c, r) of the transpose.
    for (let r = 0; r < C.rows; r++) {
      for (let p = C.indptr[r]!; p < C.indptr[r + 1]!; p++) {
        const c = C.indices[p]!;
        const row = [...direct.indices.subarray(direct.indptr[c]!, direct.indptr[c + 1]!)];
        expect(direct.data[direct.indptr[c]! + row.indexOf(r)]).toBe(C.data[p]);
      }
    }
  });

  it('should scale values into a copy', () => {
    const m = buildCsr(Int32Array.of(0), Int32Array.of(0), Float32Array.of(2), 1, 1);
    expect([...scaleCsr(m, 1.5).data]).toEqual([3]);
    expect([...m.data]).toEqual([2]);
  });
});

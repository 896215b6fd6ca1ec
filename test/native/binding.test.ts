/**
 * The binding never crashes on a bad call: wrong types are TypeErrors, wrong sizes and values
 * RangeErrors, with "Expected ... for <name> but received ..." messages; malformed CSR contents
 * found while running reject with RangeError; a failed row becomes RowSolveError(row).
 */
import { describe, expect, it } from 'vitest';
import type { Csr } from '../../src/matrix/csr.js';
import { RowSolveError } from '../../src/als/backend.js';
import { loadNativeBackend } from '../../src/als/nativeBackend.js';
import { randomProblem, tryLoadAddon } from './problems.js';

const { addon, reason } = tryLoadAddon();
if (addon === null) console.warn(`test/native skipped: ${reason}`);

/** 3 x 2, row 0 empty: [[], [c01 = 2], [c10 = 3, c11 = 4]]. */
function small(): { C: Csr; X: Float32Array; Y: Float32Array } {
  return {
    C: { rows: 3, cols: 2, indptr: Int32Array.of(0, 0, 1, 3), indices: Int32Array.of(1, 0, 1), data: Float32Array.of(2, 3, 4) },
    X: new Float32Array(3 * 2).fill(0.5),
    Y: Float32Array.of(1, 0, 0, 1),
  };
}

describe.skipIf(addon === null)('native binding: halfSweep arguments', () => {
  const a = addon!;

  it('should throw TypeError for wrong typed-array kinds and plain arrays', () => {
    const { C, X, Y } = small();
    expect(() => a.halfSweepCG(C, new Float64Array(6) as unknown as Float32Array, Y, 2, 0.1, 3, 1)).toThrow(
      new TypeError('Expected a Float32Array for X but received a Float64Array'),
    );
    expect(() => a.halfSweepCG(C, X, [1, 0, 0, 1] as unknown as Float32Array, 2, 0.1, 3, 1)).toThrow(
      new TypeError('Expected a Float32Array for Y but received an array of length 4'),
    );
    expect(() => a.halfSweepCG({ ...C, indptr: Uint32Array.of(0, 0, 1, 3) as unknown as Int32Array }, X, Y, 2, 0.1, 3, 1)).toThrow(
      new TypeError('Expected an Int32Array for confidence.indptr but received a Uint32Array'),
    );
    expect(() => a.halfSweepCG({ ...C, data: new Float64Array(3) as unknown as Float32Array }, X, Y, 2, 0.1, 3, 1)).toThrow(
      new TypeError('Expected a Float32Array for confidence.data but received a Float64Array'),
    );
    expect(() => a.halfSweepCholesky(null as unknown as Csr, X, Y, 2, 0.1, 1)).toThrow(
      new TypeError('Expected a CSR object { rows, cols, indptr, indices, data } for confidence but received null'),
    );
  });

  it('should throw TypeError for a wrong number of arguments or non-number options', () => {
    const { C, X, Y } = small();
    expect(() => (a.halfSweepCG as unknown as (...args: unknown[]) => unknown)(C, X, Y, 2, 0.1, 3)).toThrow(
      new TypeError('Expected 7 arguments for halfSweepCG but received 6'),
    );
    expect(() => a.halfSweepCG(C, X, Y, '2' as unknown as number, 0.1, 3, 1)).toThrow(
      new TypeError('Expected an integer in [1, 4096] for k but received "2" of type string'),
    );
    expect(() => a.halfSweepCholesky(C, X, Y, 2, undefined as unknown as number, 1)).toThrow(
      new TypeError('Expected a finite number >= 0 for regularization but received undefined'),
    );
  });

  it('should throw RangeError for mismatched lengths', () => {
    const { C, X, Y } = small();
    expect(() => a.halfSweepCG({ ...C, indptr: Int32Array.of(0, 0, 1) }, X, Y, 2, 0.1, 3, 1)).toThrow(
      new RangeError('Expected length rows + 1 = 4 for confidence.indptr but received length 3'),
    );
    expect(() => a.halfSweepCG({ ...C, indices: Int32Array.of(1, 0) }, X, Y, 2, 0.1, 3, 1)).toThrow(
      new RangeError('Expected length indptr[rows] = 3 for confidence.indices but received length 2'),
    );
    expect(() => a.halfSweepCG({ ...C, data: Float32Array.of(2, 3, 4, 5) }, X, Y, 2, 0.1, 3, 1)).toThrow(
      new RangeError('Expected length indptr[rows] = 3 for confidence.data but received length 4'),
    );
    expect(() => a.halfSweepCG(C, X.subarray(1), Y, 2, 0.1, 3, 1)).toThrow(
      new RangeError('Expected length confidence.rows * k = 6 for X but received length 5'),
    );
    expect(() => a.halfSweepCholesky(C, X, new Float32Array(6), 2, 0.1, 1)).toThrow(
      new RangeError('Expected length confidence.cols * k = 4 for Y but received length 6'),
    );
    expect(() => a.halfSweepCG({ ...C, rows: -1 }, X, Y, 2, 0.1, 3, 1)).toThrow(
      new RangeError('Expected an integer in [0, 2147483647] for confidence.rows but received -1 of type number'),
    );
  });

  it('should throw RangeError for out-of-range and NaN options', () => {
    const { C, X, Y } = small();
    expect(() => a.halfSweepCG(C, X, Y, 0, 0.1, 3, 1)).toThrow(
      new RangeError('Expected an integer in [1, 4096] for k but received 0 of type number'),
    );
    expect(() => a.halfSweepCG(C, X, Y, Number.NaN, 0.1, 3, 1)).toThrow(
      new RangeError('Expected an integer in [1, 4096] for k but received NaN of type number'),
    );
    expect(() => a.halfSweepCG(C, X, Y, 2, -1, 3, 1)).toThrow(
      new RangeError('Expected a finite number >= 0 for regularization but received -1 of type number'),
    );
    expect(() => a.halfSweepCholesky(C, X, Y, 2, Number.NaN, 1)).toThrow(
      new RangeError('Expected a finite number >= 0 for regularization but received NaN of type number'),
    );
    expect(() => a.halfSweepCholesky(C, X, Y, 2, Number.POSITIVE_INFINITY, 1)).toThrow(
      new RangeError('Expected a finite number >= 0 for regularization but received Infinity of type number'),
    );
    expect(() => a.halfSweepCG(C, X, Y, 2, 0.1, 0, 1)).toThrow(
      new RangeError('Expected an integer in [1, 1048576] for cgSteps but received 0 of type number'),
    );
    expect(() => a.halfSweepCG(C, X, Y, 2, 0.1, 3, 1.5)).toThrow(
      new RangeError('Expected an integer in [1, 1024] for threads but received 1.5 of type number'),
    );
    expect(() => a.halfSweepCholesky(C, X, Y, 2, 0.1, 0)).toThrow(
      new RangeError('Expected an integer in [1, 1024] for threads but received 0 of type number'),
    );
  });

  it('should throw RangeError when X shares memory with an input', () => {
    const { C } = small();
    const shared = new Float32Array(10);
    expect(() => a.halfSweepCG(C, shared.subarray(0, 6), shared.subarray(6, 10), 2, 0.1, 3, 1)).not.toThrow();
    expect(() => a.halfSweepCG(C, shared.subarray(0, 6), shared.subarray(4, 8), 2, 0.1, 3, 1)).toThrow(
      new RangeError('Expected memory not shared with X for Y but received an overlapping view'),
    );
  });

  it('should reject with RangeError for malformed CSR contents, leaving no crash', async () => {
    const { C, X, Y } = small();
    await expect(a.halfSweepCG({ ...C, indices: Int32Array.of(1, 0, 7) }, X, Y, 2, 0.1, 3, 2)).rejects.toThrow(
      new RangeError('Expected column indices in [0, cols) for confidence.indices but received one outside in row 2'),
    );
    await expect(a.halfSweepCholesky({ ...C, indices: Int32Array.of(-1, 0, 1) }, X, Y, 2, 0.1, 1)).rejects.toThrow(
      new RangeError('Expected column indices in [0, cols) for confidence.indices but received one outside in row 1'),
    );
    await expect(a.halfSweepCG({ ...C, indptr: Int32Array.of(0, 2, 1, 3) }, X, Y, 2, 0.1, 3, 1)).rejects.toThrow(
      new RangeError('Expected non-decreasing values in [0, indptr[rows]] for confidence.indptr but received a bad span at row 1'),
    );
    expect(() => a.halfSweepCG({ ...C, indptr: Int32Array.of(0, 0, 1, -1) }, X, Y, 2, 0.1, 3, 1)).toThrow(
      new RangeError('Expected a last entry >= 0 for confidence.indptr but received -1'),
    );
  });

  it('accepts empty matrices and zero-length arrays', async () => {
    const empty: Csr = { rows: 0, cols: 0, indptr: Int32Array.of(0), indices: new Int32Array(0), data: new Float32Array(0) };
    await expect(a.halfSweepCG(empty, new Float32Array(0), new Float32Array(0), 4, 0.1, 3, 2)).resolves.toBeUndefined();
    await expect(a.halfSweepCholesky(empty, new Float32Array(0), new Float32Array(0), 4, 0.1, 2)).resolves.toBeUndefined();
    const noItems: Csr = { rows: 2, cols: 0, indptr: Int32Array.of(0, 0, 0), indices: new Int32Array(0), data: new Float32Array(0) };
    const X = new Float32Array(4).fill(1);
    await a.halfSweepCholesky(noItems, X, new Float32Array(0), 2, 0.1, 1);
    expect(Array.from(X)).toEqual([0, 0, 0, 0]);
  });
});

describe.skipIf(addon === null)('native binding: topN and gram arguments', () => {
  const a = addon!;
  const X = new Float32Array(2 * 3);
  const Y = new Float32Array(4 * 3);

  it('scoreRows should throw for bad rows, k, array kinds and argument counts', () => {
    expect(() => a.scoreRows(X, Y, 3, Int32Array.of(0, 2), 1)).toThrow(
      new RangeError('Expected a row index in [0, 2) for rows[1] but received 2'),
    );
    expect(() => a.scoreRows(X, Y, 4, Int32Array.of(0), 1)).toThrow(
      new RangeError('Expected a length that is a multiple of k = 4 for X but received length 6'),
    );
    expect(() => a.scoreRows(X, new Float64Array(12) as unknown as Float32Array, 3, Int32Array.of(0), 1)).toThrow(
      new TypeError('Expected a Float32Array for Y but received a Float64Array'),
    );
    expect(() => (a.scoreRows as unknown as (...args: unknown[]) => unknown)(X, Y, 3)).toThrow(
      new TypeError('Expected 5 arguments for scoreRows but received 3'),
    );
  });

  it('should throw for bad rows, n, k and exclusion shapes', () => {
    expect(() => a.topN(X, Y, 3, Int32Array.of(0, 2), 2, null, 1)).toThrow(
      new RangeError('Expected a row index in [0, 2) for rows[1] but received 2'),
    );
    expect(() => a.topN(X, Y, 3, Int32Array.of(-1), 2, null, 1)).toThrow(
      new RangeError('Expected a row index in [0, 2) for rows[0] but received -1'),
    );
    expect(() => a.topN(X, Y, 3, [0] as unknown as Int32Array, 2, null, 1)).toThrow(
      new TypeError('Expected an Int32Array for rows but received an array of length 1'),
    );
    expect(() => a.topN(X, Y, 3, Int32Array.of(0), 0, null, 1)).toThrow(
      new RangeError('Expected an integer in [1, 16777216] for n but received 0 of type number'),
    );
    expect(() => a.topN(X, Y, 4, Int32Array.of(0), 1, null, 1)).toThrow(
      new RangeError('Expected a length that is a multiple of k = 4 for X but received length 6'),
    );
    const exclude = { rows: 3, cols: 4, indptr: Int32Array.of(0, 0, 0, 0), indices: new Int32Array(0) };
    expect(() => a.topN(X, Y, 3, Int32Array.of(0), 1, exclude, 1)).toThrow(
      new RangeError('Expected the number of rows of X (2) for exclude.rows but received 3'),
    );
    expect(() => a.topN(X, Y, 3, Int32Array.of(0), 1, { ...exclude, rows: 2, cols: 5, indptr: Int32Array.of(0, 0, 0) }, 1)).toThrow(
      new RangeError('Expected the number of rows of Y (4) for exclude.cols but received 5'),
    );
    expect(() => a.topN(X, Y, 3, Int32Array.of(0), 1, 'none' as unknown as null, 1)).toThrow(
      new TypeError('Expected a CSR object { rows, cols, indptr, indices, data } for exclude but received "none" of type string'),
    );
  });

  it('should reject for out-of-range exclusion indices', async () => {
    const exclude = { rows: 2, cols: 4, indptr: Int32Array.of(0, 1, 1), indices: Int32Array.of(9) };
    await expect(a.topN(X, Y, 3, Int32Array.of(1, 0), 1, exclude, 2)).rejects.toThrow(
      new RangeError('Expected column indices in [0, cols) for exclude.indices but received one outside in row 0'),
    );
  });

  it('gram checks its arguments', () => {
    expect(() => a.gram(new Float64Array(4) as unknown as Float32Array, 2)).toThrow(
      new TypeError('Expected a Float32Array for Y but received a Float64Array'),
    );
    expect(() => a.gram(new Float32Array(5), 2)).toThrow(
      new RangeError('Expected a length that is a multiple of k = 2 for Y but received length 5'),
    );
  });
});

describe.skipIf(addon === null)('native backend: numerical failure', () => {
  it('a row whose Cholesky fails becomes RowSolveError naming the smallest failing row, for any thread count', async () => {
    // lambda = 0 and Y = 0: A_u = 0 for every row with entries (rows 1.. of the problem; row 0 is empty).
    const { C, k } = randomProblem(3, 40, 6, 4, 0.5);
    const backend = loadNativeBackend();
    for (const threads of [1, 2]) {
      const X = new Float32Array(C.rows * k);
      const failure = backend.halfSweep(C, X, new Float32Array(C.cols * k), k, {
        solver: 'cholesky',
        regularization: 0,
        cgSteps: 3,
        threads,
      });
      await expect(failure).rejects.toBeInstanceOf(RowSolveError);
      await expect(failure).rejects.toMatchObject({ row: 1, message: 'Cholesky factorization failed for row 1' });
    }
  });

  it('the raw addon rejection carries row and code', async () => {
    const { C, k } = randomProblem(4, 5, 3, 2, 1);
    const error = await addon!
      .halfSweepCholesky(C, new Float32Array(C.rows * k), new Float32Array(C.cols * k), k, 0, 1)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: 'ERR_ALSREC_ROW_SOLVE', row: 1 });
  });
});

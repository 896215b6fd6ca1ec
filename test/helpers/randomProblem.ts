/** Seeded random sparse problems for kernel tests. */
import { buildCsr, type Csr } from '../../src/matrix/csr.js';
import { mulberry32 } from '../../src/als/initialFactors.js';

export interface Problem {
  readonly C: Csr;
  readonly X: Float32Array;
  readonly Y: Float32Array;
  readonly k: number;
}

/** rows x cols with about `density` of the entries set to confidences in [1, 5], and random factors. */
export function randomProblem(rows: number, cols: number, k: number, density: number, seed: number): Problem {
  const next = mulberry32(seed);
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      if (next() < density) {
        r.push(i);
        c.push(j);
        v.push(1 + Math.floor(next() * 5));
      }
    }
  }
  const C = buildCsr(Int32Array.from(r), Int32Array.from(c), Float32Array.from(v), rows, cols);
  const X = Float32Array.from({ length: rows * k }, () => next() * 0.1);
  const Y = Float32Array.from({ length: cols * k }, () => next() * 0.1);
  return { C, X, Y, k };
}

/** Relative residual |A x - b| / |b| of row u's normal equations, computed in float64. */
export function normalEquationResidual(C: Csr, X: Float32Array, Y: Float32Array, k: number, lambda: number, u: number): number {
  const A = new Float64Array(k * k);
  const b = new Float64Array(k);
  for (let i = 0; i < C.cols; i++) {
    for (let a = 0; a < k; a++) for (let bb = 0; bb < k; bb++) A[a * k + bb]! += Y[i * k + a]! * Y[i * k + bb]!;
  }
  for (let a = 0; a < k; a++) A[a * k + a]! += lambda;
  for (let q = C.indptr[u]!; q < C.indptr[u + 1]!; q++) {
    const c = C.data[q]!;
    const yo = C.indices[q]! * k;
    for (let a = 0; a < k; a++) {
      for (let bb = 0; bb < k; bb++) A[a * k + bb]! += (Math.abs(c) - 1) * Y[yo + a]! * Y[yo + bb]!;
      if (c > 0) b[a]! += c * Y[yo + a]!;
    }
  }
  let num = 0;
  let den = 0;
  for (let a = 0; a < k; a++) {
    let s = 0;
    for (let bb = 0; bb < k; bb++) s += A[a * k + bb]! * X[u * k + bb]!;
    num += (s - b[a]!) ** 2;
    den += b[a]! ** 2;
  }
  return Math.sqrt(num) / Math.sqrt(den);
}

/** A checkerboard: two blocks of users and items; each user rated every in-block item but one. */
export function checkerboard(usersPerBlock: number, itemsPerBlock: number): { rows: Int32Array; cols: Int32Array; values: Float32Array; withheld: Int32Array; users: number; items: number } {
  const r: number[] = [];
  const c: number[] = [];
  const withheld: number[] = [];
  for (let block = 0; block < 2; block++) {
    for (let uu = 0; uu < usersPerBlock; uu++) {
      const u = block * usersPerBlock + uu;
      const skip = block * itemsPerBlock + (uu % itemsPerBlock);
      withheld.push(skip);
      for (let ii = 0; ii < itemsPerBlock; ii++) {
        const i = block * itemsPerBlock + ii;
        if (i === skip) continue;
        r.push(u);
        c.push(i);
      }
    }
  }
  return {
    rows: Int32Array.from(r),
    cols: Int32Array.from(c),
    values: new Float32Array(r.length).fill(1),
    withheld: Int32Array.from(withheld),
    users: 2 * usersPerBlock,
    items: 2 * itemsPerBlock,
  };
}

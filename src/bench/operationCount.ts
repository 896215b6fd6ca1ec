/**
 * Floating-point operation counts of one ALS iteration (two half-sweeps), from which the
 * benchmark derives GFLOP/s. A multiply-add counts as 2 flops. For one half-sweep over R rows
 * with N stored entries in total, against the other side's C rows, factors k:
 *
 *   YtY (symmetric, lower triangle):       C · k(k+1)
 *   Cholesky solver, per half-sweep:
 *     Gram update Yᵀ(Cu − I)Y, symmetric:  N · k(k+1)          (nnz_u rank-1 terms per row)
 *     right-hand side Yᵀ Cu p:             N · 2k
 *     factorization (LLᵀ):                 R · k³/3
 *     two triangular solves:               R · 2k²
 *   CG solver with s steps, per half-sweep:
 *     each of s + 1 products A·v (the residual and s steps):
 *       (YtY + λI) v:                      R · 2k²
 *       Yᵀ(Cu − I)(Y v) over the row:      N · 4k
 *     vector updates (about 10 k-vectors per step): R · s · 10k
 *
 * These are the flops the mathematics needs, whatever an implementation actually executes.
 */
import type { Solver } from '../als/backend.js';

export interface IterationShape {
  readonly users: number;
  readonly items: number;
  readonly nnz: number;
  readonly factors: number;
  readonly solver: Solver;
  readonly cgSteps: number;
}

function halfSweepFlops(rows: number, otherRows: number, nnz: number, k: number, solver: Solver, steps: number): number {
  const gram = otherRows * k * (k + 1);
  if (solver === 'cholesky') return gram + nnz * k * (k + 1) + nnz * 2 * k + (rows * k ** 3) / 3 + rows * 2 * k * k;
  return gram + (steps + 1) * (rows * 2 * k * k + nnz * 4 * k) + rows * steps * 10 * k;
}

/** Flops of one full iteration (user half-sweep, then item half-sweep). */
export function iterationFlops(s: IterationShape): number {
  return (
    halfSweepFlops(s.users, s.items, s.nnz, s.factors, s.solver, s.cgSteps) +
    halfSweepFlops(s.items, s.users, s.nnz, s.factors, s.solver, s.cgSteps)
  );
}

/**
 * The checks the native kernels make on a CSR before reading through it (native/kernel_support:
 * `checkIndptr`, `columnsInRange`), made the same way with the same RangeError messages for the
 * TypeScript kernels, so a malformed matrix handed to either backend fails alike instead of as a
 * NumericalError on one and a RangeError on the other. O(nnz), small next to a half-sweep.
 */
import type { Csr } from '../matrix/csr.js';

/**
 * Throws the native backend's RangeError for the first malformed part of `m`: an indptr span
 * outside [0, nnz] or decreasing (first bad row), else a column index outside [0, cols) (the
 * smallest row holding one).
 * @example checkCsrForKernel(C, 'confidence'); // passes for a matrix built by buildCsr
 */
export function checkCsrForKernel(m: Pick<Csr, 'rows' | 'cols' | 'indptr' | 'indices'>, name: string): void {
  const nnz = m.indptr[m.rows]!;
  for (let u = 0; u < m.rows; u++) {
    const lo = m.indptr[u]!;
    const hi = m.indptr[u + 1]!;
    if (lo < 0 || hi < lo || hi > nnz) {
      throw new RangeError(`Expected non-decreasing values in [0, indptr[rows]] for ${name}.indptr but received a bad span at row ${u}`);
    }
  }
  for (let u = 0; u < m.rows; u++) {
    for (let p = m.indptr[u]!; p < m.indptr[u + 1]!; p++) {
      const c = m.indices[p]!;
      if (!(c >= 0 && c < m.cols)) {
        throw new RangeError(`Expected column indices in [0, cols) for ${name}.indices but received one outside in row ${u}`);
      }
    }
  }
}

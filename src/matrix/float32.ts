/**
 * The float32 range. Ratings, confidences, factors and the kernels' options are float32: a value
 * that is finite as a double but beyond this rounds to Infinity when stored, so every input that
 * becomes float32 is checked against it at the edge.
 */

/** The largest finite float32, (2 - 2^-23) x 2^127. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Whether `value` is finite and stays finite as a float32.
 * @example isFloat32Finite(1e39) // false, though Number.isFinite(1e39) is true
 */
export function isFloat32Finite(value: number): boolean {
  return Math.abs(value) <= FLOAT32_MAX;
}

/**
 * Seeded problems and float64 oracles for the native addon tests. The addon is optional: when it
 * cannot be loaded the suites are skipped, unless ALSREC_REQUIRE_NATIVE=1 (CI with a toolchain).
 */
import { buildCsr, type Csr } from '../../src/matrix/csr.js';
import { existsSync, readFileSync } from 'node:fs';
import { addonCandidates, loadAddon, loadAddonVariant, type NativeAddon, type NativeVariant } from '../../src/als/native/addon.js';
import { mulberry32 } from '../../src/als/initialFactors.js';

export function tryLoadAddon(): { addon: NativeAddon | null; reason: string } {
  try {
    return { addon: loadAddon(), reason: '' };
  } catch (error) {
    if (process.env.ALSREC_REQUIRE_NATIVE === '1') throw error;
    return { addon: null, reason: (error as Error).message };
  }
}

export interface Problem {
  readonly C: Csr;
  readonly X: Float32Array;
  readonly Y: Float32Array;
  readonly k: number;
}

/**
 * rows x cols with about `density` of the cells stored; values from `value(rand)`; row 0 is left
 * empty (its solution must be zeros). Factors uniform in [-scale, scale).
 */
export function randomProblem(
  seed: number,
  rows: number,
  cols: number,
  k: number,
  density: number,
  value: (rand: () => number) => number = (rand) => 1 + Math.floor(rand() * 5) * 10,
  scale = 0.5,
): Problem {
  const rand = mulberry32(seed);
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  for (let u = 1; u < rows; u++) {
    for (let i = 0; i < cols; i++) {
      if (rand() < density) {
        r.push(u);
        c.push(i);
        v.push(value(rand));
      }
    }
  }
  const C = buildCsr(Int32Array.from(r), Int32Array.from(c), Float32Array.from(v), rows, cols);
  const X = Float32Array.from({ length: rows * k }, () => (rand() * 2 - 1) * scale);
  const Y = Float32Array.from({ length: cols * k }, () => (rand() * 2 - 1) * scale);
  return { C, X, Y, k };
}

/**
 * Row u's normal equations in float64: A = YtY + Yt(Cu - I)Y + lambda*I, b = Yt Cu p(u), where a
 * stored c contributes (|c| - 1) y y^T to A and, if c > 0, c y to b.
 */
export function normalEquations(C: Csr, Y: Float32Array, k: number, lambda: number, u: number): { A: Float64Array; b: Float64Array } {
  const A = new Float64Array(k * k);
  const b = new Float64Array(k);
  for (let i = 0; i < C.cols; i++) {
    for (let a = 0; a < k; a++) for (let d = 0; d < k; d++) A[a * k + d]! += Y[i * k + a]! * Y[i * k + d]!;
  }
  for (let a = 0; a < k; a++) A[a * k + a]! += lambda;
  for (let p = C.indptr[u]!; p < C.indptr[u + 1]!; p++) {
    const i = C.indices[p]!;
    const c = C.data[p]!;
    const w = Math.abs(c) - 1;
    for (let a = 0; a < k; a++) {
      for (let d = 0; d < k; d++) A[a * k + d]! += w * Y[i * k + a]! * Y[i * k + d]!;
      if (c > 0) b[a]! += c * Y[i * k + a]!;
    }
  }
  return { A, b };
}

/** ||A x - b|| / ||b|| in float64. */
export function relativeResidual(A: Float64Array, b: Float64Array, x: ArrayLike<number>, k: number): number {
  let res = 0;
  let norm = 0;
  for (let a = 0; a < k; a++) {
    let s = -b[a]!;
    for (let d = 0; d < k; d++) s += A[a * k + d]! * x[d]!;
    res += s * s;
    norm += b[a]! * b[a]!;
  }
  return Math.sqrt(res) / Math.sqrt(norm);
}

/** Brute-force top-n: score desc, ties to the smaller column, -1/-Infinity padding. */
export function bruteForceTopN(
  X: Float32Array,
  Y: Float32Array,
  k: number,
  rows: Int32Array,
  n: number,
  exclude: Csr | null,
): { items: Int32Array; scores: Float64Array } {
  const cols = Y.length / k;
  const items = new Int32Array(rows.length * n).fill(-1);
  const scores = new Float64Array(rows.length * n).fill(-Infinity);
  rows.forEach((u, r) => {
    const skip = new Set<number>();
    if (exclude !== null) for (let p = exclude.indptr[u]!; p < exclude.indptr[u + 1]!; p++) skip.add(exclude.indices[p]!);
    const cand: { i: number; s: number }[] = [];
    for (let i = 0; i < cols; i++) {
      if (skip.has(i)) continue;
      let s = 0;
      for (let d = 0; d < k; d++) s += X[u * k + d]! * Y[i * k + d]!;
      cand.push({ i, s });
    }
    cand.sort((p, q) => q.s - p.s || p.i - q.i);
    cand.slice(0, n).forEach(({ i, s }, j) => {
      items[r * n + j] = i;
      scores[r * n + j] = s;
    });
  });
  return { items, scores };
}

/**
 * The x86-64 levels this CPU advertises, read from /proc/cpuinfo (an oracle independent of the
 * addon's own __builtin_cpu_supports check); [] where that file or x86-64 is absent.
 */
export function cpuLevels(): Array<'v2' | 'v3' | 'v4'> {
  if (process.arch !== 'x64' || !existsSync('/proc/cpuinfo')) return [];
  const line = /^flags\s*:(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? '';
  const flags = new Set(line.trim().split(/\s+/));
  const has = (...names: string[]) => names.every((n) => flags.has(n));
  const levels: Array<'v2' | 'v3' | 'v4'> = [];
  if (has('sse4_2', 'popcnt', 'ssse3')) levels.push('v2');
  if (levels.length === 1 && has('avx', 'avx2', 'fma', 'bmi1', 'bmi2')) levels.push('v3');
  if (levels.length === 2 && has('avx512f', 'avx512bw', 'avx512dq', 'avx512vl')) levels.push('v4');
  return levels;
}

/**
 * The native variants to run the contract and parity suites on: every x86-64 level this CPU has
 * that is built (in build/Release or prebuilds), plus a -march=native build if present. Under
 * ALSREC_REQUIRE_NATIVE=1 every level the CPU has must be built and load. With ALSREC_NATIVE_PATH
 * set (the sanitizer build), only that build is tested.
 */
export function variantsUnderTest(): NativeVariant[] {
  if (process.env['ALSREC_NATIVE_PATH']) return [];
  const out: NativeVariant[] = [];
  for (const v of ['native', ...cpuLevels()] as NativeVariant[]) {
    if (addonCandidates(v).length === 0) {
      if (v !== 'native' && process.env['ALSREC_REQUIRE_NATIVE'] === '1') throw new Error(`native variant ${v} is not built (ALSREC_REQUIRE_NATIVE=1)`);
      continue;
    }
    loadAddonVariant(v); // throws NativeLoadError if this CPU cannot run it, failing the suite
    out.push(v);
  }
  return out;
}

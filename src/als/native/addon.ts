/**
 * The native addon (`native/binding.cpp`): its whole surface, declared once, and the only place
 * that loads the `.node` file. Everything else goes through {@link loadAddon}.
 *
 * Conventions of the surface (checked again in C++, so a bad call is a TypeError/RangeError, never
 * a crash): factors are row-major Float32Array (rows x k); CSR matrices are Int32Array
 * indptr/indices + Float32Array data. The async functions run on the libuv thread pool and keep
 * their arrays referenced; the caller must not mutate, resize or transfer them until the promise
 * settles.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AlsrecError } from '../../errors.js';
import type { Csr } from '../../matrix/csr.js';

/** A CSR whose values are not read (topN exclusion needs only the pattern). */
export type CsrPattern = Pick<Csr, 'rows' | 'cols' | 'indptr' | 'indices'>;

export interface NativeAddon {
  /**
   * One exact half-sweep: x_u = (YtY + Yt(Cu - I)Y + lambda*I)^-1 Yt Cu p(u) for every row u of
   * `confidence`, written into `X` (rows x k) in place; rows without entries get zeros.
   * Rejects with a {@link NativeRowSolveFailure} if a row's Cholesky factorization fails.
   */
  halfSweepCholesky(
    confidence: Csr,
    X: Float32Array,
    Y: Float32Array,
    k: number,
    regularization: number,
    threads: number,
  ): Promise<void>;
  /** One half-sweep of `cgSteps` conjugate-gradient steps per row, warm-started from X. */
  halfSweepCG(
    confidence: Csr,
    X: Float32Array,
    Y: Float32Array,
    k: number,
    regularization: number,
    cgSteps: number,
    threads: number,
  ): Promise<void>;
  /**
   * The `n` best columns for each of `rows` by score X[u] . Y[i], best first, skipping row u of
   * `exclude`; ties to the smaller column; -1 / -Infinity padding.
   */
  topN(
    X: Float32Array,
    Y: Float32Array,
    k: number,
    rows: Int32Array,
    n: number,
    exclude: CsrPattern | null,
    threads: number,
  ): Promise<{ items: Int32Array; scores: Float32Array }>;
  /** Dense scores X[rows] . Yᵀ, row-major rows.length x (Y rows). */
  scoreRows(X: Float32Array, Y: Float32Array, k: number, rows: Int32Array, threads: number): Promise<Float32Array>;
  /**
   * EASE weights (Steck 2019) for the training matrix `X` (users x items, values used as given):
   * W = Bᵀ, row-major items x items, B = −P / diag(P) column-wise with a zero diagonal,
   * P = (XᵀX + regularization·I)⁻¹ in double precision. score(u, j) = x_u · W_j. Rejects with a
   * {@link NativeRowSolveFailure} (row −1) if XᵀX + λI is not positive definite.
   */
  easeWeights(X: Csr, regularization: number, threads: number): Promise<Float32Array>;
  /** YtY (k x k, symmetric), synchronously: for tests and diagnostics. */
  gram(Y: Float32Array, k: number): Float32Array;
  /** How the addon was compiled. */
  readonly build: {
    readonly napiVersion: number;
    /** SIMD instruction sets Eigen uses, e.g. "AVX512, FMA, AVX2, ...". */
    readonly simd: string;
  };
}

/** The rejection of `halfSweepCholesky` when the factorization of row `row` fails. */
export interface NativeRowSolveFailure extends Error {
  readonly code: 'ERR_ALSREC_ROW_SOLVE';
  readonly row: number;
}

export function isNativeRowSolveFailure(error: unknown): error is NativeRowSolveFailure {
  return (
    error instanceof Error &&
    (error as Partial<NativeRowSolveFailure>).code === 'ERR_ALSREC_ROW_SOLVE' &&
    typeof (error as Partial<NativeRowSolveFailure>).row === 'number'
  );
}

/** The addon could not be loaded; the message lists every path tried and what to do. */
export class NativeLoadError extends AlsrecError {
  readonly tried: readonly string[];
  constructor(tried: readonly string[], causes: readonly string[]) {
    const lines = tried.map((path, i) => `  ${path}: ${causes[i]}`);
    super(
      `The alsrec native addon could not be loaded. Tried:\n${lines.join('\n')}\n` +
        'Build it with `npm run build:native` (needs CMake and a C++17 compiler), ' +
        "or use backend 'ts'.",
      'ERR_ALSREC_NATIVE_UNAVAILABLE',
    );
    this.tried = tried;
  }
}

const ADDON_FILE = join('build', 'Release', 'alsrec_native.node');

/**
 * The package root: the nearest ancestor of this file with alsrec's package.json. This file runs
 * as src/als/native/addon.ts (vitest) and as dist/als/native/addon.js, so the depth varies.
 */
function packageRoot(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'alsrec') return dir;
      } catch {
        // An unreadable package.json is not ours; keep looking upward.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/**
 * Paths to try, in order. ALSREC_NATIVE_PATH, when set, is the only candidate: an explicit choice
 * (e.g. the sanitizer build) must fail loudly rather than fall back to another binary.
 *
 * @example
 * addonCandidates(); // ['/home/me/alsrec/build/Release/alsrec_native.node']
 */
export function addonCandidates(): string[] {
  const override = process.env.ALSREC_NATIVE_PATH;
  if (override !== undefined && override !== '') return [override];
  const root = packageRoot();
  return root === null ? [] : [join(root, ADDON_FILE)];
}

let cached: { addon: NativeAddon; path: string } | null = null;

/**
 * Loads the addon once per module instance (each worker thread loads its own).
 *
 * @throws NativeLoadError naming every path tried and the underlying error.
 * @example
 * const addon = loadAddon();
 * await addon.halfSweepCG(confidence, X, Y, 32, 0.1, 3, 2);
 */
export function loadAddon(): NativeAddon {
  if (cached !== null) return cached.addon;
  const require = createRequire(import.meta.url);
  const tried = addonCandidates();
  const causes: string[] = [];
  for (const path of tried) {
    try {
      cached = { addon: require(path) as NativeAddon, path };
      return cached.addon;
    } catch (error) {
      causes.push(error instanceof Error ? error.message.split('\n')[0]! : String(error));
    }
  }
  if (tried.length === 0) {
    throw new NativeLoadError(['<package root>/' + ADDON_FILE], ['no package.json named alsrec above ' + fileURLToPath(import.meta.url)]);
  }
  throw new NativeLoadError(tried, causes);
}

/** The file the addon was loaded from (loads it if needed). */
export function addonPath(): string {
  loadAddon();
  return cached!.path;
}

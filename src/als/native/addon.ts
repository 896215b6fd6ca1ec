/**
 * The native addon (`native/binding.cpp`): its whole surface, declared once, and the only place
 * that loads the `.node` file. Everything else goes through {@link loadAddon}.
 *
 * Conventions of the surface (checked again in C++, so a bad call is a TypeError/RangeError, never
 * a crash): factors are row-major Float32Array (rows x k); CSR matrices are Int32Array
 * indptr/indices + Float32Array data, over an ArrayBuffer (a SharedArrayBuffer or a detached
 * buffer is a TypeError). The async functions run on the libuv thread pool on copies of their
 * inputs, so an array transferred or changed meanwhile cannot be read after it is freed; a
 * half-sweep writes X back when it settles (rejecting with a TypeError if X was detached). A C++
 * exception becomes an Error with code ERR_ALSREC_NATIVE_OUT_OF_MEMORY or
 * ERR_ALSREC_NATIVE_FAILURE.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AlsrecError, invalidOption } from '../../errors.js';
import type { Csr } from '../../matrix/csr.js';
import type { ObjectiveScaling } from '../objective.js';
import type { PinnedFactors } from '../backend.js';
import { setHugePageAdviser } from '../../matrix/largeArrays.js';
import { hugePageAdviceWanted } from './hugePagePolicy.js';

/** A CSR whose values are not read (topN exclusion needs only the pattern). */
export type CsrPattern = Pick<Csr, 'rows' | 'cols' | 'indptr' | 'indices'>;

export interface NativeAddon {
  /**
   * One exact half-sweep: x_u = (a0*YtY + Yt(Cu - a0*I)Y + lambda_u*I)^-1 Yt Cu p(u) for every
   * row u of `confidence`, written into `X` (rows x k) in place; rows without entries get zeros.
   * Without `objective`, a0 = 1 and lambda_u = regularization (Hu et al.); see objective.ts.
   * Rejects with a {@link NativeRowSolveFailure} if a row's Cholesky factorization fails.
   */
  halfSweepCholesky(
    confidence: Csr,
    X: Float32Array,
    Y: Float32Array,
    k: number,
    regularization: number,
    threads: number,
    objective?: ObjectiveScaling,
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
    objective?: ObjectiveScaling,
  ): Promise<void>;
  /**
   * The `n` best columns for each of `rows` by score X[u] . Y[i], best first, skipping row u of
   * `exclude`; ties to the smaller column; -1 / -Infinity padding.
   */
  topN(
    X: Float32Array,
    Y: Float32Array | PinnedFactors,
    k: number,
    rows: Int32Array,
    n: number,
    exclude: CsrPattern | null,
    threads: number,
  ): Promise<{ items: Int32Array; scores: Float32Array }>;
  /** Dense scores X[rows] . Yᵀ, row-major rows.length x (Y rows). */
  scoreRows(X: Float32Array, Y: Float32Array | PinnedFactors, k: number, rows: Int32Array, threads: number): Promise<Float32Array>;
  /** A copy of Y (rows x k) in addon-owned, immutable memory, taken by topN/scoreRows as Y without a copy per call. */
  pinFactors(Y: Float32Array, k: number): PinnedFactors;
  /**
   * EASE weights (Steck 2019) for the training matrix `X` (users x items, values used as given):
   * W = Bᵀ, row-major items x items, B = −P / diag(P) column-wise with a zero diagonal,
   * P = (XᵀX + regularization·I)⁻¹ in double precision. score(u, j) = x_u · W_j. Rejects with a
   * {@link NativeRowSolveFailure} (row −1) if XᵀX + λI is not positive definite.
   */
  easeWeights(X: Csr, regularization: number, threads: number): Promise<Float32Array>;
  /**
   * Process-wide: glibc's malloc keeps freed memory for reuse (no mmap for large blocks, no heap
   * trimming), so a batch job's phases reuse pages instead of faulting fresh ones in; resident
   * size then stays at its peak. False where the allocator is not glibc. Optional: older builds
   * lack it.
   */
  retainFreedMemory?(): boolean;
  /**
   * madvise(MADV_HUGEPAGE) on the 2 MiB-aligned interior of `view`'s memory, before its first
   * write: its pages are then faulted in 2 MiB at a time. Advice only. Returns the bytes advised.
   * Optional: older builds lack it.
   */
  adviseHugePages?(view: Int32Array | Float32Array | Float64Array): number;
  /** YtY (k x k, symmetric), synchronously: for tests and diagnostics. */
  gram(Y: Float32Array, k: number): Float32Array;
  /** How the addon was compiled. */
  readonly build: {
    readonly napiVersion: number;
    /** SIMD instruction sets Eigen uses, e.g. "AVX512, FMA, AVX2, ...". */
    readonly simd: string;
    /** The build variant: an x86-64 level ("v2", "v3", "v4") or "native" (-march=native). */
    readonly variant: string;
    /** The ISA extensions it was compiled for, space-separated (the module init checks them). */
    readonly targetFeatures: string;
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

/**
 * A build of the addon: an x86-64 level (separate shared objects, see CMakeLists.txt) or
 * "native", a `-march=native` source build for the machine that compiled it.
 */
export type NativeVariant = 'v2' | 'v3' | 'v4' | 'native';

/** The x86-64 levels, best first: the order the loader tries them in. */
export const ISA_LEVELS = ['v4', 'v3', 'v2'] as const;
const VARIANTS: readonly NativeVariant[] = ['native', ...ISA_LEVELS];

/** One file the loader may try. `source` says where it came from. */
export interface AddonCandidate {
  readonly variant: NativeVariant | 'custom';
  readonly path: string;
  readonly source: 'build' | 'prebuild' | 'ALSREC_NATIVE_PATH';
}

/** Which addon the process uses: see {@link nativeInfo}. */
export interface NativeInfo {
  readonly variant: NativeVariant | 'custom';
  readonly path: string;
  readonly source: AddonCandidate['source'];
  /** SIMD instruction sets Eigen uses in this build, e.g. "AVX512, FMA, AVX2, AVX, SSE, ...". */
  readonly simd: string;
}

/** The addon could not be loaded; the message lists every path tried, why, and what to do. */
export class NativeLoadError extends AlsrecError {
  readonly tried: readonly string[];
  /** True when ALSREC_ISA or ALSREC_NATIVE_PATH chose the file: `backend: 'auto'` must not fall back then. */
  readonly forced: boolean;
  constructor(tried: readonly string[], causes: readonly string[], forced = false) {
    const lines = tried.map((path, i) => `  ${path}: ${causes[i]}`);
    super(
      `The alsrec native addon could not be loaded. Tried:\n${lines.join('\n')}\n` +
        (forced
          ? 'Unset ALSREC_ISA / ALSREC_NATIVE_PATH to let alsrec pick the best build this CPU runs.'
          : 'Reinstall alsrec (the npm package ships prebuilt x86-64 Linux binaries), or build from source with ' +
            "`ALSREC_BUILD_FROM_SOURCE=1 npm rebuild alsrec` (needs CMake and a C++17 compiler), or use backend 'ts'."),
      'ERR_ALSREC_NATIVE_UNAVAILABLE',
    );
    this.tried = tried;
    this.forced = forced;
  }
}

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

function fileName(variant: NativeVariant): string {
  return variant === 'native' ? 'alsrec_native.node' : `alsrec_native_${variant}.node`;
}

/** Reads ALSREC_ISA: unset or empty means "the best that loads". */
function forcedVariant(): NativeVariant | null {
  const value = process.env['ALSREC_ISA'];
  if (value === undefined || value === '') return null;
  if (!(VARIANTS as readonly string[]).includes(value)) throw invalidOption('ALSREC_ISA', 'one of v2, v3, v4, native', value);
  return value as NativeVariant;
}

/**
 * Files to try, in order. ALSREC_NATIVE_PATH, when set, is the only candidate: an explicit choice
 * (e.g. the sanitizer build) must fail loudly rather than fall back to another binary. Otherwise,
 * for each variant (`variant`, else ALSREC_ISA, else native then v4, v3, v2): the source build in
 * build/Release/, then the package's prebuilds/<platform>-<arch>/. Files that do not exist are
 * left out.
 *
 * @example
 * addonCandidates(); // [{ variant: 'v4', path: '/app/node_modules/alsrec/prebuilds/linux-x64/alsrec_native_v4.node', ... }, ...]
 */
export function addonCandidates(variant?: NativeVariant): AddonCandidate[] {
  const override = process.env['ALSREC_NATIVE_PATH'];
  if (variant === undefined && override !== undefined && override !== '') {
    return [{ variant: 'custom', path: override, source: 'ALSREC_NATIVE_PATH' }];
  }
  const root = packageRoot();
  if (root === null) return [];
  const wanted = variant !== undefined ? [variant] : ((v) => (v === null ? VARIANTS : [v]))(forcedVariant());
  const candidates: AddonCandidate[] = [];
  for (const v of wanted) {
    const build = join(root, 'build', 'Release', fileName(v));
    if (existsSync(build)) candidates.push({ variant: v, path: build, source: 'build' });
    const prebuild = join(root, 'prebuilds', `${process.platform}-${process.arch}`, fileName(v));
    if (existsSync(prebuild)) candidates.push({ variant: v, path: prebuild, source: 'prebuild' });
  }
  return candidates;
}

interface Loaded {
  readonly addon: NativeAddon;
  readonly candidate: AddonCandidate;
}
const cache = new Map<string, Loaded>();

/**
 * Tries the candidates in order; the first that loads wins. A variant whose CPU check fails
 * (module init throws ERR_ALSREC_CPU_UNSUPPORTED) is skipped, not fatal: that is how a CPU without
 * AVX-512 ends up on v3.
 */
function loadFirst(key: string, candidates: readonly AddonCandidate[], what: string, forced: boolean): Loaded {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const require = createRequire(import.meta.url);
  const causes: string[] = [];
  // Large data-path columns ask the addon for huge pages from now on (largeArrays.ts), unless
  // ALSREC_HUGE_PAGES or the machine says otherwise (hugePagePolicy.ts).
  const adviseHugePages = key === 'default' && hugePageAdviceWanted(process.env);
  for (const candidate of candidates) {
    try {
      const loaded = { addon: require(candidate.path) as NativeAddon, candidate };
      cache.set(key, loaded);
      const addon = loaded.addon;
      if (adviseHugePages && addon.adviseHugePages !== undefined) setHugePageAdviser((view) => addon.adviseHugePages!(view));
      return loaded;
    } catch (error) {
      causes.push(error instanceof Error ? error.message.split('\n')[0]! : String(error));
    }
  }
  if (candidates.length === 0) {
    const root = packageRoot();
    const where = root === null ? `no package.json named alsrec above ${fileURLToPath(import.meta.url)}` : 'no such file';
    throw new NativeLoadError([`${root ?? '<package root>'}/{build/Release,prebuilds/${process.platform}-${process.arch}}/${what}`], [where], forced);
  }
  throw new NativeLoadError(candidates.map((c) => c.path), causes, forced);
}

/**
 * Loads the addon once per module instance (each worker thread loads its own): ALSREC_NATIVE_PATH
 * if set; else the variant ALSREC_ISA names (an error if this CPU cannot run it); else the best
 * that loads: a `-march=native` source build, then the x86-64 levels v4, v3, v2.
 *
 * @throws NativeLoadError naming every path tried and the underlying error.
 * @example
 * const addon = loadAddon();
 * await addon.halfSweepCG(confidence, X, Y, 32, 0.1, 3, 2);
 */
export function loadAddon(): NativeAddon {
  const variant = forcedVariant();
  const override = process.env['ALSREC_NATIVE_PATH'];
  const forced = variant !== null || (override !== undefined && override !== '');
  return loadFirst('default', addonCandidates(), variant === null ? 'alsrec_native*.node' : fileName(variant), forced).addon;
}

/**
 * Loads one variant, ignoring ALSREC_ISA and ALSREC_NATIVE_PATH: for tests and benchmarks that
 * compare variants in one process.
 *
 * @throws NativeLoadError when it is not built or this CPU cannot run it.
 * @example
 * const v3 = loadAddonVariant('v3');
 * v3.build.variant; // 'v3'
 */
export function loadAddonVariant(variant: NativeVariant): NativeAddon {
  return loadFirst(variant, addonCandidates(variant), fileName(variant), true).addon;
}

/** The file the addon was loaded from (loads it if needed). */
export function addonPath(): string {
  loadAddon();
  return cache.get('default')!.candidate.path;
}

/**
 * Which native build this process uses (loading it if needed), or null when none loads (the TS
 * backend is then used by `backend: 'auto'`).
 *
 * @example
 * import { nativeInfo } from 'alsrec';
 * nativeInfo(); // { variant: 'v4', source: 'prebuild', path: '.../alsrec_native_v4.node', simd: 'AVX512, FMA, ...' }
 */
export function nativeInfo(): NativeInfo | null {
  try {
    const addon = loadAddon();
    const { candidate } = cache.get('default')!;
    return { variant: candidate.variant, path: candidate.path, source: candidate.source, simd: addon.build.simd };
  } catch {
    return null;
  }
}

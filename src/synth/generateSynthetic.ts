/**
 * Synthetic implicit-feedback matrices shaped like MovieLens: log-normal user activity and Zipf
 * item popularity, generated from counter-based SplitMix64 so that any implementation of the spec
 * (`/work/shared/bench/SYNTHETIC.md`, e.g. a Python one for the `implicit` comparison) produces
 * the same matrix from the same parameters. Glossary, as in the spec:
 *
 *   U, I, NNZ   users, items, target number of ratings;  sigma = 1.2, s = 1 (Zipf), n_min = 5,
 *               n_max = floor(I / 4)
 *   w_u         activity of user u: exp(sigma * z), z standard normal by Box-Muller
 *   n_u         ratings of user u: clamp(floor(NNZ * w_u / W + 0.5), n_min, n_max), W = sum of w_u
 *   cdf         prefix sums of the Zipf weights 1 / (rank + 1); rank r is item perm[r]
 */
import { AlsrecError, invalidOption } from '../errors.js';
import type { Csr } from '../matrix/csr.js';
import { add64, GAMMA_HI, GAMMA_LO, mix64, u64, unif, type U64 } from './splitMix64.js';

/** Parameters of one synthetic matrix. */
export interface SyntheticParams {
  /** Number of users (rows), >= 1. */
  readonly users: number;
  /** Number of items (columns), >= 20 so that n_max = floor(items / 4) >= n_min = 5. */
  readonly items: number;
  /** Target number of ratings; the actual count differs by rounding and clamping. */
  readonly nnz: number;
  /** Seed in [0, 2^32), placed in the high word of every key (`seed << 32`). */
  readonly seed: number;
}

/** Optional hooks for {@link generateSynthetic}. */
export interface GenerateOptions {
  /** Called with the number of users generated so far, about every 1% of users and at the end. */
  readonly onProgress?: (usersDone: number, users: number) => void;
}

/** The spec's standard sizes; their checksums are in the spec and the tests. */
export const SYNTH_PRESETS = {
  'synth-1m': { users: 20_000, items: 10_000, nnz: 1_000_000, seed: 1 },
  'synth-10m': { users: 150_000, items: 30_000, nnz: 10_000_000, seed: 2 },
  // 100,045,876 ratings, a 2.58 GB CSV: for data-path and scale benchmarks (no checksum in the spec).
  'synth-100m': { users: 1_000_000, items: 100_000, nnz: 100_000_000, seed: 3 },
} as const satisfies Record<string, SyntheticParams>;

export type SynthPresetName = keyof typeof SYNTH_PRESETS;

const SIGMA = 1.2;
const N_MIN = 5;
const INT32_MAX = 2147483647;
const UINT32_MAX = 4294967295;

/**
 * Inclusive bounds of each parameter. Indices are int32, so users, items and the stored count
 * must fit; users * n_min is the fewest entries any matrix has. The seed is one 32-bit word.
 */
export const SYNTH_PARAM_BOUNDS: Readonly<Record<keyof SyntheticParams, readonly [number, number]>> = {
  users: [1, Math.floor(INT32_MAX / N_MIN)],
  items: [4 * N_MIN, INT32_MAX],
  nnz: [1, INT32_MAX],
  seed: [0, UINT32_MAX],
};

/**
 * Checks every parameter at once and returns them as a plain object. `optionName` maps a
 * parameter to the name used in messages (the CLI passes `k => '--' + k`).
 *
 * @example
 * validateSyntheticParams({ users: 0, items: 100, nnz: 1000, seed: 1 });
 * // throws: Expected an integer >= 1 for users but received 0 of type number
 */
export function validateSyntheticParams(
  params: SyntheticParams,
  optionName: (param: keyof SyntheticParams) => string = (param) => param,
): SyntheticParams {
  if (typeof params !== 'object' || params === null) throw invalidOption('params', 'an object', params);
  for (const key of ['users', 'items', 'nnz', 'seed'] as const) {
    const [min, max] = SYNTH_PARAM_BOUNDS[key];
    const value: unknown = params[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
      throw invalidOption(optionName(key), `an integer >= ${min}`, value);
    }
    if (value > max) throw invalidOption(optionName(key), `an integer <= ${max}`, value);
  }
  return { users: params.users, items: params.items, nnz: params.nnz, seed: params.seed };
}

/**
 * Generates the synthetic rating matrix of the spec: users as rows, items as columns, values
 * 1..5, column indices ascending within each row. Deterministic in the parameters.
 *
 * Memory is the output (8 bytes per entry plus 4 per user) and O(users + items) scratch.
 *
 * @example
 * const m = generateSynthetic({ users: 50, items: 200, nnz: 2000, seed: 7 });
 * m.indptr[50]; // 1308
 */
export function generateSynthetic(params: SyntheticParams, options: GenerateOptions = {}): Csr {
  const { users, items, nnz, seed } = validateSyntheticParams(params);
  const counts = userCounts(users, items, nnz, seed);
  const indptr = new Int32Array(users + 1);
  let total = 0;
  for (let u = 0; u < users; u++) {
    total += counts[u]!;
    if (total > INT32_MAX) {
      throw new AlsrecError(
        `The synthetic matrix would have more than ${INT32_MAX} entries (int32 indptr); lower nnz or users`,
      );
    }
    indptr[u + 1] = total;
  }
  const { cdf, perm } = popularity(items, seed);
  const indices = new Int32Array(total);
  const data = new Float32Array(total);
  // marker[item] === u + 1 once user u has the item; valueOf[item] is its first drawn value.
  const marker = new Int32Array(items);
  const valueOf = new Uint8Array(items);
  const zipfTotal = cdf[items - 1]!;
  const state = u64(0, 0);
  const r = u64(0, 0);
  const progressStep = Math.max(1, Math.floor(users / 100));
  for (let u = 0; u < users; u++) {
    const start = indptr[u]!;
    const end = indptr[u + 1]!;
    // key_u = mix64((seed << 32) | (u + 1)); draw j mixes key_u + (j + 1) * GAMMA.
    state.hi = seed | 0;
    state.lo = (u + 1) | 0;
    mix64(state);
    const stamp = u + 1;
    let p = start;
    while (p < end) {
      add64(state, GAMMA_HI, GAMMA_LO);
      r.hi = state.hi;
      r.lo = state.lo;
      mix64(r);
      const item = perm[firstAbove(cdf, unif(r) * zipfTotal)]!;
      if (marker[item] === stamp) continue;
      marker[item] = stamp;
      valueOf[item] = 1 + ((r.lo & 0x7ff) % 5);
      indices[p++] = item;
    }
    indices.subarray(start, end).sort();
    for (let q = start; q < end; q++) data[q] = valueOf[indices[q]!]!;
    if (options.onProgress !== undefined && ((u + 1) % progressStep === 0 || u + 1 === users)) {
      options.onProgress(u + 1, users);
    }
  }
  return { rows: users, cols: items, indptr, indices, data };
}

/** Step 1: n_u from log-normal activity, w_u = exp(sigma * z) with z by Box-Muller. */
function userCounts(users: number, items: number, nnz: number, seed: number): Float64Array {
  const nMax = Math.floor(items / 4);
  const w = new Float64Array(users);
  // key_act = mix64(seed << 32); draws 2u and 2u + 1 are consecutive states key_act + k * GAMMA.
  const state = u64(seed, 0);
  mix64(state);
  const r = u64(0, 0);
  let sumW = 0;
  for (let u = 0; u < users; u++) {
    const u1 = nextUnif(state, r);
    const u2 = nextUnif(state, r);
    const z = Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    w[u] = Math.exp(SIGMA * z);
    sumW += w[u]!; // sequential sum, as the spec requires for bit-identical results
  }
  for (let u = 0; u < users; u++) {
    const n = Math.floor((nnz * w[u]!) / sumW + 0.5);
    w[u] = Math.min(Math.max(n, N_MIN), nMax);
  }
  return w;
}

/** Advances a SplitMix64 state by GAMMA and returns unif of its mixed output (r is scratch). */
function nextUnif(state: U64, r: U64): number {
  add64(state, GAMMA_HI, GAMMA_LO);
  r.hi = state.hi;
  r.lo = state.lo;
  mix64(r);
  return unif(r);
}

/**
 * Step 2: the Zipf cdf over ranks (cdf[r] = sum of 1 / (k + 1) for k <= r, summed in order) and
 * perm, the item ids sorted by the uint64 key rand64(key_perm, id).
 */
function popularity(items: number, seed: number): { cdf: Float64Array; perm: Int32Array } {
  const cdf = new Float64Array(items);
  let sum = 0;
  for (let rank = 0; rank < items; rank++) {
    sum += 1.0 / (rank + 1);
    cdf[rank] = sum;
  }
  const keyHi = new Uint32Array(items);
  const keyLo = new Uint32Array(items);
  const state = u64(seed, 0xffffffff);
  mix64(state);
  const r = u64(0, 0);
  for (let id = 0; id < items; id++) {
    add64(state, GAMMA_HI, GAMMA_LO);
    r.hi = state.hi;
    r.lo = state.lo;
    mix64(r);
    keyHi[id] = r.hi;
    keyLo[id] = r.lo;
  }
  // Unsigned comparison of (hi, lo); ties (probability ~ I^2 / 2^65) fall back to the id.
  const ids = Array.from({ length: items }, (_, id) => id);
  ids.sort((a, b) => keyHi[a]! - keyHi[b]! || keyLo[a]! - keyLo[b]! || a - b);
  return { cdf, perm: Int32Array.from(ids) };
}

/**
 * The first rank with cdf[rank] > t, by binary search. t < cdf[last] always in exact arithmetic;
 * should rounding make t equal to the total, the last rank is returned.
 */
function firstAbove(cdf: Float64Array, t: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid]! > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

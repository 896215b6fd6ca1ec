/**
 * ALS options: defaults, and validation done once at the edge, with messages that name the option.
 */
import { availableParallelism } from 'node:os';
import { invalidOption } from '../errors.js';
import type { Solver } from './backend.js';
import { FLOAT32_MAX, isFloat32Finite } from '../matrix/float32.js';

export type BackendChoice = 'auto' | 'native' | 'ts';

/** Called after every iteration (both half-sweeps); `loss` only when calculateTrainingLoss is on. */
export type IterationCallback = (iteration: number, seconds: number, loss?: number) => void;

export interface AlsOptions {
  /** Latent factors per user and movie (k). Default 50. */
  factors?: number;
  /** lambda, the L2 penalty on all factors. Default 0.01. */
  regularization?: number;
  /** Confidence scale: c_ui = alpha * r_ui. Default 1.0 (ratings as confidence). */
  alpha?: number;
  /**
   * Recency weighting, in days: each rating's confidence is halved for every `recencyHalfLife`
   * days it precedes the user's latest rating, c_ui = alpha * r_ui * 2^(-age_ui / recencyHalfLife)
   * (Ding & Li 2005). Needs the interactions' timestamps. Default 0: off.
   */
  recencyHalfLife?: number;
  /** Full ALS iterations (user half-sweep, then item half-sweep). Default 20. */
  iterations?: number;
  /** 'cg' (conjugate gradient, default) or 'cholesky' (exact per-row solve). */
  solver?: Solver;
  /** CG steps per row and half-sweep. Default 3. */
  cgSteps?: number;
  /** Seed of the initial factors. Default 0, so runs reproduce. */
  seed?: number;
  /** Worker threads of the native backend. Default: the cores available. */
  threads?: number;
  /** 'auto' (native when it loads, else TS with a warning), 'native' or 'ts'. Default: env ALSREC_BACKEND, else 'auto'. */
  backend?: BackendChoice;
  /** Compute the training loss after every iteration (costs about one extra half-sweep of work). */
  calculateTrainingLoss?: boolean;
  onIteration?: IterationCallback;
}

export interface ResolvedAlsOptions {
  readonly factors: number;
  readonly regularization: number;
  readonly alpha: number;
  readonly recencyHalfLife: number;
  readonly iterations: number;
  readonly solver: Solver;
  readonly cgSteps: number;
  readonly seed: number;
  readonly threads: number;
  readonly backend: BackendChoice;
  readonly calculateTrainingLoss: boolean;
  readonly onIteration: IterationCallback | undefined;
}

/**
 * The most factors (k) a model may have; the native addon enforces the same cap (kMaxFactors in
 * native/als_kernels.hpp). A k x k system is then at most 128 MiB in float64.
 */
export const MAX_FACTORS = 4096;

export const DEFAULT_ALS_OPTIONS = {
  factors: 50,
  regularization: 0.01,
  alpha: 1.0,
  recencyHalfLife: 0,
  iterations: 20,
  solver: 'cg' as Solver,
  cgSteps: 3,
  seed: 0,
} as const;

const KNOWN = new Set([
  'factors', 'regularization', 'alpha', 'recencyHalfLife', 'iterations', 'solver', 'cgSteps', 'seed', 'threads',
  'backend', 'calculateTrainingLoss', 'onIteration',
]);

/** Validates `options` and fills in defaults. Throws InvalidOptionError naming the option. */
export function resolveAlsOptions(options: AlsOptions = {}): ResolvedAlsOptions {
  if (options === null || typeof options !== 'object') throw invalidOption('options', 'an object', options);
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw invalidOption('options', `only known option names (${[...KNOWN].join(', ')})`, key);
  }
  const o = options;
  return {
    factors: integerIn('factors', o.factors ?? DEFAULT_ALS_OPTIONS.factors, 1, MAX_FACTORS),
    regularization: finiteAtLeast('regularization', o.regularization ?? DEFAULT_ALS_OPTIONS.regularization, 0),
    alpha: positiveFinite('alpha', o.alpha ?? DEFAULT_ALS_OPTIONS.alpha),
    recencyHalfLife: finiteAtLeast('recencyHalfLife', o.recencyHalfLife ?? DEFAULT_ALS_OPTIONS.recencyHalfLife, 0),
    iterations: integerIn('iterations', o.iterations ?? DEFAULT_ALS_OPTIONS.iterations, 0, 100_000),
    solver: oneOf('solver', o.solver ?? DEFAULT_ALS_OPTIONS.solver, ['cg', 'cholesky'] as const),
    cgSteps: integerIn('cgSteps', o.cgSteps ?? DEFAULT_ALS_OPTIONS.cgSteps, 1, 4096),
    seed: integerIn('seed', o.seed ?? DEFAULT_ALS_OPTIONS.seed, 0, 2 ** 32 - 1),
    threads: integerIn('threads', o.threads ?? availableParallelism(), 1, 1024),
    backend: oneOf('backend', o.backend ?? backendFromEnv(), ['auto', 'native', 'ts'] as const),
    calculateTrainingLoss: bool('calculateTrainingLoss', o.calculateTrainingLoss ?? false),
    onIteration: callback('onIteration', o.onIteration),
  };
}

function backendFromEnv(): BackendChoice {
  const env = process.env.ALSREC_BACKEND;
  if (env === undefined || env === '') return 'auto';
  return oneOf('ALSREC_BACKEND', env, ['auto', 'native', 'ts'] as const);
}

export function integerIn(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidOption(name, `an integer between ${min} and ${max}`, value);
  }
  return value;
}

export function finiteAtLeast(name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw invalidOption(name, `a finite number >= ${min}`, value);
  }
  return withinFloat32(name, value, `a finite number >= ${min}`);
}

export function positiveFinite(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw invalidOption(name, 'a finite number > 0', value);
  }
  return withinFloat32(name, value, 'a finite number > 0');
}

/** `value`, refused when it is finite as a double but would round to infinity as a float32. */
function withinFloat32(name: string, value: number, expected: string): number {
  if (!isFloat32Finite(value)) throw invalidOption(name, `${expected} within the float32 range (<= ${FLOAT32_MAX})`, value);
  return value;
}

export function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalidOption(name, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, value);
  }
  return value as T;
}

function bool(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw invalidOption(name, 'a boolean', value);
  return value;
}

function callback(name: string, value: unknown): IterationCallback | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') throw invalidOption(name, 'a function', value);
  return value as IterationCallback;
}

/**
 * Training: the ALS iteration loop (Hu, Koren & Volinsky 2008), alternating a half-sweep over the
 * users and one over the items on the chosen backend. Progress and loss live here, above the
 * backend that does each half-sweep (as in implicit, where Python drives the Cython kernels).
 */
import type { Interactions } from '../matrix/interactions.js';
import { transposeCsr } from '../matrix/csr.js';
import { invalidOption } from '../errors.js';
import type { ResolvedAlsOptions } from './options.js';
import type { AlsBackend, HalfSweepOptions } from './backend.js';
import { selectBackend } from './selectBackend.js';
import { initialFactors } from './initialFactors.js';
import { trainingLoss } from './trainingLoss.js';
import { confidenceMatrix } from './confidenceMatrix.js';
import { halfSweepScaling } from './objective.js';
import { checkInteractions } from './checkFittedState.js';
import { modelInfoNow } from '../persistence/modelInfo.js';
import { assertFiniteFactors, halfSweepNamed } from './namedHalfSweep.js';
import type { FittedState } from './fittedState.js';

export interface FitOptions {
  /**
   * Start from these factors (row-major users x factors and movies x factors; copied) instead of
   * the seeded random ones, e.g. to continue training or to study sensitivity.
   */
  initialFactors?: { readonly userFactors: Float32Array; readonly itemFactors: Float32Array };
}

/**
 * Trains factors on `data` with options `o` (confidence c = alpha * r, or 1 + alpha * |r| with
 * convention 'spark'; docs/model.md): `o.iterations` alternations of a user and an item
 * half-sweep, `o.onIteration` called after each. Native half-sweeps run off the main thread; the
 * TS backend yields to the event loop between iterations.
 * @returns the fitted state and the backend that computed it.
 * @throws NumericalError naming the user or item whose solve failed or whose factors are not finite.
 * @example const { state } = await trainFactors(buildInteractions(dataset), resolveAlsOptions({ factors: 32 }));
 */
export async function trainFactors(
  data: Interactions,
  o: ResolvedAlsOptions,
  fitOptions: FitOptions = {},
): Promise<{ state: FittedState; backend: AlsBackend }> {
  checkInteractions(data, 'data');
  if (fitOptions === null || typeof fitOptions !== 'object') throw invalidOption('fitOptions', 'an object', fitOptions);
  const backend = selectBackend(o.backend);
  const k = o.factors;
  const Cui = confidenceMatrix(data, o.alpha, o.recencyHalfLife, o.convention);
  const Ciu = transposeCsr(Cui);
  const { userFactors, itemFactors } = startingFactors(Cui.rows, Cui.cols, k, o.seed, fitOptions.initialFactors);
  const sweep: HalfSweepOptions = { solver: o.solver, regularization: o.regularization, cgSteps: o.cgSteps, threads: o.threads };
  const userSweep: HalfSweepOptions = { ...sweep, objective: halfSweepScaling(o, Cui.cols) };
  const itemSweep: HalfSweepOptions = { ...sweep, objective: halfSweepScaling(o, Cui.rows) };
  const history = { loss: [] as number[], seconds: [] as number[] };
  for (let it = 1; it <= o.iterations; it++) {
    const t0 = performance.now();
    await halfSweepNamed(backend, Cui, userFactors, itemFactors, k, userSweep, (row) => `user ${data.users.id(row)}`);
    await halfSweepNamed(backend, Ciu, itemFactors, userFactors, k, itemSweep, (row) => `item ${data.items.id(row)}`);
    const seconds = (performance.now() - t0) / 1000;
    const loss = o.calculateTrainingLoss ? trainingLoss(Cui, userFactors, itemFactors, k, o.regularization, o) : undefined;
    if (loss !== undefined) {
      history.loss.push(loss);
      history.seconds.push(seconds);
    }
    o.onIteration?.(it, seconds, loss);
    // The TS backend computes on the main thread: let timers and I/O run between iterations.
    if (backend.name === 'ts') await new Promise((resolve) => setImmediate(resolve));
  }
  assertFiniteFactors(userFactors, k, (row) => `user ${data.users.id(row)}`);
  assertFiniteFactors(itemFactors, k, (row) => `item ${data.items.id(row)}`);
  let state: FittedState = { users: data.users, items: data.items, liked: data.matrix, movies: data.movies, userFactors, itemFactors, info: modelInfoNow() };
  if (history.loss.length > 0) state = { ...state, trainingLoss: history };
  return { state, backend };
}

/** The seeded random factors, or copies of the given ones after checking their shapes. */
function startingFactors(users: number, items: number, k: number, seed: number, given: FitOptions['initialFactors']) {
  if (given === undefined) return initialFactors(users, items, k, seed);
  if (!(given.userFactors instanceof Float32Array) || given.userFactors.length !== users * k) {
    throw invalidOption('initialFactors.userFactors', `a Float32Array of length ${users} x ${k}`, given.userFactors);
  }
  if (!(given.itemFactors instanceof Float32Array) || given.itemFactors.length !== items * k) {
    throw invalidOption('initialFactors.itemFactors', `a Float32Array of length ${items} x ${k}`, given.itemFactors);
  }
  return { userFactors: given.userFactors.slice(), itemFactors: given.itemFactors.slice() };
}

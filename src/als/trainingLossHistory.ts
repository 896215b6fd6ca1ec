/**
 * The training loss recorded after each iteration of a fit (when `calculateTrainingLoss` is on),
 * kept with the model and saved in its file's optional `LOSS` section (docs/model-format.md), so
 * the dashboard can draw the loss curve of the model it serves.
 */

/** One entry per iteration, in order: `loss[j]` and `seconds[j]` are iteration j + 1's. */
export interface TrainingLossHistory {
  /** The normalised objective after the iteration (trainingLoss.ts). */
  readonly loss: readonly number[];
  /** The iteration's wall time in seconds (both half-sweeps, without the loss computation). */
  readonly seconds: readonly number[];
}

/** More iterations than any fit runs (options cap iterations far below). */
const MAX_ENTRIES = 1_000_000;

/**
 * Why `value` is not a loss history, or null when it is one: an object with `loss` and
 * `seconds` arrays of equal length (at least 1) holding finite numbers >= 0.
 * @example trainingLossHistoryProblem({ loss: [0.2, 0.1], seconds: [0.01, 0.01] }); // null
 */
export function trainingLossHistoryProblem(value: unknown): string | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'it is not a JSON object';
  const { loss, seconds } = value as Record<string, unknown>;
  for (const [name, list] of [['loss', loss], ['seconds', seconds]] as const) {
    if (!Array.isArray(list) || list.length === 0 || list.length > MAX_ENTRIES) return `its ${name} is not a non-empty array`;
    const bad = list.findIndex((x) => typeof x !== 'number' || !Number.isFinite(x) || x < 0);
    if (bad >= 0) return `its ${name}[${bad}] is not a finite number >= 0`;
  }
  if ((loss as unknown[]).length !== (seconds as unknown[]).length) return 'its loss and seconds differ in length';
  return null;
}

/**
 * Load → matrix → fit, as the training commands share it, with per-iteration progress on stderr.
 */
import type { Dataset } from '../data/dataset.js';
import { isEventFile, loadDatasetFromCli, loadOptionsFromCli } from './loadDatasetFromCli.js';
import { buildInteractions, type Interactions } from '../matrix/interactions.js';
import { withExternalIds } from '../data/withExternalIds.js';
import { ALS } from '../als/model.js';
import { resolveAlsOptions, type AlsOptions } from '../als/options.js';
import { alsOptionsFrom, type AlsCliValues } from './alsCliOptions.js';

export interface TrainedFromCli {
  readonly dataset: Dataset;
  readonly interactions: Interactions;
  readonly model: ALS;
  readonly loadSeconds: number;
  readonly fitSeconds: number;
}

/** Writes one line of progress (stderr by default, so stdout stays clean for --json). */
export type ProgressLine = (line: string) => void;

export const stderrLine: ProgressLine = (line) => process.stderr.write(`${line}\n`);

/** A data-path phase's wall time and the bytes of the typed arrays it allocated (see loadMovieLens). */
export interface PhaseTiming {
  readonly phase: string;
  readonly seconds: number;
  readonly bytes: number;
}

export async function loadDataset(values: AlsCliValues, progress: ProgressLine, phases?: PhaseTiming[]): Promise<{ dataset: Dataset; loadSeconds: number }> {
  // Bad option values fail before the (slow) load, not after it.
  resolveAlsOptions(alsOptionsFrom(values));
  if (isEventFile(values)) loadOptionsFromCli(values);
  const t0 = performance.now();
  const dataset = await loadDatasetFromCli(values, progress, phases === undefined ? undefined : (phase, seconds, bytes) => phases.push({ phase, seconds, bytes }));
  const loadSeconds = (performance.now() - t0) / 1000;
  for (const w of dataset.warnings) progress(`warning: ${w}`);
  return { dataset, loadSeconds };
}

export interface IterationRecord {
  readonly iteration: number;
  readonly seconds: number;
  readonly loss?: number;
}

/** Fits a model, reporting a line per iteration; also returns the iterations' records. */
export async function fitWithProgress(
  interactions: Interactions,
  options: AlsOptions,
  progress: ProgressLine,
): Promise<{ model: ALS; fitSeconds: number; iterations: IterationRecord[] }> {
  const total = new ALS(options).options.iterations;
  const iterations: IterationRecord[] = [];
  const model = new ALS({
    ...options,
    onIteration: (iteration, seconds, loss) => {
      iterations.push(loss === undefined ? { iteration, seconds } : { iteration, seconds, loss });
      progress(`  iteration ${String(iteration).padStart(3)}/${total}  ${seconds.toFixed(3)} s${loss === undefined ? '' : `  loss ${loss.toFixed(6)}`}`);
    },
  });
  const t0 = performance.now();
  await model.fit(interactions);
  return { model, fitSeconds: (performance.now() - t0) / 1000, iterations };
}

export async function trainFromCli(values: AlsCliValues, progress: ProgressLine, extra: AlsOptions = {}): Promise<TrainedFromCli> {
  const { dataset, loadSeconds } = await loadDataset(values, progress);
  const interactions = withExternalIds(buildInteractions(dataset), dataset);
  const { model, fitSeconds } = await fitWithProgress(interactions, { ...alsOptionsFrom(values), ...extra }, progress);
  return { dataset, interactions, model, loadSeconds, fitSeconds };
}

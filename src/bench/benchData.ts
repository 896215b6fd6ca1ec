/**
 * The data a benchmark runs on: `ml-100k` (the train split of the temporal leave-last-out, 99,057
 * ratings, as in the reference timings), the synthetic presets, `synth:USERS:ITEMS:NNZ[:SEED]`,
 * or any MovieLens folder.
 */
import { loadMovieLens } from '../data/loadMovieLens.js';
import { resolveDataDir } from '../data/resolveDataDir.js';
import { buildInteractions, type Interactions } from '../matrix/interactions.js';
import { IdMap } from '../matrix/idMap.js';
import { temporalLeaveLastOutOf } from '../eval/temporalLeaveLastOut.js';
import { generateSynthetic, SYNTH_PRESETS, validateSyntheticParams, type SyntheticParams } from '../synth/generateSynthetic.js';
import { invalidOption } from '../errors.js';

export interface BenchData {
  readonly name: string;
  readonly interactions: Interactions;
  /** Seconds to load or generate the data and build the matrix. */
  readonly loadSeconds: number;
}

/** Parses `synth-1m`, `synth-10m` or `synth:U:I:N[:S]`; null for other names. */
export function syntheticParams(spec: string): SyntheticParams | null {
  if (spec in SYNTH_PRESETS) return SYNTH_PRESETS[spec as keyof typeof SYNTH_PRESETS];
  const m = /^synth:(\d+):(\d+):(\d+)(?::(\d+))?$/.exec(spec);
  if (m === null) {
    if (spec.startsWith('synth')) throw invalidOption('--data', 'synth-1m, synth-10m or synth:USERS:ITEMS:NNZ[:SEED]', spec);
    return null;
  }
  return validateSyntheticParams({ users: Number(m[1]), items: Number(m[2]), nnz: Number(m[3]), seed: Number(m[4] ?? 1) }, (k) => `--data ${k}`);
}

export async function loadBenchData(spec: string): Promise<BenchData> {
  const t0 = performance.now();
  const synth = syntheticParams(spec);
  if (synth !== null) {
    const matrix = generateSynthetic(synth);
    const users = IdMap.fromOrderedIds(Int32Array.from({ length: matrix.rows }, (_, j) => j));
    const items = IdMap.fromOrderedIds(Int32Array.from({ length: matrix.cols }, (_, j) => j));
    return { name: spec, interactions: { users, items, matrix, movies: new Map() }, loadSeconds: (performance.now() - t0) / 1000 };
  }
  const dir = resolveDataDir(spec === 'ml-100k' ? undefined : spec);
  const dataset = await loadMovieLens(dir);
  const all = buildInteractions(dataset);
  // ML-100K is benchmarked on its leave-last-out train split, like the reference timings.
  const interactions = spec === 'ml-100k' ? temporalLeaveLastOutOf(all).train : all;
  return { name: spec, interactions, loadSeconds: (performance.now() - t0) / 1000 };
}

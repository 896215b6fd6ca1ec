/**
 * What `alsrec evaluate --model m.alsrec` does: the saved (or Spark-imported) model against
 * held-out interactions, no training. `--data` is either
 * - a file of held-out interactions (.parquet from export-interactions, ratings.csv, ratings.dat,
 *   u.data): all of them are the test set, or, when `--split` is given, the test side of that
 *   split of the file (its train side is then excluded from rankings if the model holds no
 *   training interactions of its own);
 * - a dataset folder (default $MOVIELENS_DIR): the test side of its `--split` (default
 *   leave-last-out) on the first of `--seeds`, the split `evaluate` trains on, so a model trained
 *   on that split's train side is evaluated on exactly the ratings it never saw.
 * Each user's training items are excluded from the ranking (see eval/evaluateHeldOut.ts).
 */
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import type { RatingColumns } from '../../data/dataset.js';
import { loadMovieLens } from '../../data/loadMovieLens.js';
import { resolveDataDir } from '../../data/resolveDataDir.js';
import { resolveKs } from '../../eval/evaluate.js';
import { evaluateHeldOut, type HeldOutEvaluation } from '../../eval/evaluateHeldOut.js';
import { splitByName } from '../../eval/splitByName.js';
import { metricsByKey } from '../../eval/summarizeSeeds.js';
import { readInteractions } from '../../spark/importSparkModel.js';
import { InvalidOptionError } from '../../errors.js';
import { count, seconds } from '../format.js';
import { stderrLine } from '../trainFromCli.js';
import { loadModelFromCli } from './recommend.js';
import { metricsTable, splitParameters } from './evaluate.js';
import type { EvaluateValues } from '../commands/evaluate.js';

/** Options that only make sense when evaluate trains (the ALS options are checked by loadModelFromCli). */
const TRAINING_ONLY = [
  ['report', '--report'], ['baselines', '--baselines'], ['knnWeighting', '--knn-weighting'], ['knnNeighbours', '--knn-neighbours'],
  ['easeRegularization', '--ease-regularization'], ['easeMaxBytes', '--ease-max-bytes'], ['folds', '--folds'],
] as const;

/**
 * Runs `evaluate --model` with the values commander parsed; `given(name)` says whether the option
 * was on the command line (so `--split`'s default does not split a test file).
 * @example await runEvaluateModel({ model: 'spark.alsrec', data: 'test.parquet', k: [10], seeds: [0], split: 'leave-last-out', ... }, () => false);
 */
export async function runEvaluateModel(v: EvaluateValues & { model: string }, given: (option: string) => boolean): Promise<void> {
  const started = performance.now();
  for (const [key, flag] of TRAINING_ONLY) {
    if (given(key)) throw new InvalidOptionError(flag, `${flag} cannot be used with --model: evaluate --model scores the saved model alone, without training`);
  }
  const k = resolveKs(v.k);
  const model = await loadModelFromCli({ ...v, data: undefined, model: v.model });
  const seed = v.seeds[0] ?? 0;
  const held = await heldOutRatings(v, given('split'), seed);
  stderrLine(`${held.description}: ${count(held.test.users.length)} held-out interactions; evaluating ${v.model}`);
  const result = await evaluateHeldOut(model, held.test, { k, name: basename(v.model), ...(held.exclude === undefined ? {} : { exclude: held.exclude }) });
  for (const line of notes(result, held.exclude !== undefined)) stderrLine(`warning: ${line}`);
  const metrics = metricsByKey(result.evaluation);
  const total = (performance.now() - started) / 1000;

  if (v.json) {
    const doc = {
      model: v.model,
      data: held.path,
      split: held.split,
      k,
      test: result.test,
      users: result.evaluation.users,
      excluded: { from: result.excluded, interactions: result.excludedInteractions },
      metrics,
      seconds: total,
    };
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    return;
  }
  const t = result.test;
  const out = [
    `Held out: ${held.description}`,
    `  ${count(t.used)} of ${count(t.given)} interactions evaluated for ${count(result.evaluation.users)} users`
      + ` (skipped: ${count(t.unknownUser)} unknown user, ${count(t.unknownItem)} unknown item, ${count(t.inTraining)} in training)`,
    `Excluded from rankings: ${exclusionText(result)}; full ranking`,
    ...metricsTable([{ name: result.evaluation.model, cells: Object.fromEntries(Object.entries(metrics).map(([key, m]) => [key, Number.isNaN(m) ? '-' : m.toFixed(4)])) }]),
    `Evaluation ${seconds(result.evaluation.seconds)}; total ${seconds(total)}`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

interface HeldOut {
  readonly path: string;
  readonly description: string;
  readonly split: { name: string; seed: number; description: string } | null;
  readonly test: RatingColumns;
  readonly exclude?: RatingColumns;
}

/** The held-out ratings `--data` names (a file, or a folder's split), and the split's train side. */
async function heldOutRatings(v: EvaluateValues, splitGiven: boolean, seed: number): Promise<HeldOut> {
  if (v.data !== undefined && v.data.trim() !== '' && isFile(v.data)) {
    const ratings = await readInteractions(v.data, (line) => stderrLine(`warning: ${line}`));
    if (!splitGiven) return { path: v.data, description: `every interaction of ${v.data}`, split: null, test: ratings };
    const split = splitByName(ratings, v.split, seed, splitParameters(v));
    return { path: v.data, description: `${split.description} of ${v.data}`, split: { name: v.split, seed, description: split.description }, test: split.test, exclude: split.train };
  }
  const dir = resolveDataDir(v.data);
  const dataset = await loadMovieLens(dir);
  for (const w of dataset.warnings) stderrLine(`warning: ${w}`);
  const split = splitByName(dataset.ratings, v.split, seed, splitParameters(v));
  if (split.droppedNote) stderrLine(`  ${split.droppedNote}`);
  return { path: dir, description: `${split.description} of ${dir}`, split: { name: v.split, seed, description: split.description }, test: split.test, exclude: split.train };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false; // resolveDataDir names what is wrong with it
  }
}

function exclusionText(r: HeldOutEvaluation): string {
  const n = count(r.excludedInteractions);
  if (r.excluded === 'model') return `the model's ${n} training interactions`;
  if (r.excluded === 'given') return `the split's ${n} train interactions (the model holds none of its own)`;
  return 'nothing (the model holds no training interactions)';
}

/** What the reader should know about the numbers. */
function notes(r: HeldOutEvaluation, hadTrainSide: boolean): string[] {
  const lines: string[] = [];
  const t = r.test;
  if (t.unknownUser + t.unknownItem > 0) {
    lines.push(`${count(t.unknownUser + t.unknownItem)} of ${count(t.given)} held-out interactions name a user or an item the model lacks (cold start); they are not evaluated`);
  }
  if (t.inTraining > 0) {
    lines.push(`${count(t.inTraining)} held-out interactions are among the model's training interactions (it was trained on them); they are not evaluated`);
  }
  if (r.excluded === 'none') {
    lines.push(hadTrainSide ? 'no training interactions to exclude' : 'the model holds no training interactions, so items users already saw are ranked too and the metrics are pessimistic; import with --interactions, or give a dataset or --split so its train side is excluded');
  }
  return lines;
}

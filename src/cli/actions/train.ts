/**
 * What `alsrec train` does (its options are declared in ../commands/train.ts).
 */
import { statSync } from 'node:fs';
import { nnz } from '../../matrix/csr.js';
import { buildInteractions } from '../../matrix/interactions.js';
import { withExternalIds } from '../../data/withExternalIds.js';
import { heldOutPositions } from '../../matrix/indexInteractions.js';
import { alsOptionsFrom } from '../alsCliOptions.js';
import { fitWithProgress, loadDataset, stderrLine, type PhaseTiming } from '../trainFromCli.js';
import { count, percent, seconds } from '../format.js';
import { assertOutputPath } from '../parseOptionValue.js';
import { formatMergedView, mergedView } from '../../data/mergedView.js';
import type { TrainValues } from '../commands/train.js';
import { describeObjective } from '../../als/objective.js';

/**
 * Runs `alsrec train` with the values commander parsed.
 * @example await runTrain({ user: 196, top: 5, data: 'data/ml-100k' });
 */
export async function runTrain(v: TrainValues): Promise<void> {
  const started = performance.now();
  if (v.save !== undefined) assertOutputPath('--save', v.save);
  const say = (line: string) => {
    if (!v.json) process.stdout.write(`${line}\n`);
  };

  const phases: PhaseTiming[] = [];
  const { dataset, loadSeconds } = await loadDataset(v, stderrLine, phases);
  const all = withExternalIds(buildInteractions(dataset), dataset);
  const m = all.matrix;
  const density = nnz(m) / (m.rows * m.cols);
  say(`Loaded ${dataset.format} from ${dataset.dir}: ${count(nnz(m))} ratings, ${count(all.users.size)} users, ${count(all.items.size)} movies (${seconds(loadSeconds)})`);
  say('First ratings with titles (the merged view):');
  say(formatMergedView(mergedView(dataset, 5)));
  say(`Matrix shape: ${m.rows} x ${m.cols} (nnz ${count(nnz(m))}, density ${percent(density)})`);

  const options = { ...alsOptionsFrom(v), calculateTrainingLoss: v.loss ?? false };
  const progress = (line: string) => (v.json ? stderrLine(line) : say(line));
  const { model, fitSeconds, iterations } = await fitWithProgress(all, options, progress);
  phases.push({ phase: 'train', seconds: fitSeconds, bytes: 4 * model.options.factors * (m.rows + m.cols) });
  const o = model.options;
  say(`Trained ALS in ${seconds(fitSeconds)}: factors ${o.factors}, regularization ${o.regularization}, alpha ${o.alpha}${o.recencyHalfLife > 0 ? `, recency half-life ${o.recencyHalfLife} days` : ''}${describeObjective(o)}, iterations ${o.iterations}, solver ${o.solver}, backend ${model.backend}, threads ${o.threads}`);

  // The id as the model holds it: "17850" typed on the command line is user 17850 of an integer-id model.
  const userId = model.state.users.id(model.state.users.index(v.user, 'user'));
  let t0 = performance.now();
  const recs = model.recommend(userId, { n: v.top }).map((r) => ({ movieId: r.itemId, title: model.title(r.itemId), score: r.score }));
  phases.push({ phase: 'recommend', seconds: (performance.now() - t0) / 1000, bytes: 0 });
  say(`Top-${v.top} recommendations for user_id ${v.user}:`);
  recs.forEach((r, j) => say(`  ${String(j + 1).padStart(2)}. ${r.title}  (score ${r.score.toFixed(4)})`));

  let saveSeconds: number | undefined;
  if (v.save !== undefined) {
    t0 = performance.now();
    await model.save(v.save);
    saveSeconds = (performance.now() - t0) / 1000;
    say(`Saved model to ${v.save} (${count(statSync(v.save).size)} bytes, ${seconds(saveSeconds)})`);
  }

  t0 = performance.now();
  // The split's sizes from its order, read off the matrix (temporalLeaveLastOutOf(all) would
  // build the two sides; only their sizes are printed): one held-out rating per user with 2+.
  let testCount = 0;
  for (const p of heldOutPositions(m.indptr, all.timestamps!)) if (p >= 0) testCount++;
  const trainCount = nnz(m) - testCount;
  phases.push({ phase: 'split', seconds: (performance.now() - t0) / 1000, bytes: 4 * m.rows });
  say(`Temporal split (each user's last rating held out, ties to the larger movie id): ${count(trainCount)} train, ${count(testCount)} test ratings`);
  const total = (performance.now() - started) / 1000;
  say(`Total time: ${seconds(total)}`);

  if (v.json) {
    const doc = {
      dataset: { dir: dataset.dir, format: dataset.format, ratings: nnz(m), users: all.users.size, movies: all.items.size, duplicatesMerged: dataset.duplicatesMerged, warnings: dataset.warnings },
      matrix: { rows: m.rows, cols: m.cols, nnz: nnz(m), density },
      options: { factors: o.factors, regularization: o.regularization, alpha: o.alpha, recencyHalfLife: o.recencyHalfLife, convention: o.convention, regularizationExponent: o.regularizationExponent, unobservedWeight: o.unobservedWeight, iterations: o.iterations, solver: o.solver, cgSteps: o.cgSteps, seed: o.seed, threads: o.threads },
      backend: model.backend,
      iterations,
      recommendations: { userId, items: recs },
      split: { train: trainCount, test: testCount },
      seconds: { load: loadSeconds, fit: fitSeconds, ...(saveSeconds === undefined ? {} : { save: saveSeconds }), total },
      phases,
      ...(v.save === undefined ? {} : { savedTo: v.save }),
    };
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  }
}

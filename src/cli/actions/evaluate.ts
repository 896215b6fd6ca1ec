/**
 * What `alsrec evaluate` does (its options are declared in ../commands/evaluate.ts), and the
 * split and table helpers `tune` shares.
 */
import type { RatingColumns } from '../../data/dataset.js';
import { buildInteractions, type Interactions } from '../../matrix/interactions.js';
import { withExternalIds } from '../../data/withExternalIds.js';
import { ALS } from '../../als/model.js';
import { evaluate, resolveKs, type Evaluation } from '../../eval/evaluate.js';
import { fitBaseline } from '../../eval/baselines.js';
import { qualityReport, qualityTableMarkdown } from '../../eval/qualityReport.js';
import { summarizeSeeds, type MeanStd } from '../../eval/summarizeSeeds.js';
import { splitByName, type NamedSplit, type SplitParameters } from '../../eval/splitByName.js';
import { alsOptionsFrom } from '../alsCliOptions.js';
import { fitWithProgress, loadDataset, stderrLine } from '../trainFromCli.js';
import { count, seconds } from '../format.js';
import type { EvaluateValues, SplitCliValues } from '../commands/evaluate.js';
import { evaluationSummary } from '../../eval/evaluationSummary.js';
import { assertOutputPath } from '../parseOptionValue.js';
import { InvalidOptionError } from '../../errors.js';
import { nnz } from '../../matrix/csr.js';
import { statSync } from 'node:fs';

/** The split parameters the options set (unset ones keep the split's defaults). */
export function splitParameters(v: SplitCliValues): SplitParameters {
  const p: SplitParameters = {};
  if (v.leaveK !== undefined) p.leaveK = v.leaveK;
  if (v.pick !== undefined) p.pick = v.pick;
  if (v.fraction !== undefined) p.fraction = v.fraction;
  if (v.cutoff !== undefined) p.cutoff = v.cutoff;
  return p;
}

interface SeedRecord {
  readonly seed: number;
  readonly train: number;
  readonly test: number;
  readonly testUsers: number;
  readonly fitSeconds: number;
}

/**
 * Runs `alsrec evaluate` with the values commander parsed.
 * @example await runEvaluate({ split: 'leave-last-out', k: [10], seeds: [0, 1] });
 */
export async function runEvaluate(v: EvaluateValues): Promise<void> {
  const started = performance.now();
  if (v.save !== undefined) {
    if (v.report) throw new InvalidOptionError('--save', '--save cannot be combined with --report (the report tunes several models; save one with train --save or evaluate --save)');
    assertOutputPath('--save', v.save);
  }
  const k = resolveKs(v.k); // distinct and sorted
  const { dataset } = await loadDataset(v, stderrLine);
  const all = buildInteractions(dataset);
  const base = alsOptionsFrom(v);
  const easeBase = { ...(base.backend !== undefined ? { backend: base.backend } : {}), ...(base.threads !== undefined ? { threads: base.threads } : {}), maxBytes: v.easeMaxBytes };
  if (v.report) return runReport(v, dataset.ratings, all, base, easeBase, started);
  const baselineConfig = {
    knn: { weighting: v.knnWeighting, neighbours: v.knnNeighbours, recencyHalfLife: 0 },
    ease: { regularization: v.easeRegularization, recencyHalfLife: 0 },
    easeBase,
  };
  const runs: Evaluation[][] = [[], ...v.baselines.map(() => [])];
  const seedRecords: SeedRecord[] = [];
  let split: NamedSplit | null = null;
  let backend: string | null = null;
  for (const [j, seed] of v.seeds.entries()) {
    if (split === null || split.seeded) split = splitByName(dataset.ratings, v.split, seed, splitParameters(v));
    const { train, test } = sides(split, all);
    stderrLine(`seed ${seed} (${j + 1}/${v.seeds.length}): ${split.description}: ${count(split.train.users.length)} train, ${count(split.test.users.length)} test ratings`);
    const { model, fitSeconds } = await fitWithProgress(train, { ...base, seed }, () => {});
    backend = model.backend;
    stderrLine(`  ALS trained in ${seconds(fitSeconds)} (backend ${model.backend}); evaluating`);
    const results = [await evaluate(model, train, test, { k })];
    for (const name of v.baselines) results.push(await evaluate(await fitBaseline(name, train, seed, baselineConfig), train, test, { k }));
    results.forEach((e, m) => runs[m]!.push(e));
    stderrLine(`  evaluated ${results[0]!.users} users: ${results.map((e) => `${e.model} ${(e.seconds * 1000).toFixed(0)} ms`).join(', ')}`);
    seedRecords.push({ seed, train: split.train.users.length, test: split.test.users.length, testUsers: results[0]!.users, fitSeconds });
  }
  const models = runs.map((r) => ({ name: r[0]!.model, metrics: summarizeSeeds(r), evaluationSeconds: r.map((e) => e.seconds) }));
  if (v.save !== undefined) {
    const summary = evaluationSummary({ name: v.split, description: split!.description }, k, v.seeds, models);
    await saveEvaluatedModel(v.save, withExternalIds(all, dataset), base, summary);
  }
  const total = (performance.now() - started) / 1000;

  if (v.json) {
    const { seed: _seed, ...o } = new ALS(base).options;
    const doc = {
      dataset: { dir: dataset.dir, format: dataset.format, ratings: dataset.ratings.users.length },
      split: { name: v.split, description: split!.description, dropped: split!.droppedNote ?? null, seeds: seedRecords },
      k,
      seeds: v.seeds,
      options: { factors: o.factors, regularization: o.regularization, alpha: o.alpha, recencyHalfLife: o.recencyHalfLife, convention: o.convention, regularizationExponent: o.regularizationExponent, unobservedWeight: o.unobservedWeight, iterations: o.iterations, solver: o.solver, cgSteps: o.cgSteps, threads: o.threads },
      backend,
      models,
      seconds: total,
    };
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    return;
  }
  const out: string[] = [];
  out.push(`Split: ${split!.description}`);
  if (split!.droppedNote) out.push(`  ${split!.droppedNote}`);
  const r0 = seedRecords[0]!;
  out.push(`  ${count(r0.train)} train, ${count(r0.test)} test ratings; ${count(r0.testUsers)} test users${split!.seeded ? ' (first seed)' : ''}`);
  out.push(`ALS backend ${backend}; seeds ${v.seeds.join(',')}; mean ± sample std over seeds; full ranking, train items excluded`);
  out.push(...metricsTable(models.map((m) => ({ name: m.name, cells: meanStdCells(m.metrics) }))));
  const fitMean = seedRecords.reduce((s, r) => s + r.fitSeconds, 0) / seedRecords.length;
  const evalMs = (models[0]!.evaluationSeconds.reduce((s, x) => s + x, 0) / seedRecords.length) * 1000;
  out.push(`ALS: fit ${seconds(fitMean)}, evaluation ${evalMs.toFixed(0)} ms per seed (mean); total ${seconds(total)}`);
  process.stdout.write(`${out.join('\n')}\n`);
}

/**
 * `--save`: trains on all the data with the evaluated options (seed 0 unless `--seed` says
 * otherwise, the loss recorded each iteration) and saves it with the evaluation attached, the
 * `EVAL` section the dashboard charts (docs/model-format.md).
 */
async function saveEvaluatedModel(path: string, all: Interactions, base: ReturnType<typeof alsOptionsFrom>, summary: Record<string, unknown>): Promise<void> {
  stderrLine(`training on all ${count(nnz(all.matrix))} ratings to save with the evaluation`);
  const { model, fitSeconds } = await fitWithProgress(all, { ...base, calculateTrainingLoss: true }, () => {});
  model.setEvaluation(summary);
  await model.save(path);
  stderrLine(`  trained in ${seconds(fitSeconds)}; saved ${path} (${count(statSync(path).size)} bytes)`);
}

/** `--report`: the quality table on the first seed's split. */
async function runReport(v: EvaluateValues, ratings: Parameters<typeof splitByName>[0], all: Interactions, base: ReturnType<typeof alsOptionsFrom>, easeBase: { maxBytes: number }, started: number): Promise<void> {
  const split = splitByName(ratings, v.split, v.seeds[0] ?? 0, splitParameters(v));
  const { train, test } = sides(split, all);
  stderrLine(`${split.description}: ${count(split.train.users.length)} train, ${count(split.test.users.length)} test ratings; building the quality table`);
  const { seed: _seed, factors: _f, regularization: _r, alpha: _a, recencyHalfLife: _h, iterations: _i, ...shared } = base;
  const rows = await qualityReport(split.train, train, test, { seeds: v.seeds, folds: v.folds, trials: v.trials, base: shared, easeBase, log: stderrLine });
  const total = (performance.now() - started) / 1000;
  if (v.json) {
    process.stdout.write(`${JSON.stringify({ split: { name: v.split, description: split.description }, seeds: v.seeds, folds: v.folds, trials: v.trials, rows, seconds: total }, null, 2)}\n`);
    return;
  }
  process.stdout.write(`Split: ${split.description}; seeds ${v.seeds.join(',')}; K = 10; tuned on ${v.folds} validation fold(s) of train, at most ${v.trials} trials per search\n${qualityTableMarkdown(rows)}\nTotal time: ${seconds(total)}\n`);
}

/** Train and test interactions over the full data's id maps. */
export function sides(split: { train: RatingColumns; test: RatingColumns }, all: Interactions): { train: Interactions; test: Interactions } {
  return { train: buildInteractions(split.train, all), test: buildInteractions(split.test, all) };
}

/** `mean ± std` (4 decimals), or `-` for a metric not computed. */
export function meanStdCell(m: MeanStd | undefined): string {
  return m === undefined || Number.isNaN(m.mean) ? '-' : `${m.mean.toFixed(4)} ± ${m.std.toFixed(4)}`;
}

/** A metric-by-column table; rows follow the first column's keys. */
export function metricsTable(columns: ReadonlyArray<{ name: string; cells: Record<string, string> }>): string[] {
  const keys = Object.keys(columns[0]!.cells);
  const rows = [['metric', ...columns.map((c) => c.name)], ...keys.map((key) => [key, ...columns.map((c) => c.cells[key] ?? '-')])];
  const widths = rows[0]!.map((_, j) => Math.max(...rows.map((r) => r[j]!.length)));
  return rows.map((r) => `  ${r.map((c, j) => c.padEnd(widths[j]!)).join('  ')}`.trimEnd());
}

/** Each metric's cell, for {@link metricsTable}. */
export function meanStdCells(metrics: Record<string, MeanStd>): Record<string, string> {
  return Object.fromEntries(Object.entries(metrics).map(([key, m]) => [key, meanStdCell(m)]));
}

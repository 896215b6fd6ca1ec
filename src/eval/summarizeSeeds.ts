/**
 * Metrics over several seeds: the same metric of every run, as mean ± standard deviation.
 */
import { invalidOption } from '../errors.js';
import { RANKING_METRICS, type Evaluation, type RankingMetricName } from './evaluate.js';

/** A metric over runs. `std` is the sample standard deviation (n − 1), 0 for a single run. */
export interface MeanStd {
  readonly mean: number;
  readonly std: number;
  readonly values: readonly number[];
}

/** `auc`, or `<metric>@<K>` with metric one of hitRate, precision, recall, map, ndcg, mrr, coverage. */
export type MetricKey = string;

/**
 * An evaluation's metrics by key, in table order: for each K, `hitRate@K` ... `mrr@K`,
 * `coverage@K`; then `auc`.
 *
 * @example metricsByKey(result)['ndcg@10']
 */
export function metricsByKey(e: Evaluation): Record<MetricKey, number> {
  const out: Record<MetricKey, number> = {};
  for (const m of e.atK) {
    for (const name of RANKING_METRICS) out[`${name}@${m.k}`] = m[name];
    out[`coverage@${m.k}`] = m.coverage;
  }
  out['auc'] = e.auc;
  return out;
}

/** Mean and sample standard deviation of `values`. */
export function meanStd(values: readonly number[]): MeanStd {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const variance = n > 1 ? values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, std: Math.sqrt(variance), values: [...values] };
}

/** Each metric of several runs of one model (one per seed) as mean ± std, keyed as {@link metricsByKey}. */
export function summarizeSeeds(runs: readonly Evaluation[]): Record<MetricKey, MeanStd> {
  if (runs.length === 0) throw invalidOption('runs', 'at least one evaluation', runs);
  const keyed = runs.map(metricsByKey);
  const out: Record<MetricKey, MeanStd> = {};
  for (const key of Object.keys(keyed[0]!)) out[key] = meanStd(keyed.map((m) => m[key]!));
  return out;
}

/** The metric names a {@link MetricKey} may use before `@K`. */
export const KEYED_METRICS: readonly string[] = [...RANKING_METRICS, 'coverage'];

/**
 * Parses a metric such as `ndcg@10`, `hitRate@5` or `auc` (names case-insensitive) into its key.
 *
 * @example parseMetricKey('NDCG@10') // { key: 'ndcg@10', k: 10 }
 */
export function parseMetricKey(text: string, option = 'metric'): { key: MetricKey; k: number | null } {
  const t = text.trim();
  if (t.toLowerCase() === 'auc') return { key: 'auc', k: null };
  const match = /^([a-zA-Z]+)@(\d+)$/.exec(t);
  const name = match ? KEYED_METRICS.find((m) => m.toLowerCase() === match[1]!.toLowerCase()) : undefined;
  const k = match ? Number(match[2]) : NaN;
  if (name === undefined || !(k >= 1 && k <= 10_000)) {
    throw invalidOption(option, `auc or <metric>@<K> with metric one of ${KEYED_METRICS.join(', ')}`, text);
  }
  return { key: `${name}@${k}`, k };
}

export type { RankingMetricName };

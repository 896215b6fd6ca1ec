/**
 * The evaluation summary `alsrec evaluate --save` attaches to a model (its `EVAL` section): the
 * split, the cut-offs, the seeds, and each model's metrics as mean and sample std over the seeds,
 * in the order evaluated (ALS first, then the baselines). The dashboard charts HitRate@K and
 * NDCG@K from it.
 */
import type { MeanStd } from './summarizeSeeds.js';

/** The `kind` that marks an `EVAL` object of this shape (older files hold free-form objects). */
export const EVALUATION_SUMMARY_KIND = 'alsrec.evaluate';

export interface EvaluationSummary {
  readonly kind: typeof EVALUATION_SUMMARY_KIND;
  readonly split: { readonly name: string; readonly description: string };
  readonly k: readonly number[];
  readonly seeds: readonly number[];
  /** Metric keys are `hitRate@K`, `ndcg@K`, ... and `auc` (summarizeSeeds.ts). */
  readonly models: ReadonlyArray<{ readonly name: string; readonly metrics: Readonly<Record<string, { readonly mean: number; readonly std: number }>> }>;
}

/**
 * @example evaluationSummary({ name: 'leave-last-out', description: '...' }, [5, 10], [0, 1], [{ name: 'ALS', metrics }]);
 */
export function evaluationSummary(
  split: { name: string; description: string },
  k: readonly number[],
  seeds: readonly number[],
  models: ReadonlyArray<{ name: string; metrics: Record<string, MeanStd> }>,
): EvaluationSummary & Record<string, unknown> {
  return {
    kind: EVALUATION_SUMMARY_KIND,
    split: { name: split.name, description: split.description },
    k: [...k],
    seeds: [...seeds],
    // NaN (a metric a model does not compute) is not JSON: such entries are left out.
    models: models.map((m) => ({
      name: m.name,
      metrics: Object.fromEntries(Object.entries(m.metrics).filter(([, v]) => Number.isFinite(v.mean)).map(([key, v]) => [key, { mean: v.mean, std: Number.isFinite(v.std) ? v.std : 0 }])),
    })),
  };
}

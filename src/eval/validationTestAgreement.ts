/**
 * Does validation predict test? The best few configurations of a search, by validation value, are
 * also measured on test; their Spearman rank correlation, and the chosen configuration's gain over
 * the seed configuration on each side, say how far the validation ranking can be trusted.
 */
import type { Evaluation } from './evaluate.js';
import type { FoldTrial } from './foldSearch.js';
import { summarizeSeeds } from './summarizeSeeds.js';

export interface AgreementRow<C> {
  readonly config: C;
  readonly validation: number;
  /** Mean over the test seeds. */
  readonly test: number;
  /** 'seed', 'chosen', or null. */
  readonly role: 'seed' | 'chosen' | 'seed, chosen' | null;
}

export interface Agreement<C> {
  /** By validation value, best first. */
  readonly rows: readonly AgreementRow<C>[];
  /** Spearman's ρ between validation and test values over `rows` (NaN with fewer than 3). */
  readonly spearman: number;
  /** The chosen configuration's relative gain over the seed configuration (null when it is the seed). */
  readonly chosenGain: { readonly validation: number; readonly test: number } | null;
}

/**
 * Takes the `count` best trials by validation value (the seed and chosen configurations always
 * among them, their test runs given in `known`), measures the others with `onTest`, and compares.
 *
 * @example const a = await validationTestAgreement(result.trials, 5, 'ndcg@10', known, testConfig);
 */
export async function validationTestAgreement<C>(
  trials: readonly FoldTrial<C>[],
  count: number,
  key: string,
  known: { seedConfig: C; chosen: C; onTest: { seed: readonly Evaluation[]; chosen: readonly Evaluation[] } },
  onTest: (config: C) => Promise<Evaluation[]>,
): Promise<Agreement<C>> {
  const ranked = [...trials].sort((a, b) => b.value - a.value);
  const same = (a: C, b: C) => JSON.stringify(a) === JSON.stringify(b);
  const picked = ranked.slice(0, count);
  for (const c of [known.seedConfig, known.chosen]) {
    if (!picked.some((t) => same(t.config, c))) picked.push(trials.find((t) => same(t.config, c))!);
  }
  picked.sort((a, b) => b.value - a.value);
  const rows: AgreementRow<C>[] = [];
  for (const t of picked) {
    const isSeed = same(t.config, known.seedConfig);
    const isChosen = same(t.config, known.chosen);
    const evals = isSeed ? known.onTest.seed : isChosen ? known.onTest.chosen : await onTest(t.config);
    const test = summarizeSeeds(evals)[key]!.mean;
    rows.push({ config: t.config, validation: t.value, test, role: isSeed && isChosen ? 'seed, chosen' : isSeed ? 'seed' : isChosen ? 'chosen' : null });
  }
  const seedRow = rows.find((r) => r.role === 'seed')!;
  const chosenRow = rows.find((r) => r.role === 'chosen');
  return {
    rows,
    spearman: spearman(rows.map((r) => r.validation), rows.map((r) => r.test)),
    chosenGain: chosenRow ? { validation: chosenRow.validation / seedRow.validation - 1, test: chosenRow.test / seedRow.test - 1 } : null,
  };
}

/** Spearman's ρ: the Pearson correlation of the ranks (ties get their average rank). */
export function spearman(a: readonly number[], b: readonly number[]): number {
  if (a.length < 3) return NaN;
  const ra = ranks(a);
  const rb = ranks(b);
  const mean = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length;
  const ma = mean(ra);
  const mb = mean(rb);
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < ra.length; i++) {
    num += (ra[i]! - ma) * (rb[i]! - mb);
    da += (ra[i]! - ma) ** 2;
    db += (rb[i]! - mb) ** 2;
  }
  return da > 0 && db > 0 ? num / Math.sqrt(da * db) : NaN;
}

function ranks(x: readonly number[]): number[] {
  const order = x.map((v, i) => [v, i] as const).sort((p, q) => p[0] - q[0]);
  const r = new Array<number>(x.length);
  for (let s = 0; s < order.length; ) {
    let e = s;
    while (e + 1 < order.length && order[e + 1]![0] === order[s]![0]) e++;
    for (let j = s; j <= e; j++) r[order[j]![1]] = (s + e) / 2 + 1;
    s = e + 1;
  }
  return r;
}

/**
 * `alsrec evaluate --report` on Online Retail (../shared/data/online-retail), read through the
 * event loader's flags: on a subsample (the log's first 12,000 invoice lines, gzip-read and
 * re-written) with one trial per search, so it stays fast, every row of the quality table has
 * finite metrics. Skips when the file is absent.
 */
import { existsSync, createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { evaluateCommand } from '../../src/cli/commands/evaluate.js';

const FILE = resolve('../shared/data/online-retail/online-retail.csv.gz');
const present = existsSync(FILE);
if (!present) console.log(`qualityReport.onlineRetail.realData.test: ${FILE} is absent; skipped`);

const LINES = 12_000;
let dir: string;
let sample: string;

/** The header and the first `n` data lines of the gzip file. */
async function headLines(path: string, n: number): Promise<string> {
  const lines: string[] = [];
  const rl = createInterface({ input: createReadStream(path).pipe(createGunzip()), crlfDelay: Infinity });
  for await (const line of rl) {
    lines.push(line);
    if (lines.length > n) break;
  }
  rl.close();
  return `${lines.join('\n')}\n`;
}

describe.skipIf(!present)('evaluate --report on Online Retail', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'alsrec-or-'));
    sample = join(dir, 'online-retail-head.csv');
    await writeFile(sample, await headLines(FILE, LINES));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('builds the six rows with finite metrics from the event-file flags', async () => {
    let stdout = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await evaluateCommand()
      .exitOverride()
      .parseAsync(
        ['--data', sample, '--user-col', 'CustomerID', '--item-col', 'StockCode', '--weight-col', 'Quantity', '--time-col', 'InvoiceDate', '--title-col', 'Description',
          '--aggregate', 'count', '--report', '--seeds', '0,1', '--folds', '2', '--trials', '1', '--json'],
        { from: 'user' },
      );
    const doc = JSON.parse(stdout);
    expect(doc.trials).toBe(1);
    expect(doc.rows.map((r: { model: string }) => r.model)).toEqual(['ALS (seed configuration)', 'ALS tuned', 'ItemKNN tuned', 'EASE tuned', 'most popular', 'random']);
    for (const r of doc.rows) {
      for (const m of ['hitRate', 'ndcg', 'map', 'coverage']) {
        expect(Number.isFinite(r[m].mean), `${r.model} ${m}`).toBe(true);
        expect(r[m].mean).toBeGreaterThanOrEqual(0);
        expect(r[m].mean).toBeLessThanOrEqual(1);
      }
      expect(Number.isFinite(r.fitSeconds.mean)).toBe(true);
    }
    expect(doc.rows[0].ndcg.values).toHaveLength(2);
    // MAP@10 <= NDCG@10 <= HitRate@10 for one held-out item per user (docs/metrics.md).
    for (const r of doc.rows) expect(r.map.mean).toBeLessThanOrEqual(r.ndcg.mean + 1e-12);
    for (const r of doc.rows) expect(r.ndcg.mean).toBeLessThanOrEqual(r.hitRate.mean + 1e-12);
    // ALS learns something on purchases: above random.
    expect(doc.rows[0].hitRate.mean).toBeGreaterThan(doc.rows[5].hitRate.mean);
  }, 300_000);
});

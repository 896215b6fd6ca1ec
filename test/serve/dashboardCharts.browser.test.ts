/**
 * The dashboard's pictures in headless Chromium (playwright-core, Debian's /usr/bin/chromium):
 * a model saved by `alsrec evaluate --save` (in-process) on the real MovieLens 100K, so it
 * carries its training loss and its evaluation, served on 127.0.0.1.
 * Runs when MOVIELENS_DIR is set; in CI (CI=true) a missing Chromium is a failure, not a skip.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { ALS } from '../../src/als/model.js';
import { createServer } from '../../src/serve/createServer.js';
import { runCaptured } from '../helpers/runCaptured.js';

const CHROMIUM = '/usr/bin/chromium';
const dir = process.env['MOVIELENS_DIR'];
const inCi = process.env['CI'] === 'true';
const skipReason = !dir
  ? 'MOVIELENS_DIR is not set (point it at an ml-100k folder to run them)'
  : !existsSync(CHROMIUM) && !inCi
    ? `${CHROMIUM} is missing (apt-get install -y chromium)`
    : null;
if (skipReason !== null) console.warn(`Skipping the dashboard chart browser tests: ${skipReason}.`);

const ITERATIONS = 12;

/** What a chart holds, read from Chart.js itself: points per dataset, and how many are numbers. */
async function chartData(page: Page, id: string): Promise<Array<{ label: string; points: number; numbers: number }>> {
  return page.evaluate((canvasId) => {
    const chart = (window as unknown as { Chart: { getChart(id: string): { data: { datasets: Array<{ label: string; data: unknown[] }> } } | undefined } }).Chart.getChart(canvasId);
    if (chart === undefined) return [];
    return chart.data.datasets.map((d) => ({
      label: d.label,
      points: d.data.length,
      numbers: d.data.filter((v) => (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'object' && v !== null && Number.isFinite((v as { x: number }).x) && Number.isFinite((v as { y: number }).y))).length,
    }));
  }, id);
}

describe.skipIf(skipReason !== null)('dashboard charts in headless Chromium on the real MovieLens 100K', () => {
  let app: FastifyInstance;
  let model: ALS;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'alsrec-charts-')), 'm.alsrec');
    const run = await runCaptured('evaluate', '--data', dir!, '--seeds', '0', '--k', '5,10,20', '--baselines', 'popular,random', '--iterations', String(ITERATIONS), '--save', path);
    expect(run.code, run.stderr).toBe(0);
    model = await ALS.load(path);
    app = createServer(model);
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') pageErrors.push(msg.text());
    });
    await page.goto(base);
    await page.locator('body[data-ready="true"]').waitFor();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('evaluate --save saved the loss of every iteration and the evaluation of ALS and the baselines', () => {
    expect(model.trainingLoss?.loss).toHaveLength(ITERATIONS);
    const evaluation = model.evaluation as { kind: string; k: number[]; models: Array<{ name: string; metrics: Record<string, { mean: number }> }> };
    expect(evaluation.kind).toBe('alsrec.evaluate');
    expect(evaluation.k).toEqual([5, 10, 20]);
    expect(evaluation.models.map((m) => m.name)).toEqual(['ALS', 'most popular', 'random']);
    expect(evaluation.models[0]!.metrics['hitRate@10']!.mean).toBeGreaterThan(evaluation.models[2]!.metrics['hitRate@10']!.mean);
  });

  it('draws the loss chart with one point per iteration, the loss falling', async () => {
    const [loss] = await chartData(page, 'loss-chart');
    expect(loss).toEqual({ label: 'training loss', points: ITERATIONS, numbers: ITERATIONS });
    expect(await page.locator('#loss-table tbody tr').count()).toBe(ITERATIONS);
    const values = model.trainingLoss!.loss;
    expect(values[values.length - 1]!).toBeLessThan(values[0]!);
  });

  it('draws HitRate and NDCG at each K for ALS and each baseline', async () => {
    const bars = await chartData(page, 'eval-chart');
    expect(bars.map((b) => b.label)).toEqual(['ALS', 'most popular', 'random']);
    for (const b of bars) expect(b).toMatchObject({ points: 6, numbers: 6 }); // HitRate and NDCG at 5, 10, 20
    expect(await page.locator('#eval-table tbody tr').count()).toBe(3);
  });

  it('draws every item on the map and highlights the selected user', async () => {
    const before = await chartData(page, 'map-chart');
    expect(before.find((d) => d.label === 'all items')).toEqual({ label: 'all items', points: 1682, numbers: 1682 });
    await page.getByLabel('User id').fill('196');
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await page.locator('#map-chart[data-highlighted]').waitFor();
    const after = await chartData(page, 'map-chart');
    expect(after.find((d) => d.label === 'recommended for user 196')?.numbers).toBe(10);
    expect(after.find((d) => d.label === "user 196's history")?.numbers).toBe(39);
  });

  it('is keyboard-usable: arrow keys step through the points and read them out', async () => {
    await page.locator('#loss-chart').focus();
    await page.keyboard.press('End');
    const last = model.trainingLoss!.loss[ITERATIONS - 1]!;
    await expect(page.locator('#loss-readout').innerText()).resolves.toBe(`Iteration ${ITERATIONS} of ${ITERATIONS}: loss ${last.toFixed(6)} (${model.trainingLoss!.seconds[ITERATIONS - 1]!.toFixed(3)} s)`);
    await page.locator('#map-chart').focus();
    await page.keyboard.press('ArrowRight');
    const first = model.recommend(196, { n: 10 })[0]!;
    await expect(page.locator('#map-readout').innerText()).resolves.toMatch(new RegExp(`^recommended for user 196: ${model.title(first.itemId).replace(/[().]/g, '\\$&')} \\(`));
    expect(pageErrors).toEqual([]);
  });
});

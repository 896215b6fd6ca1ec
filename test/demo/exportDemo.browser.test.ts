/**
 * `alsrec export-demo` end to end: the CLI (in-process) writes the site from a model trained on
 * the real MovieLens 100K, a loopback static server serves it, and headless Chromium
 * (playwright-core, Debian's /usr/bin/chromium) uses it with no alsrec server anywhere.
 * Runs when MOVIELENS_DIR is set; in CI (CI=true) a missing Chromium is a failure, not a skip.
 */
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { runCaptured } from '../helpers/runCaptured.js';
import { serveFolder } from '../helpers/staticServer.js';
import { ALS } from '../../src/als/model.js';

const CHROMIUM = '/usr/bin/chromium';
const dir = process.env['MOVIELENS_DIR'];
const inCi = process.env['CI'] === 'true';
const skipReason = !dir
  ? 'MOVIELENS_DIR is not set (point it at an ml-100k folder to run them)'
  : !existsSync(CHROMIUM) && !inCi
    ? `${CHROMIUM} is missing (apt-get install -y chromium)`
    : null;
if (skipReason !== null) console.warn(`Skipping the static demo browser tests: ${skipReason}.`);

describe.skipIf(skipReason !== null)('the static demo in headless Chromium (ML-100K)', () => {
  const work = mkdtempSync(join(tmpdir(), 'alsrec-demo-'));
  const modelPath = join(work, 'm.alsrec');
  const site = join(work, 'site');
  let server: Awaited<ReturnType<typeof serveFolder>>;
  let browser: Browser;
  let page: Page;
  let model: ALS;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const train = await runCaptured('train', '--data', dir!, '--iterations', '15', '--save', modelPath, '--json');
    expect(train.code, train.stderr).toBe(0);
    model = await ALS.load(modelPath);
    const exported = await runCaptured('export-demo', '--model', modelPath, '--out', site, '--json');
    expect(exported.code, exported.stderr).toBe(0);
    server = await serveFolder(site);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') pageErrors.push(msg.text());
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('writes the page, the bundle and the model data, under 3 MB in all', () => {
    const files = readdirSync(site).sort();
    expect(files).toEqual(['README.md', 'dashboard.css', 'demo.js', 'index.html', 'model.bin', 'model.json']);
    const total = files.reduce((s, f) => s + statSync(join(site, f)).size, 0);
    console.log(`static demo of ML-100K (k = 50): ${total.toLocaleString('en')} bytes`);
    expect(total).toBeLessThanOrEqual(3_000_000);
  });

  it("opens on ?user=196 with the model's own recommendations, their reasons and the user's history", async () => {
    await page.goto(`${server.url}?user=196`);
    await page.locator('body[data-ready="true"]').waitFor();
    const [firstMs, loadedMs, domMs] = await page.evaluate(() => [
      Number(document.body.dataset['firstRecommendationMs']),
      Number(document.body.dataset['modelLoadedMs']),
      performance.getEntriesByType('navigation').map((e) => (e as PerformanceNavigationTiming).domContentLoadedEventEnd)[0] ?? NaN,
    ]);
    console.log(`static demo: first recommendation ${firstMs} ms after navigation start (DOMContentLoaded ${domMs.toFixed(0)} ms, model data fetched and mapped ${loadedMs} ms; headless Chromium, this machine)`);
    expect(loadedMs).toBeLessThanOrEqual(firstMs);
    expect(firstMs).toBeGreaterThan(0);
    await expect(page.locator('#user-status').innerText()).resolves.toBe('User 196: 39 rated items; 10 recommendations.');
    const titles = await page.locator('#user-recs tbody tr td:nth-child(2)').allInnerTexts();
    expect(titles).toEqual(model.recommend(196, { n: 10 }).map((r) => model.title(r.itemId)));
    expect(await page.locator('#user-history tbody tr').count()).toBe(39);
    // Each recommendation's reasons: the rated movies that push it up most, as model.explain has them.
    const because = await page.locator('#user-recs tbody tr td:nth-child(3)').allInnerTexts();
    expect(because).toHaveLength(10);
    const recs = model.recommend(196, { n: 10 });
    recs.forEach((r, j) => {
      const parts = model.explain(196, r.itemId, { n: 3 }).contributions.filter((c) => c.contribution > 0).map((c) => `${model.title(c.itemId)} (${Math.round(100 * c.share)}%)`);
      expect(parts.length).toBeGreaterThan(0);
      expect(because[j]).toBe(parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`);
    });
  });

  it('finds Star Wars and lists Return of the Jedi among its neighbours', async () => {
    await page.getByLabel('Movie title').fill('star wars');
    await page.getByLabel('Movie title').press('Enter');
    await page.locator('#similar-title', { hasText: 'Similar to Star Wars (1977)' }).waitFor();
    const titles = await page.locator('#similar-table tbody tr td:nth-child(2)').allInnerTexts();
    expect(titles).toEqual(model.similarMovies('Star Wars (1977)', 10).map((r) => r.title));
    expect(titles).toContain('Return of the Jedi (1983)');
  });

  it('recommends anew after the visitor rates three movies, as the model folds them in', async () => {
    const picks = [['empire strikes', 172], ['raiders of the lost', 174], ['fargo', 100]] as const;
    for (const [query] of picks) {
      await page.getByLabel('Find a movie to rate').fill(query);
      await page.getByLabel('Find a movie to rate').press('Enter');
      const before = await page.locator('#rated li').count();
      await page.locator('#rate-matches li button').first().click();
      await expect.poll(() => page.locator('#rated li').count()).toBe(before + 1);
    }
    await expect.poll(() => page.locator('#rate-status').innerText()).toBe('10 recommendations from 3 ratings.');
    const titles = await page.locator('#new-recs tbody tr td:nth-child(2)').allInnerTexts();
    const expected = model.recommendForNewUser(picks.map(([, movieId]) => ({ movieId, rating: 5 })), { n: 10 }).map((r) => model.title(r.itemId));
    expect(titles).toEqual(expected);
    // The visitor's reasons name only movies they rated.
    const because = await page.locator('#new-recs tbody tr td:nth-child(3)').allInnerTexts();
    for (const text of because) expect(text).toMatch(/^(Empire Strikes Back, The \(1980\)|Raiders of the Lost Ark \(1981\)|Fargo \(1996\)) \(\d+%\)/);
  });

  it('starts on a random user without ?user, and logged no page errors', async () => {
    const second = await browser.newPage();
    await second.goto(server.url);
    await second.locator('body[data-ready="true"]').waitFor();
    await expect(second.locator('#user-status').innerText()).resolves.toMatch(/^User \d+: \d+ rated items?; 10 recommendations\.$/);
    await second.close();
    expect(pageErrors).toEqual([]);
  });
});

/**
 * The dashboard in real headless Chromium (playwright-core, Debian's /usr/bin/chromium) against
 * the server listening on 127.0.0.1, with a model trained on the real MovieLens 100K.
 * Runs when MOVIELENS_DIR is set; in CI (CI=true) a missing Chromium is a failure, not a skip.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { loadMovieLens } from '../../src/data/loadMovieLens.js';
import { buildInteractions } from '../../src/matrix/interactions.js';
import { ALS } from '../../src/als/model.js';
import { createServer } from '../../src/serve/createServer.js';

const CHROMIUM = '/usr/bin/chromium';
const dir = process.env['MOVIELENS_DIR'];
const inCi = process.env['CI'] === 'true';
const haveChromium = existsSync(CHROMIUM);
const skipReason = !dir
  ? 'MOVIELENS_DIR is not set (point it at an ml-100k folder to run them)'
  : !haveChromium && !inCi
    ? `${CHROMIUM} is missing (apt-get install -y chromium)`
    : null;
if (skipReason !== null) console.warn(`Skipping the dashboard browser tests: ${skipReason}.`);

const SCREENSHOT = 'test-artifacts/dashboard.png';

describe.skipIf(skipReason !== null)('dashboard in headless Chromium on the real MovieLens 100K', () => {
  let app: FastifyInstance;
  let model: ALS;
  let browser: Browser;
  let page: Page;
  let base: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const dataset = await loadMovieLens(dir!);
    model = await new ALS({ factors: 50, iterations: 15, threads: 2 }).fit(buildInteractions(dataset));
    app = createServer(model);
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    // In CI a missing Chromium fails here, loudly, instead of skipping.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') pageErrors.push(msg.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('loads, with the model panel filled in', async () => {
    await page.goto(base);
    await page.locator('body[data-ready="true"]').waitFor();
    await expect(page.title()).resolves.toBe('alsrec dashboard');
    const about = await page.locator('#about').innerText();
    expect(about).toMatch(/users\s+943/);
    expect(about).toMatch(/items\s+1,682/);
    expect(about).toMatch(/factors\s+50/);
    expect(about).toMatch(/scoring\s+(native|ts)/);
    expect(about).toMatch(/evaluation\s+none saved with the model/);
  });

  it("shows user 196's history and 10 recommendations", async () => {
    await page.getByLabel('User id').fill('196');
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    const recs = page.locator('#user-recs tbody tr');
    await expect.poll(() => recs.count()).toBe(10);
    expect(await page.locator('#user-history tbody tr').count()).toBe(39); // user 196 rated 39 movies
    const first = await recs.first().locator('td').allInnerTexts();
    expect(first[0]).toBe('1');
    expect(await recs.first().locator('td .title').innerText()).toMatch(/\(\d{4}\)$/);
    expect(Number(first[3])).toBeGreaterThan(0);
    // "Because you rated ..." under each: titles from the user's history, as GET /users/196/explain/:itemId gives them.
    const history = new Set(await page.locator('#user-history tbody tr td:nth-child(1)').allInnerTexts());
    const reasons = await recs.locator('.reasons').allInnerTexts();
    expect(reasons).toHaveLength(10);
    for (const line of reasons) expect(line).toMatch(/^Because you rated .+ \(\d+%\)$/);
    const topItem = model.recommend(196, { n: 1 })[0]!.itemId;
    const [best] = model.explain(196, topItem, { n: 1 }).contributions;
    expect(reasons[0]).toContain(`Because you rated ${model.title(best!.itemId)} (${Math.round(100 * best!.share)}%)`);
    expect(history.has(model.title(best!.itemId))).toBe(true);
    await expect(page.locator('#user-status').innerText()).resolves.toBe('User 196: 39 rated items; 10 recommendations.');
  });

  it('finds "star wars" by keyboard and lists Return of the Jedi among the similar movies', async () => {
    await page.getByLabel('Item title').fill('star wars');
    await page.getByLabel('Item title').press('Enter');
    await page.locator('#similar-title', { hasText: 'Items similar to Star Wars (1977)' }).waitFor();
    const titles = await page.locator('#similar-table tbody tr td:nth-child(2) .title').allInnerTexts();
    expect(titles).toHaveLength(10);
    expect(titles).toContain('Return of the Jedi (1983)');
    await expect(page.getByRole('button', { name: 'Star Wars (1977)' }).getAttribute('aria-pressed')).resolves.toBe('true');
  });

  it('recommends live for a new user who rates a few movies', async () => {
    for (const query of ['empire strikes', 'raiders of the lost']) {
      await page.getByLabel('Find an item to rate').fill(query);
      await page.getByLabel('Find an item to rate').press('Enter');
      await page.locator('#rate-matches li').first().waitFor();
      const before = await page.locator('#rated li').count();
      await page.locator('#rate-matches li button').first().click();
      await expect.poll(() => page.locator('#rated li').count()).toBe(before + 1);
    }
    await expect.poll(() => page.locator('#rate-status').innerText()).toBe('10 recommendations from 2 ratings.');
    const titles = await page.locator('#new-recs tbody tr td:nth-child(2) .title').allInnerTexts();
    expect(titles).toHaveLength(10);
    expect(titles).not.toContain('Empire Strikes Back, The (1980)');
    // Two ratings: every reason names one or both of the rated movies.
    for (const line of await page.locator('#new-recs .reasons').allInnerTexts()) {
      expect(line).toMatch(/^Because you rated (Empire Strikes Back, The \(1980\)|Raiders of the Lost Ark \(1981\))/);
    }
  });

  it('lists the evaluation figures saved with a model, nested names dotted', async () => {
    const other = createServer(model, { evaluation: { split: 'temporal leave-last-out', als: { 'precision@10': 0.0625 } } });
    const address = await other.listen({ host: '127.0.0.1', port: 0 });
    const second = await browser.newPage();
    await second.goto(address);
    await second.locator('body[data-ready="true"]').waitFor();
    const about = await second.locator('#about').innerText();
    expect(about).toMatch(/evaluation: split\s+temporal leave-last-out/);
    expect(about).toMatch(/evaluation: als\.precision@10\s+0\.0625/);
    await second.close();
    await other.close();
  });

  it('saved a screenshot and logged no page errors', async () => {
    await mkdir('test-artifacts', { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(existsSync(SCREENSHOT)).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});

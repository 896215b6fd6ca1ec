/**
 * The dashboard in real headless Chromium on a string-id model (issue 12): ids such as `u-7f3a`,
 * `85123A` and `"00123"` (a leading zero) go through the page's forms and the URL-encoded API and
 * come back exactly as given. The model is trained here from string-id events (two tastes, as in
 * fixtureModel.ts), saved and loaded (model format 2), and served on 127.0.0.1. Needs no data
 * folder; in CI (CI=true) a missing Chromium is a failure, not a skip.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { ALS } from '../../src/als/model.js';
import { interactionsFromEvents } from '../../src/matrix/interactionsFromEvents.js';
import { createServer } from '../../src/serve/createServer.js';
import { fixtureDataset, fixtureMovies } from './fixtureModel.js';

const CHROMIUM = '/usr/bin/chromium';
const inCi = process.env['CI'] === 'true';
const skip = !existsSync(CHROMIUM) && !inCi;
if (skip) console.warn(`Skipping the string-id dashboard browser test: ${CHROMIUM} is missing (apt-get install -y chromium).`);

/** Space-opera fans u-7f3a, u-7f3b, ...; family-film fans "00123", "00124", ... */
const userId = (u: number) => (u < 100 ? `u-7f${(0x3a + u - 1).toString(16)}` : `00${u + 22}`);
/** Space-opera SKUs 85121A..85128A (85123A among them); family films "00011".."00018". */
const itemId = (i: number) => (i < 10 ? `8512${i}A` : `000${i}`);

describe.skipIf(skip)('dashboard in headless Chromium on a string-id model', () => {
  let app: FastifyInstance;
  let model: ALS;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const r = fixtureDataset().ratings;
    const events = Array.from(r.users, (u, j) => ({ user: userId(u), item: itemId(r.items[j]!), weight: r.ratings[j]! }));
    const titles = new Map([...fixtureMovies()].map(([id, m]) => [itemId(id), m.title]));
    const trained = await new ALS({ factors: 2, iterations: 15, regularization: 0.1, backend: 'ts', threads: 1 }).fit(interactionsFromEvents(events, { titles }));
    const path = join(mkdtempSync(join(tmpdir(), 'alsrec-dashboard-strings-')), 'm.alsrec');
    await trained.save(path);
    model = await ALS.load(path, { backend: 'ts' });
    app = createServer(model);
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(base);
    await page.locator('body[data-ready="true"]').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  /** Shows `user` through the form and returns the rows' item ids and titles, as displayed. */
  async function showUser(user: string): Promise<{ ids: string[]; titles: string[]; historyIds: string[] }> {
    await page.getByLabel('User id').fill(user);
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await page.locator('#user-status', { hasText: `User ${user}:` }).waitFor();
    const rows = page.locator('#user-recs tbody tr');
    const ids = await rows.evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset['itemId'] ?? ''));
    const titles = await rows.locator('td .title').allInnerTexts();
    const historyIds = await page.locator('#user-history tbody tr').evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset['itemId'] ?? ''));
    return { ids, titles, historyIds };
  }

  it('offers the string user ids, leading zeros kept', async () => {
    const offered = await page.locator('#user-ids option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(offered).toHaveLength(40);
    expect(offered).toEqual(expect.arrayContaining(['u-7f3a', '00123']));
    expect(offered).not.toContain('123');
  });

  it('recommends for user "00123": the ids and titles the model gives, family films first', async () => {
    const shown = await showUser('00123');
    const expected = model.recommend('00123', { n: 10 });
    expect(shown.ids).toEqual(expected.map((r) => r.itemId));
    expect(shown.titles).toEqual(expected.map((r) => model.title(r.itemId)));
    // Of the 8 family films the user rated 5; the other 3 ("000" ids) rank above every space SKU.
    expect(shown.ids.slice(0, 3).every((id) => /^000\d\d$/.test(id))).toBe(true);
    expect(shown.historyIds).toHaveLength(5);
    expect(shown.historyIds.every((id) => /^000\d\d$/.test(id))).toBe(true);
    expect(shown.ids.filter((id) => shown.historyIds.includes(id))).toEqual([]);
    await expect(page.locator('#user-status').innerText()).resolves.toBe('User 00123: 5 rated items; 10 recommendations.');
  });

  it('recommends for user "u-7f3a": space-opera SKUs such as 85123A, with their titles', async () => {
    const shown = await showUser('u-7f3a');
    const expected = model.recommend('u-7f3a', { n: 10 });
    expect(shown.ids).toEqual(expected.map((r) => r.itemId));
    expect(shown.titles).toEqual(expected.map((r) => model.title(r.itemId)));
    expect(shown.ids.slice(0, 3).every((id) => /^8512\dA$/.test(id))).toBe(true);
    expect([...shown.ids, ...shown.historyIds]).toContain('85123A');
    const spaceTitles = [...fixtureMovies()].filter(([id]) => id < 10).map(([, m]) => m.title);
    expect(spaceTitles).toEqual(expect.arrayContaining(shown.titles.slice(0, 3)));
  });

  it('says "123" (the integer lookalike of "00123") is not a user', async () => {
    await page.getByLabel('User id').fill('123');
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await expect.poll(() => page.locator('#error').innerText()).toBe('Unknown user id "123"');
  });

  it('logged no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});

#!/usr/bin/env node
// Refreshes the README's screenshots: docs/dashboard.png (alsrec serve's dashboard, user 196
// selected, its charts drawn) and docs/demo.png (the static demo of `alsrec export-demo`, user
// 196, after "star wars" was searched), both in Debian's headless Chromium through playwright-core.
//
//   npm run build
//   node dist/cli/main.js evaluate --seeds 0 --baselines popular,random,itemknn,ease --save /tmp/m.alsrec
//   node scripts/screenshots.mjs --model /tmp/m.alsrec [--out docs] [--chromium /usr/bin/chromium]
//
// Everything listens on 127.0.0.1 only and is closed before the script exits.
import { createServer as createHttpServer } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values } = parseArgs({ options: { model: { type: 'string' }, out: { type: 'string', default: 'docs' }, chromium: { type: 'string', default: '/usr/bin/chromium' } } });
if (values.model === undefined) {
  console.error('usage: node scripts/screenshots.mjs --model m.alsrec [--out docs] [--chromium /usr/bin/chromium]');
  process.exit(2);
}
const root = new URL('../', import.meta.url);
const { ALS } = await import(new URL('dist/index.js', root).href);
const { createServer } = await import(new URL('dist/serve/index.js', root).href);
const { exportDemo } = await import(new URL('dist/demo/exportDemo.js', root).href);

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.bin': 'application/octet-stream' };
/** A static file server over `dir` on 127.0.0.1 (what a static host such as a Space does). */
function serveStatic(dir) {
  const server = createHttpServer(async (request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    try {
      const body = await readFile(join(dir, path.endsWith('/') ? `${path}index.html` : path));
      response.writeHead(200, { 'content-type': TYPES[extname(path) || '.html'] ?? 'application/octet-stream' }).end(body);
    } catch {
      response.writeHead(404).end('not found');
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const model = await ALS.load(values.model);
const app = createServer(model);
const base = await app.listen({ host: '127.0.0.1', port: 0 });
const site = await mkdtemp(join(tmpdir(), 'alsrec-demo-'));
await exportDemo(model, site);
const staticServer = await serveStatic(site);
const browser = await chromium.launch({ executablePath: values.chromium, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  await page.goto(base);
  await page.locator('body[data-ready="true"]').waitFor();
  await page.getByLabel('User id').fill('196');
  await page.getByRole('button', { name: 'Show', exact: true }).click();
  await page.locator('#user-recs tbody tr').first().waitFor();
  await page.locator('#map-chart[data-highlighted]').waitFor();
  await page.screenshot({ path: join(values.out, 'dashboard.png'), fullPage: true });
  console.log(`wrote ${join(values.out, 'dashboard.png')}`);

  const demo = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  await demo.goto(`http://127.0.0.1:${staticServer.address().port}/?user=196`);
  await demo.locator('body[data-ready="true"]').waitFor();
  await demo.getByLabel('Movie title').fill('star wars');
  await demo.getByLabel('Movie title').press('Enter');
  await demo.locator('#similar-table tbody tr').first().waitFor();
  await demo.screenshot({ path: join(values.out, 'demo.png'), fullPage: true });
  console.log(`wrote ${join(values.out, 'demo.png')}`);
} finally {
  await browser.close();
  await app.close();
  staticServer.close();
  await rm(site, { recursive: true, force: true });
}

/**
 * The dashboard: four static files (HTML, CSS, two scripts) and Chart.js, read once at start-up and served from
 * memory. They live in src/serve/public; tsc does not copy them, so they are looked up next to
 * this module first (a build that copies them into dist/serve/public) and then in the package's
 * src/serve/public (vitest runs from src/, and a plain `tsc` build from dist/).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { AlsrecError } from '../../errors.js';

const FILES = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/dashboard.css': { file: 'dashboard.css', type: 'text/css; charset=utf-8' },
  '/dashboard.js': { file: 'dashboard.js', type: 'text/javascript; charset=utf-8' },
  '/dashboardCharts.js': { file: 'dashboardCharts.js', type: 'text/javascript; charset=utf-8' },
} as const;

/**
 * Chart.js (MIT), served from the installed package so the dashboard works offline and without
 * a CDN: its UMD build runs as a plain script (no bundler) and defines `window.Chart`.
 */
export function chartJsFile(): string {
  const entry = createRequire(import.meta.url).resolve('chart.js'); // .../chart.js/dist/chart.cjs
  return join(dirname(entry), 'chart.umd.js');
}

/** Same-origin only: the page fetches the API it is served with and nothing else. */
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The folder holding the dashboard's files. */
export function publicDir(): string {
  const candidates = [new URL('../public/', import.meta.url), new URL('../../../src/serve/public/', import.meta.url)].map((u) => fileURLToPath(u));
  const found = candidates.find((dir) => existsSync(`${dir}index.html`));
  if (found === undefined) throw new AlsrecError(`The dashboard files are missing: looked in ${candidates.join(' and ')}`, 'ERR_ALSREC_SERVE');
  return found;
}

export function dashboardRoutes(): FastifyPluginAsync {
  return async (app) => {
    const dir = publicDir();
    for (const [url, { file, type }] of Object.entries(FILES)) {
      const bytes = readFileSync(`${dir}${file}`);
      app.get(url, { schema: { hide: true } }, async (_request, reply) => {
        return reply.type(type).header('cache-control', 'no-cache').header('content-security-policy', CSP).send(bytes);
      });
    }
    const chartJs = readFileSync(chartJsFile());
    app.get('/vendor/chart.umd.js', { schema: { hide: true } }, async (_request, reply) => {
      return reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(chartJs);
    });
  };
}

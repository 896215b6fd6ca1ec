/**
 * The static demo's page files: index.html, the dashboard's stylesheet and demo.js, the browser
 * bundle of browser/demoPage.ts (scoring, fold-in and explanations in TypeScript, built by
 * esbuild). `npm run build` writes the bundle into dist/demo/browser/demo.js
 * (scripts/build-demo.mjs), so the installed package ships it and needs no bundler; running from
 * the sources (the tests), it is built in memory with the same options.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AlsrecError } from '../errors.js';
import { publicDir } from '../serve/routes/dashboard.js';

export interface DemoPageFiles {
  readonly 'index.html': Uint8Array;
  readonly 'dashboard.css': Uint8Array;
  readonly 'demo.js': Uint8Array;
}

const ENTRY = fileURLToPath(new URL('./browser/demoPage.ts', import.meta.url));
const BUILT = fileURLToPath(new URL('./browser/demo.js', import.meta.url));

/**
 * Bundles browser/demoPage.ts for the browser (one minified script, no imports left).
 * @param outfile where to write it; omitted, the bundle is returned and nothing is written.
 * @example await buildDemoBundle('dist/demo/browser/demo.js');
 */
export async function buildDemoBundle(outfile?: string, entry = ENTRY): Promise<Uint8Array> {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch {
    throw new AlsrecError(`The demo's browser bundle is missing (${BUILT}) and esbuild is not installed to build it: run npm run build in a checkout with its devDependencies`, 'ERR_ALSREC_DEMO');
  }
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2020'],
    legalComments: 'none',
    logLevel: 'silent',
    write: false,
  });
  const bytes = result.outputFiles[0]!.contents;
  if (outfile !== undefined) {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const { dirname } = await import('node:path');
    mkdirSync(dirname(outfile), { recursive: true });
    writeFileSync(outfile, bytes);
  }
  return bytes;
}

/**
 * The page's files: the shipped bundle when there is one (an installed package, a build), else
 * the sources bundled now.
 * @example const files = await demoPageFiles(); files['demo.js'].byteLength;
 */
export async function demoPageFiles(): Promise<DemoPageFiles> {
  const html = fileURLToPath(new URL('./public/index.html', import.meta.url));
  if (!existsSync(html)) throw new AlsrecError(`The demo page is missing: ${html}`, 'ERR_ALSREC_DEMO');
  const script = existsSync(BUILT) ? readFileSync(BUILT) : existsSync(ENTRY) ? await buildDemoBundle() : null;
  if (script === null) throw new AlsrecError(`The demo's browser bundle is missing: ${BUILT} (run npm run build)`, 'ERR_ALSREC_DEMO');
  return { 'index.html': readFileSync(html), 'dashboard.css': readFileSync(`${publicDir()}dashboard.css`), 'demo.js': script };
}

#!/usr/bin/env node
// Part of `npm run build` (after tsc): bundles the static demo's page script with esbuild into
// dist/demo/browser/demo.js and copies its page into dist/demo/public, so `alsrec export-demo`
// works from the installed package without a bundler. The options live in src/demo/demoBundle.ts.
import { cpSync } from 'node:fs';
const { buildDemoBundle } = await import(new URL('../dist/demo/demoBundle.js', import.meta.url).href);
const out = new URL('../dist/demo/browser/demo.js', import.meta.url);
const bytes = await buildDemoBundle(out.pathname, new URL('../src/demo/browser/demoPage.ts', import.meta.url).pathname);
cpSync(new URL('../src/demo/public', import.meta.url), new URL('../dist/demo/public', import.meta.url), { recursive: true });
console.log(`demo bundle: dist/demo/browser/demo.js (${bytes.byteLength.toLocaleString('en')} bytes)`);

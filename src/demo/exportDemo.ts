/**
 * `alsrec export-demo`: a static site that recommends without a server. The folder gets the page
 * (index.html, dashboard.css, demo.js: demoBundle.ts), the model data (model.json, model.bin:
 * demoData.ts) and a README.md whose front matter makes the folder a Hugging Face static Space.
 * Every file is written atomically; files already in the folder that the export does not write
 * are left alone.
 */
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ALS } from '../als/model.js';
import { InvalidOptionError } from '../errors.js';
import { writeFileAtomic } from '../persistence/atomicWrite.js';
import { encodeDemoData, type DemoSource } from './demoData.js';
import { demoPageFiles } from './demoBundle.js';

export interface ExportedDemo {
  /** Each written file and its size in bytes, in writing order. */
  readonly files: ReadonlyArray<{ readonly name: string; readonly bytes: number }>;
  readonly totalBytes: number;
}

/** The Space card: `sdk: static` serves index.html as it is. */
export function spaceReadme(title: string): string {
  return `---
title: ${title.replace(/[\r\n:]/g, ' ')}
emoji: 🎬
colorFrom: blue
colorTo: indigo
sdk: static
app_file: index.html
pinned: false
---

A static demo of an implicit-feedback ALS model, exported by \`alsrec export-demo\`: every
recommendation, similar item, fold-in of your ratings and explanation is computed in the browser.
Open it with \`?user=ID\` to start on a user.
`;
}

/** What the demo needs of a fitted model. */
export function demoSource(model: ALS): DemoSource {
  const s = model.state;
  const o = model.options;
  const itemIds = Array.from({ length: s.items.size }, (_, j) => s.items.id(j));
  return {
    factors: o.factors,
    options: { regularization: o.regularization, alpha: o.alpha, convention: o.convention, regularizationExponent: o.regularizationExponent, unobservedWeight: o.unobservedWeight },
    userIds: Array.from({ length: s.users.size }, (_, j) => s.users.id(j)),
    itemIds,
    titles: itemIds.map((id) => model.title(id)),
    genres: itemIds.map((id) => s.movies.get(id)?.genres ?? []),
    userFactors: s.userFactors,
    itemFactors: s.itemFactors,
    liked: s.liked,
  };
}

/**
 * Writes the static demo of `model` into the folder `out` (created if missing).
 * @throws InvalidOptionError when `out` exists and is not a folder.
 * @example const { totalBytes } = await exportDemo(await ALS.load('m.alsrec'), 'site');
 */
export async function exportDemo(model: ALS, out: string, options: { title?: string } = {}): Promise<ExportedDemo> {
  let isFolder = false;
  try {
    isFolder = statSync(out).isDirectory();
    if (!isFolder) throw new InvalidOptionError('--out', `Expected a folder for --out but received the file "${out}"`);
  } catch (err) {
    if (err instanceof InvalidOptionError) throw err;
  }
  if (!isFolder) mkdirSync(out, { recursive: true });
  const page = await demoPageFiles();
  const { meta, binary } = encodeDemoData(demoSource(model));
  const files: Array<[string, Uint8Array]> = [
    ['index.html', page['index.html']],
    ['dashboard.css', page['dashboard.css']],
    ['demo.js', page['demo.js']],
    ['model.json', Buffer.from(JSON.stringify(meta), 'utf8')],
    ['model.bin', binary],
    ['README.md', Buffer.from(spaceReadme(options.title ?? 'alsrec demo'), 'utf8')],
  ];
  for (const [name, bytes] of files) await writeFileAtomic(join(out, name), [bytes]);
  const listed = files.map(([name, bytes]) => ({ name, bytes: bytes.byteLength }));
  return { files: listed, totalBytes: listed.reduce((s, f) => s + f.bytes, 0) };
}

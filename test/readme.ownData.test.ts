/**
 * The README's "Your own data" library example, run verbatim: the first ```js block under
 * "### In a program" is written into the package folder (so `import ... from 'alsrec'` resolves to
 * this package through its exports) and run with Node against the compiled dist/, in a scratch
 * working folder (it saves `shop.alsrec`).
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));

function ownDataExample(): string {
  const readme = readFileSync(`${root}README.md`, 'utf8');
  const at = readme.indexOf('### In a program');
  if (at < 0) throw new Error('README.md has no "### In a program" section');
  const match = /```js\n([\s\S]*?)```/.exec(readme.slice(at));
  if (match === null) throw new Error('README.md has no ```js block under "### In a program"');
  return match[1]!;
}

describe('README "Your own data" library example', () => {
  it('trains on string ids, recommends, saves, loads and recommends the same', () => {
    if (!existsSync(`${root}dist/index.js`)) throw new Error('dist/ is missing: run `npm run build` (npm install does it)');
    mkdirSync(`${root}test-artifacts`, { recursive: true });
    const file = `${root}test-artifacts/readme-own-data.mjs`;
    writeFileSync(file, ownDataExample());
    const cwd = mkdtempSync(join(tmpdir(), 'alsrec-readme-'));
    const out = execFileSync(process.execPath, [file], { cwd, env: { ...process.env, ALSREC_BACKEND: 'ts' }, encoding: 'utf8' });
    // Two printed lists of { itemId, score } with string ids u1 has not rated, the same before and after the save.
    const lists = [...out.matchAll(/\[[^\]]*\]/g)].map((m) => m[0]);
    expect(lists).toHaveLength(2);
    expect(lists[0]).toBe(lists[1]);
    expect(lists[0]).toMatch(/itemId: 'sku-31'/);
    expect(lists[0]).not.toMatch(/sku-9|sku-12/);
    expect(out.trim().endsWith('Blue teapot')).toBe(true);
    expect(readFileSync(join(cwd, 'shop.alsrec')).readUInt32LE(8)).toBe(2);
  }, 60_000);
});

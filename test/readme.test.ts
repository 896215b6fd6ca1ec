/**
 * The README's library example, run verbatim: the first ```js block under "## Library" is written
 * into the package folder (so `import ... from 'alsrec'` resolves to this package through its
 * exports) and run with Node against the compiled dist/.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const dir = process.env['MOVIELENS_DIR'];
if (!dir) console.warn('Skipping the README example: MOVIELENS_DIR is not set.');

function readmeExample(): string {
  const readme = readFileSync(`${root}README.md`, 'utf8');
  const section = readme.slice(readme.indexOf('## Library'));
  const match = /```js\n([\s\S]*?)```/.exec(section);
  if (match === null) throw new Error('README.md has no ```js block under "## Library"');
  return match[1]!;
}

describe.skipIf(!dir)('README library example (MOVIELENS_DIR)', () => {
  it('runs verbatim and prints recommendations, similar movies and a hit rate', () => {
    if (!existsSync(`${root}dist/index.js`)) throw new Error('dist/ is missing: run `npm run build` (npm install does it)');
    const code = readmeExample();
    expect(code.trim().split('\n').length).toBeLessThanOrEqual(15);
    mkdirSync(`${root}test-artifacts`, { recursive: true });
    const file = `${root}test-artifacts/readme-example.mjs`;
    writeFileSync(file, code);
    const out = execFileSync(process.execPath, [file], { cwd: root, env: { ...process.env, MOVIELENS_DIR: dir }, encoding: 'utf8' });
    const lines = out.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(7);
    expect(lines.slice(0, 5).every((l) => /^.+ \(\d{4}\) \d\.\d{3}$/.test(l)), out).toBe(true);
    expect(out).toContain('Return of the Jedi (1983)');
    const hitRate = Number(/HitRate@10 (\d\.\d+)/.exec(out)?.[1]);
    expect(hitRate).toBeGreaterThan(0.06);
  }, 60_000);
});

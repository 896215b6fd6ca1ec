/**
 * The README's "Your own data / From the command line" example, run as written (in-process) on
 * ../shared/data/online-retail; skips when that file is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCaptured } from './helpers/runCaptured.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const present = existsSync(`${root}../shared/data/online-retail/online-retail.csv.gz`);
if (!present) console.log('readme.yourOwnData.test: ../shared/data/online-retail is absent; skipped');

function readmeCommand(): string[] {
  const readme = readFileSync(`${root}README.md`, 'utf8');
  const section = readme.slice(readme.indexOf('### From the command line'));
  const match = /```sh\n(alsrec train [^\n]+)\n```/.exec(section);
  if (match === null) throw new Error('README.md has no `alsrec train` block under "### From the command line"');
  return match[1]!.split(' ').slice(1);
}

describe.skipIf(!present)('README: your own data from the command line', () => {
  it('trains on Online Retail and prints item descriptions for customer 17850', async () => {
    const args = readmeCommand();
    expect(args).toContain('--user');
    const cwd = process.cwd();
    process.chdir(root);
    try {
      const run = await runCaptured(...args, '--iterations', '5');
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain('541,909 rows, 397,924 events kept, 4,339 users, 3,665 items');
      const recs = /Top-5 recommendations for user_id 17850:\n((?:.*\n){5})/.exec(run.stdout)?.[1]?.trim().split('\n') ?? [];
      expect(recs).toHaveLength(5);
      // Descriptions (upper-case words), not numeric codes.
      for (const line of recs) expect(line).toMatch(/^\s*\d+\. [A-Z][A-Z0-9 ,.'&/-]+ \(score -?\d+\.\d{4}\)$/);
    } finally {
      process.chdir(cwd);
    }
  }, 120_000);

  it('shows the stock codes themselves as item ids in --json', async () => {
    const cwd = process.cwd();
    process.chdir(root);
    try {
      const run = await runCaptured(...readmeCommand(), '--iterations', '2', '--json');
      expect(run.code, run.stderr).toBe(0);
      const doc = JSON.parse(run.stdout);
      expect(doc.recommendations.userId).toBe(17850);
      expect(doc.recommendations.items).toHaveLength(5);
      // Stock codes as in the file (strings such as 85123A or 22423), not table codes 0, 1, ...
      for (const item of doc.recommendations.items) {
        expect(typeof item.movieId).toBe('string');
        expect(item.movieId).toMatch(/^[0-9A-Z]{1,12}$/);
      }
      expect(doc.recommendations.items.some((item: { movieId: string }) => /^\d{5}[A-Z]*$/.test(item.movieId))).toBe(true);
    } finally {
      process.chdir(cwd);
    }
  }, 120_000);
});

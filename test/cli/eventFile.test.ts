/**
 * The --data event-file flags on the commands: one shared definition, validated before the load,
 * a load summary on stderr, exit 2 for a usage error and 1 for bad data.
 */
import { describe, expect, it, vi } from 'vitest';
import { runCaptured } from '../helpers/runCaptured.js';
import { fixtureDir } from '../data/fixtureDir.js';

vi.stubEnv('ALSREC_BACKEND', 'ts');
const FIT = ['--factors', '2', '--iterations', '3', '--threads', '1'];

function shopLog(): string {
  const lines = ['InvoiceNo,StockCode,Description,Quantity,InvoiceDate,CustomerID'];
  const codes = ['85123A', '71053', '84406B', 'POST', '22423'];
  for (let c = 0; c < 12; c++) {
    for (let k = 0; k < 4; k++) {
      const code = codes[(c + k) % codes.length]!;
      lines.push(`5363${c},${code},"Item ${code}, boxed",${k + 1},2011-0${1 + (k % 9)}-0${1 + (c % 9)} 08:26:00,${17850 + c}.0`);
    }
  }
  lines.push('C536379,85123A,"Item 85123A, boxed",-1,2011-09-09 09:41:00,17850.0');
  lines.push('536380,71053,"no customer",5,2011-09-09 09:41:00,');
  return `${lines.join('\n')}\n`;
}

const FLAGS = ['--user-col', 'CustomerID', '--item-col', 'StockCode', '--weight-col', 'Quantity', '--time-col', 'InvoiceDate', '--title-col', 'Description'];

describe('--data FILE on the commands', () => {
  it('trains on an event log and recommends item titles for a float-looking customer id', async () => {
    const dir = fixtureDir({ 'shop.csv': shopLog() });
    const run = await runCaptured('train', '--data', `${dir}/shop.csv`, ...FLAGS, ...FIT, '--user', '17850', '--top', '2', '--json');
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`Read ${dir}/shop.csv: 50 rows, 48 events kept, 12 users, 5 items`);
    expect(run.stderr).toContain('dropped: 1 without a user, 1 with a weight <= 0 (cancellations, returns)');
    const doc = JSON.parse(run.stdout);
    expect(doc.dataset.format).toBe('events');
    expect(doc.recommendations.userId).toBe(17850);
    for (const item of doc.recommendations.items) expect(item.title).toMatch(/^Item [0-9A-Z]+, boxed$/);
  });

  it('evaluates on an event log', async () => {
    const dir = fixtureDir({ 'shop.csv': shopLog() });
    const run = await runCaptured('evaluate', '--data', `${dir}/shop.csv`, ...FLAGS, ...FIT, '--k', '2', '--seeds', '0', '--baselines', 'popular', '--json');
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.split.seeds[0].test).toBe(12);
    expect(doc.models.map((m: { name: string }) => m.name)).toEqual(['ALS', 'most popular']);
  });

  it('is a usage error (exit 2) without --user-col, or with a bad --event-weights', async () => {
    const dir = fixtureDir({ 'shop.csv': shopLog() });
    const missing = await runCaptured('train', '--data', `${dir}/shop.csv`, '--item-col', 'StockCode');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`alsrec: --user-col is required with an event file (--data ${dir}/shop.csv): name the column that holds the user id\n`);
    const weights = await runCaptured('train', '--data', `${dir}/shop.csv`, ...FLAGS, '--event-col', 'InvoiceNo', '--event-weights', 'view=one');
    expect(weights.code).toBe(2);
    expect(weights.stderr).toContain('Expected a list of event=weight pairs like view=1,cart=4,purchase=10 for --event-weights but received "view=one"');
  });

  it('is a runtime error (exit 1) naming the flag and listing the header for a missing column', async () => {
    const dir = fixtureDir({ 'shop.csv': shopLog() });
    const run = await runCaptured('train', '--data', `${dir}/shop.csv`, '--user-col', 'Customer', '--item-col', 'StockCode');
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`alsrec: ${dir}/shop.csv: no column "Customer" (--user-col); the header has: InvoiceNo, StockCode, Description, Quantity, InvoiceDate, CustomerID\n`);
  });
});

describe('train --json data-path phases', () => {
  const INDEX_PHASES = ['map ids', 'order', 'merge + CSR', 'split order'];

  it('reports read + parse and the indexing phases for an event file, as for a MovieLens folder', async () => {
    const dir = fixtureDir({ 'shop.csv': shopLog() });
    const run = await runCaptured('train', '--data', `${dir}/shop.csv`, ...FLAGS, ...FIT, '--user', '17850', '--json');
    expect(run.code).toBe(0);
    const phases: { phase: string; seconds: number; bytes: number }[] = JSON.parse(run.stdout).phases;
    expect(phases.map((p) => p.phase).slice(0, 5)).toEqual(['read + parse', ...INDEX_PHASES]);
    // 48 events kept, with a time column: 20 bytes each.
    expect(phases[0]!.bytes).toBe(48 * 20);
    for (const p of phases) expect(p.seconds).toBeGreaterThanOrEqual(0);
    expect(phases.map((p) => p.phase)).toContain('train');
  });

  it('reports the same phases for a MovieLens folder', async () => {
    const dir = fixtureDir({
      'u.data': '1\t10\t4\t100\n1\t11\t3\t101\n2\t10\t5\t102\n2\t12\t2\t103\n',
      'u.item': ['10|Ten (1995)|', '11|Eleven (1995)|', '12|Twelve (1995)|'].map((m) => `${m}01-Jan-1995||http://example.org/|${Array(19).fill('0').join('|')}`).join('\n') + '\n',
    });
    const run = await runCaptured('train', '--data', dir, ...FIT, '--user', '1', '--json');
    expect(run.code).toBe(0);
    const phases: { phase: string; bytes: number }[] = JSON.parse(run.stdout).phases;
    expect(phases.map((p) => p.phase).slice(0, 5)).toEqual(['read + parse', ...INDEX_PHASES]);
    expect(phases[0]!.bytes).toBe(4 * 20);
  });
});

/**
 * Parsing in worker threads equals the serial parse: same columns, string tables, titles and
 * counts, with chunk boundaries anywhere (also inside quoted fields, which falls back to serial).
 * The workers run the compiled dist/ (npm run build), as an installed package does.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveLoadOptions, type LoadInteractionsOptions } from '../../../src/data/events/loadOptions.js';
import { readDelimitedEventsInParallel } from '../../../src/data/events/parallel/readDelimitedInParallel.js';
import { readDelimitedEvents } from '../../../src/data/events/readDelimitedEvents.js';
import { openTextSource } from '../../../src/data/events/textChunks.js';
import { fixtureDir } from '../fixtureDir.js';

const built = existsSync(new URL('../../../dist/data/events/parallel/parseChunkWorker.js', import.meta.url));
const OPTIONS: LoadInteractionsOptions = { userColumn: 'user', itemColumn: 'item', weightColumn: 'weight', timeColumn: 'time', titleColumn: 'title', onBadRow: 'skip', threads: 3 };

function eventFile(rows: number, quotedNewlines: boolean): string {
  const lines = ['user,item,weight,time,title'];
  for (let r = 0; r < rows; r++) {
    const user = r % 7 === 0 ? `u${r % 13}` : String(r % 11);
    const item = r % 5 === 0 ? `sku-${r % 17}` : String(r % 19);
    const title = quotedNewlines && r % 3 === 0 ? `"line one\nline, two ${r % 17}"` : `title ${r % 17}`;
    lines.push(r % 29 === 0 ? `${user},${item},oops,${r}` : `${user},${item},${(r % 4) + 1},${1_600_000_000 + r},${title}`);
  }
  return `${lines.join('\n')}\n`;
}

describe.skipIf(!built)('readDelimitedEventsInParallel', () => {
  for (const quotedNewlines of [false, true]) {
    it(`equals the serial parse${quotedNewlines ? ' with line ends inside quoted fields' : ''}`, async () => {
      const dir = fixtureDir({ 'e.csv': eventFile(3000, quotedNewlines) });
      const path = `${dir}/e.csv`;
      const resolved = resolveLoadOptions(OPTIONS);
      const serial = await readDelimitedEvents(path, await openTextSource(path, 2 ** 40), resolved, {});
      const parallel = await readDelimitedEventsInParallel(path, await openTextSource(path, 2 ** 40), resolved, {}, 4096);
      if (!quotedNewlines) expect(parallel.threads).toBe(3);
      expect(parallel.events).toEqual(serial.events);
      expect(parallel.counts).toEqual(serial.counts);
      expect(parallel.titles).toEqual(serial.titles);
      expect(serial.counts.skippedBadRows).toBeGreaterThan(0);
    });
  }
});
if (!built) console.log('readDelimitedInParallel.test: dist/ not built (npm run build); worker tests skipped');

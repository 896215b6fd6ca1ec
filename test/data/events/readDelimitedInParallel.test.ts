/**
 * Parsing in worker threads equals the serial parse: same columns, string tables, titles and
 * counts, with chunk boundaries anywhere (also inside quoted fields, which falls back to serial).
 * The workers run the compiled dist/ (npm run build), as an installed package does.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveLoadOptions, type LoadInteractionsOptions } from '../../../src/data/events/loadOptions.js';
import { parseInParallel, readDelimitedEventsInParallel } from '../../../src/data/events/parallel/readDelimitedInParallel.js';
import { RATINGS_PLAN, readRatingsFile } from '../../../src/data/readRatingsFile.js';
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

/** The file of `lines` (user, item, weight, time first) parsed serially and by two threads (which it asserts). */
async function parseBothWays(lines: string[]) {
  const dir = fixtureDir({ 'e.csv': `${lines.join('\n')}\n` });
  const path = `${dir}/e.csv`;
  const resolved = resolveLoadOptions({ userColumn: 'user', itemColumn: 'item', weightColumn: 'weight', timeColumn: 'time', threads: 2 });
  const serial = await readDelimitedEvents(path, await openTextSource(path, 2 ** 40), resolved, {});
  const parallel = await readDelimitedEventsInParallel(path, await openTextSource(path, 2 ** 40), resolved, {}, 4096);
  expect(parallel.threads).toBe(2);
  return { serial, parallel };
}

describe.skipIf(!built)('readDelimitedEventsInParallel', () => {
  it('equals the serial parse on the fast path (no title column), string and integer sides mixed', async () => {
    const dir = fixtureDir({ 'e.csv': eventFile(5000, false).replace(/,title [0-9]+\n/g, '\n').replace('user,item,weight,time,title', 'user,item,weight,time') });
    const path = `${dir}/e.csv`;
    const { titleColumn: _title, ...options } = OPTIONS;
    const resolved = resolveLoadOptions(options);
    const serial = await readDelimitedEvents(path, await openTextSource(path, 2 ** 40), resolved, {});
    const parallel = await readDelimitedEventsInParallel(path, await openTextSource(path, 2 ** 40), resolved, {}, 4096);
    expect(parallel.threads).toBe(3);
    expect(parallel.events).toEqual(serial.events);
    expect(parallel.counts).toEqual(serial.counts);
    expect(serial.events.users.kind).toBe('string');
    expect(serial.counts.skippedBadRows).toBeGreaterThan(0);
  });

  for (const stringsAt of ['first', 'last'] as const) {
    it(`equals the serial parse when only the ${stringsAt} range holds string ids (the first range's rows re-coded in place)`, async () => {
      const rows = 6000;
      const lines = ['user,item,weight,time'];
      for (let r = 0; r < rows; r++) {
        const stringRow = stringsAt === 'first' ? r < 50 : r >= rows - 50;
        lines.push(`${stringRow ? `u${r % 7}` : String(r % 101)},${r % 37},${(r % 4) + 1},${1_600_000_000 + r}`);
      }
      const { serial, parallel } = await parseBothWays(lines);
      expect(serial.events.users.kind).toBe('string');
      expect(parallel.events).toEqual(serial.events);
      expect(parallel.counts).toEqual(serial.counts);
      for (const column of [parallel.events.weights, parallel.events.times!]) expect(column.buffer instanceof SharedArrayBuffer).toBe(false);
    });
  }

  it('equals the serial parse when the rows far outgrow the estimate from the first lines (columns grown, then joined into new arrays)', async () => {
    const lines = ['user,item,weight,time,note'];
    // Long first lines make the estimate from the head small; the short ones after are many more.
    for (let r = 0; r < 4000; r++) lines.push(`${r % 13},${r % 7},1,${1_600_000_000 + r},${'x'.repeat(300)}`);
    for (let r = 0; r < 100_000; r++) lines.push(`${r % 101},${r % 37},${(r % 4) + 1},${1_600_000_000 + r},`);
    const { serial, parallel } = await parseBothWays(lines);
    expect(parallel.events.length).toBe(104_000);
    expect(parallel.events).toEqual(serial.events);
    expect(parallel.counts).toEqual(serial.counts);
  });

  it('parses a MovieLens ratings file as the serial preset does, into unshared columns', async () => {
    const lines: string[] = [];
    for (let r = 0; r < 4000; r++) lines.push(`${r % 97}::${(r * 7) % 501}::${(r % 10) / 2}::${978300760 + r}`);
    lines.splice(1234, 0, '', '0042::7::3::5'); // a blank line, and a leading zero (the MovieLens rules' path)
    const dir = fixtureDir({ 'ratings.dat': `${lines.join('\n')}\n` });
    const path = `${dir}/ratings.dat`;
    const layout = { separator: '::', separatorName: '"::"-separated', encoding: 'latin1' } as const;
    const serial = await readRatingsFile(path, layout);
    const size = statSync(path).size;
    const parsed = await parseInParallel(path, size, readFileSync(path), 0, 1, RATINGS_PLAN, { kind: 'ratings', layout }, 3);
    expect(parsed).not.toBeNull();
    const { users, items, weights, times, length } = parsed!.events;
    expect(length).toBe(serial.length);
    expect(users).toEqual({ kind: 'int', values: serial.users.subarray(0, serial.length) });
    expect(items).toEqual({ kind: 'int', values: serial.items.subarray(0, serial.length) });
    expect(weights).toEqual(serial.ratings.subarray(0, serial.length));
    expect(times).toEqual(serial.timestamps.subarray(0, serial.length));
    // Unshared memory, as the native kernels require.
    expect(users.kind === 'int' && users.values.buffer instanceof SharedArrayBuffer).toBe(false);
    expect(serial.users[1234]).toBe(42);
  });

  it('equals the serial parse on a file the workers take part in, this thread holding one range at a time', async () => {
    const lines: string[] = [];
    // Large enough that the workers, tens of ms to start, take part; this thread's limit of one
    // set of range columns makes it wait at times (the wait itself: rangeColumnsPool.test.ts).
    for (let r = 0; r < 500_000; r++) lines.push(`${r % 997}\t${(r * 7) % 1501}\t${(r % 10) / 2}\t${978300760 + r}`);
    const dir = fixtureDir({ 'u.data': `${lines.join('\n')}\n` });
    const path = `${dir}/u.data`;
    const layout = { separator: '\t', separatorName: 'tab-separated', encoding: 'latin1' } as const;
    const serial = await readRatingsFile(path, layout);
    const n = serial.length;
    // Compared as bytes: toEqual walks 500,000 elements slowly.
    const bytes = (a: Int32Array | Float32Array | Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    for (const threads of [2, 3]) {
      const parsed = await parseInParallel(path, statSync(path).size, readFileSync(path), 0, 1, RATINGS_PLAN, { kind: 'ratings', layout }, threads, 1);
      expect(parsed).not.toBeNull();
      const { users, items, weights, times, length } = parsed!.events;
      expect(length).toBe(n);
      if (users.kind !== 'int' || items.kind !== 'int') throw new Error('integer ids expected');
      expect(bytes(users.values).equals(bytes(serial.users.subarray(0, n)))).toBe(true);
      expect(bytes(items.values).equals(bytes(serial.items.subarray(0, n)))).toBe(true);
      expect(bytes(weights).equals(bytes(serial.ratings.subarray(0, n)))).toBe(true);
      expect(bytes(times!).equals(bytes(serial.timestamps.subarray(0, n)))).toBe(true);
    }
  });

  it('equals the serial parse with string ids on a file the workers take part in (each thread interning once for all its ranges)', async () => {
    const lines = ['user,item,weight,time'];
    // Users grouped as in a sorted log (each range meets its own), items everywhere, some integer.
    for (let r = 0; r < 400_000; r++) lines.push(`u${Math.floor(r / 50)},${r % 7 === 0 ? r % 301 : `sku-${(r * 13) % 2003}`},${(r % 4) + 1},${1_600_000_000 + r}`);
    const { serial, parallel } = await parseBothWays(lines);
    const { users, items } = parallel.events;
    if (users.kind !== 'string' || items.kind !== 'string' || serial.events.users.kind !== 'string' || serial.events.items.kind !== 'string') throw new Error('string ids expected');
    expect(users.table).toEqual(serial.events.users.table);
    expect(items.table).toEqual(serial.events.items.table);
    const bytes = (a: Int32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    expect(bytes(users.codes).equals(bytes(serial.events.users.codes))).toBe(true);
    expect(bytes(items.codes).equals(bytes(serial.events.items.codes))).toBe(true);
    expect(parallel.counts).toEqual(serial.counts);
  });

  it('leaves a malformed MovieLens line to the serial parse (null)', async () => {
    const lines = Array.from({ length: 3000 }, (_, r) => `${r}\t${r % 50}\t4\t${r}`);
    lines[2500] = '1\t2\tfive\t4';
    const dir = fixtureDir({ 'u.data': `${lines.join('\n')}\n` });
    const path = `${dir}/u.data`;
    const layout = { separator: '\t', separatorName: 'tab-separated', encoding: 'latin1' } as const;
    expect(await parseInParallel(path, statSync(path).size, readFileSync(path), 0, 1, RATINGS_PLAN, { kind: 'ratings', layout }, 2)).toBeNull();
    await expect(readRatingsFile(path, layout)).rejects.toThrow(`${path}:2501: rating "five" is not a number`);
  });

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

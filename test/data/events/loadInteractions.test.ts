/**
 * loadInteractions on small hand-written files: formats, the id and time rules, the row rules and
 * their counts, and the bad-input messages of issue 12.
 */
import { gzipSync } from 'node:zlib';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { loadInteractions } from '../../../src/data/events/loadInteractions.js';
import type { IdColumn } from '../../../src/data/rawInteractions.js';
import { DataFormatError } from '../../../src/errors.js';
import { fixtureDir } from '../fixtureDir.js';

const BASIC = { userColumn: 'user', itemColumn: 'item', weightColumn: 'weight', timeColumn: 'time' };

function ids(column: IdColumn): (number | string)[] {
  return column.kind === 'int' ? [...column.values] : [...column.codes].map((c) => column.table[c]!);
}

async function loadText(name: string, content: string | Buffer, options: Parameters<typeof loadInteractions>[1] = BASIC) {
  const dir = fixtureDir({ [name]: content });
  return { path: `${dir}/${name}`, loaded: await loadInteractions(`${dir}/${name}`, options) };
}

async function failure(name: string, content: string | Buffer, options: Parameters<typeof loadInteractions>[1] = BASIC): Promise<string> {
  const dir = fixtureDir({ [name]: content });
  const error = await loadInteractions(`${dir}/${name}`, options).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(DataFormatError);
  return (error as Error).message.replace(`${dir}/`, '');
}

describe('loadInteractions', () => {
  it('reads a CSV with quoted fields, integer and string ids as given', async () => {
    const { loaded } = await loadText('e.csv', 'user,item,weight,time,title\n1,85123A,2,2024-05-01T10:00:00Z,"Heart, white"\n2,00123,1.5,1714557600,"say ""hi"""\n1,7,3,1714557600000,"two\nlines"\n');
    expect(loaded.events.length).toBe(3);
    expect(ids(loaded.events.users)).toEqual([1, 2, 1]);
    expect(loaded.events.users.kind).toBe('int');
    expect(ids(loaded.events.items)).toEqual(['85123A', '00123', '7']);
    expect([...loaded.events.weights]).toEqual([2, 1.5, 3]);
    expect([...loaded.events.times!]).toEqual([1714557600, 1714557600, 1714557600]);
    expect(loaded.summary).toMatchObject({ rows: 3, kept: 3, users: 2, items: 3, format: 'csv', compressed: false });
  });

  it('reads float-looking integer ids as integers (17850.0 is user 17850) and keeps leading zeros as strings', async () => {
    const { loaded } = await loadText('e.csv', 'user,item\n17850.0,1\n17850,2\n', { userColumn: 'user', itemColumn: 'item' });
    expect(loaded.events.users).toEqual({ kind: 'int', values: Int32Array.of(17850, 17850) });
    expect([...loaded.events.weights]).toEqual([1, 1]);
    expect(loaded.events.times).toBeNull();
    const mixed = await loadText('m.csv', 'user,item\n17850.0,1\nu-7f3a,2\n007,3\n', { userColumn: 'user', itemColumn: 'item' });
    expect(ids(mixed.loaded.events.users)).toEqual(['17850', 'u-7f3a', '007']);
  });

  it('reads gzip, TSV (detected), a headerless file with columns, JSON Lines and Parquet alike', async () => {
    const csv = 'user,item,weight,time\n1,a,2,2020-01-02 03:04:05\n2,b,1,2020-01-02 03:04:06\n';
    const expected = (await loadText('e.csv', csv)).loaded.events;
    expect((await loadText('e.csv.gz', gzipSync(csv))).loaded.events).toEqual(expected);
    expect((await loadText('e.csv.gz', gzipSync(csv))).loaded.summary.compressed).toBe(true);
    expect((await loadText('e.tsv', csv.replaceAll(',', '\t'))).loaded.events).toEqual(expected);
    expect((await loadText('e.txt', csv.split('\n').slice(1).join('\n'), { ...BASIC, columns: ['user', 'item', 'weight', 'time'] })).loaded.events).toEqual(expected);
    const jsonl = '{"user":1,"item":"a","weight":2,"time":"2020-01-02 03:04:05"}\n\n{"user":"2","item":"b","weight":1,"time":"2020-01-02T03:04:06Z"}\n';
    expect((await loadText('e.jsonl', jsonl)).loaded.events).toEqual(expected);
    expect((await loadText('e.jsonl.gz', gzipSync(jsonl))).loaded.events).toEqual(expected);
    const parquet = Buffer.from(parquetWriteBuffer({
      columnData: [
        { name: 'user', data: Int32Array.of(1, 2) },
        { name: 'item', data: ['a', 'b'] },
        { name: 'weight', data: Float32Array.of(2, 1) },
        { name: 'time', data: ['2020-01-02 03:04:05', '2020-01-02 03:04:06'] },
      ],
    }));
    expect((await loadText('e.parquet', parquet)).loaded.events).toEqual(expected);
  });

  it('drops rows without a user or item and with a weight <= 0, and counts them', async () => {
    const { loaded } = await loadText('e.csv', 'user,item,weight\n,a,1\n1,,1\n1,a,-3\n1,a,0\n1,b,2\n', { userColumn: 'user', itemColumn: 'item', weightColumn: 'weight' });
    expect(loaded.summary).toMatchObject({ rows: 5, kept: 1, emptyUser: 1, emptyItem: 1, nonPositiveWeight: 2 });
  });

  it('weights events by type, drops types without a weight, and warns of a weight naming an absent type', async () => {
    const { loaded } = await loadText('e.csv', 'user,item,type\n1,a,view\n1,a,purchase\n2,b,click\n', {
      userColumn: 'user', itemColumn: 'item', eventColumn: 'type', eventWeights: { view: 1, purchase: 10, cart: 4 },
    });
    expect([...loaded.events.weights]).toEqual([1, 10]);
    expect(loaded.summary.unweightedEvent).toBe(1);
    expect(loaded.summary.eventCounts).toEqual({ view: 1, purchase: 1, click: 1 });
    expect(loaded.summary.warnings).toEqual(['eventWeights names "cart", absent from the data; events found: view 1, purchase 1, click 1']);
  });

  it('takes each item\'s first non-empty title, from the events or an items file', async () => {
    const { loaded } = await loadText('e.csv', 'user,item,title\n1,A, \n1,A,First \n2,A,Second\n2,7,Seven\n', { userColumn: 'user', itemColumn: 'item', titleColumn: 'title' });
    expect([...loaded.titles]).toEqual([['A', 'First'], ['7', 'Seven']]);
    const dir = fixtureDir({ 'e.csv': 'u,i\n1,10\n2,20\n', 'items.csv': 'id;name\n10;Ten\n020;not 20\n20;Twenty\n' });
    const withFile = await loadInteractions(`${dir}/e.csv`, { userColumn: 'u', itemColumn: 'i', items: { path: `${dir}/items.csv`, idColumn: 'id', titleColumn: 'name' } });
    expect([...withFile.titles]).toEqual([[10, 'Ten'], [20, 'Twenty']]);
  });

  it('names a missing column and lists the header', async () => {
    expect(await failure('e.csv', 'CustomerID,StockCode\n1,2\n', { userColumn: 'Customer', itemColumn: 'StockCode' }))
      .toBe('e.csv: no column "Customer" (userColumn); the header has: CustomerID, StockCode');
  });

  it('names file:line and quotes a malformed row, control characters escaped', async () => {
    expect(await failure('e.csv', 'user,item,weight,time\n1,a,1,0\n1,a,x\x1b[2J,0\n')).toBe('e.csv:3: weight "x\\x1b[2J" is not a finite number: "1,a,x\\x1b[2J,0"');
    expect(await failure('e.csv', 'user,item,weight,time\n1,a,1\n')).toBe('e.csv:2: expected 4 fields but found 3: "1,a,1"');
    expect(await failure('e.csv', 'user,item,weight,time\n1,a,1,yesterday\n')).toBe('e.csv:2: time "yesterday" is not epoch seconds or milliseconds, ISO 8601 or YYYY-MM-DD HH:MM:SS: "1,a,1,yesterday"');
    expect(await failure('e.csv', 'user,item,weight,time\n1,"a"b,1,0\n')).toBe('e.csv:2: a closing quote is followed by data instead of a delimiter or line end: "1,\\"a\\"b,1,0"'.replaceAll('\\"', '"'));
    expect(await failure('e.jsonl', '{"user":1,"item":"a","weight":1,"time":0}\n[1]\n')).toBe('e.jsonl:2: not a JSON object: "[1]"');
  });

  it('refuses an id longer than 1 KiB, naming file:line', async () => {
    const message = await failure('e.csv', `user,item,weight,time\n1,a,1,0\n${'u'.repeat(1025)},a,1,0\n`);
    expect(message.startsWith('e.csv:3: user id longer than 1024 bytes: "uuu')).toBe(true);
  });

  it('skips malformed rows with onBadRow skip, counting them with their lines', async () => {
    const { loaded } = await loadText('e.csv', 'user,item,weight,time\n1,a,1,0\n1,a\n2,b,1,0\n2,b,q,0\n', { ...BASIC, onBadRow: 'skip' });
    expect(loaded.summary).toMatchObject({ rows: 4, kept: 2, skippedBadRows: 2, skippedExamples: ['line 3: expected 4 fields but found 2', 'line 5: weight "q" is not a finite number'] });
  });

  it('says which rule dropped what when no row is usable', async () => {
    expect(await failure('e.csv', 'user,item,weight,time\n,a,1,0\n1,a,-1,0\n1,a,-2,0\n')).toBe('e.csv: no usable row: of 3 rows, 1 with an empty user id, 2 with a weight <= 0');
    expect(await failure('e.csv', 'user,item,weight,time\n')).toBe('e.csv: no data rows');
    expect(await failure('e.csv', '')).toBe('e.csv: file is empty');
  });

  it('validates its options once, naming them', async () => {
    await expect(loadInteractions('x.csv', { userColumn: '', itemColumn: 'i' })).rejects.toThrow('Expected a column name for userColumn but received "" of type string');
    await expect(loadInteractions('x.csv', { userColumn: 'u', itemColumn: 'i', delimiter: '::' })).rejects.toThrow('Expected one single-byte character other than a quote or line end for delimiter but received "::" of type string');
    await expect(loadInteractions('x.csv', { userColumn: 'u', itemColumn: 'i', eventColumn: 'type' })).rejects.toThrow('Expected eventWeights as well (the weight of each event type) for eventColumn but received "type" of type string');
  });
});

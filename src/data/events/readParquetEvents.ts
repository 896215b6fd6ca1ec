/**
 * Parquet (through hyparquet, pure JS) into event columns: the named columns are read row group
 * by row group and fed to the same row rules as the text formats.
 */
import { readFileSync } from 'node:fs';
import { DataFormatError } from '../../errors.js';
import { openRegularFile } from '../openRegularFile.js';
import { BadRowError, EventColumnsBuilder, type ParsedEvents } from './eventColumnsBuilder.js';
import type { ResolvedLoadOptions } from './loadOptions.js';
import { ValueRecordFeeder } from './valueRecords.js';

/** Parquet files are read whole into memory: at most this many bytes. */
export const MAX_PARQUET_BYTES = 2 ** 31 - 1;

/**
 * @throws DataFormatError naming the file when it is not Parquet or lacks a named column (listing
 *   the columns it has), or naming the row for a value that breaks the row rules.
 */
export async function readParquetEvents(path: string, options: ResolvedLoadOptions, optionNames: Readonly<Record<string, string>>): Promise<ParsedEvents> {
  const fail = (problem: string): never => {
    throw new DataFormatError(path, undefined, problem);
  };
  const { handle, size } = await openRegularFile(path, fail);
  await handle.close();
  if (size > Math.min(MAX_PARQUET_BYTES, options.maxFileBytes)) fail(`file is ${size.toLocaleString('en-US')} bytes, more than the Parquet limit of ${Math.min(MAX_PARQUET_BYTES, options.maxFileBytes).toLocaleString('en-US')}`);
  // Loaded on first use: `import 'alsrec'` stays free of the Parquet reader.
  const { parquetMetadata, parquetRead, parquetSchema } = await import('hyparquet');
  const bytes = readFileSync(path);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let metadata;
  try {
    metadata = parquetMetadata(buffer);
  } catch (error) {
    return fail(`is not a readable Parquet file (${(error as Error).message})`);
  }
  const names = parquetSchema(metadata).children.map((c) => c.element.name);
  const keys: string[] = [];
  const slot = (key: 'userColumn' | 'itemColumn' | 'weightColumn' | 'timeColumn' | 'titleColumn' | 'eventColumn'): number => {
    const name = options[key];
    if (name === undefined) return -1;
    if (!names.includes(name)) fail(`no column "${name}" (${optionNames[key] ?? key}); the file has: ${names.join(', ')}`);
    keys.push(name);
    return keys.length - 1;
  };
  const plan = {
    user: slot('userColumn'),
    item: slot('itemColumn'),
    weight: slot('weightColumn'),
    time: slot('timeColumn'),
    title: slot('titleColumn'),
    event: slot('eventColumn'),
    eventWeights: options.eventWeights ?? null,
    onBadRow: options.onBadRow,
  };
  const builder = new EventColumnsBuilder({ ...plan, fieldCount: keys.length }, Number(metadata.num_rows));
  const feeder = new ValueRecordFeeder(builder.addRecord);
  let row = 0;
  try {
    await parquetRead({
      file: buffer,
      metadata,
      columns: keys,
      onComplete: (rows: unknown[][]) => {
        for (const values of rows) {
          row++;
          feeder.feed(values, row, (index, value) => {
            throw new BadRowError(`column "${keys[index]}" holds ${typeof value}, expected a string or number`, row, JSON.stringify(values, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)));
          });
        }
      },
    });
  } catch (error) {
    if (error instanceof BadRowError) throw new DataFormatError(path, undefined, `row ${error.line}: ${error.problem}`, error.text);
    if (error instanceof DataFormatError) throw error;
    return fail(`cannot be decoded (${(error as Error).message})`);
  }
  return builder.finish();
}

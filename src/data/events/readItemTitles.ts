/**
 * Item titles from a file of their own (`--items FILE --items-id-col --items-title-col`): a
 * delimited file, plain or gzip, with a header naming the two columns.
 */
import { DataFormatError } from '../../errors.js';
import type { ExternalId, IdColumn } from '../rawInteractions.js';
import { CsvSyntaxError, createCsvFields, fieldText, scanCsvRecords } from './csvRecordScanner.js';
import { MAX_FILE_BYTES_DEFAULT, resolveLoadOptions, type ItemTitlesFile } from './loadOptions.js';
import { integerIdDigitsEnd, parseIntegerId } from './parseFieldBytes.js';
import { readLayout } from './readDelimitedEvents.js';
import { openTextSource } from './textChunks.js';

/**
 * Titles of the items in `items` (keyed by external id, as the events hold it: an integer id when
 * the item side is integers, else the string), the first non-empty title of each id kept.
 * @throws DataFormatError for a missing column (listing the header) or a malformed record.
 * @example
 * ```ts
 * const titles = await readItemTitles({ path: 'items.csv', idColumn: 'sku', titleColumn: 'name' }, events.items);
 * ```
 */
export async function readItemTitles(file: ItemTitlesFile, items: IdColumn, optionNames: Readonly<Record<string, string>> = {}): Promise<Map<ExternalId, string>> {
  const source = await openTextSource(file.path, MAX_FILE_BYTES_DEFAULT);
  const parts: Buffer[] = [];
  let total = 0;
  for await (const chunk of source.chunks()) {
    total += chunk.length;
    if (total > 2 ** 30) throw new DataFormatError(file.path, undefined, 'titles file larger than 1 GiB');
    parts.push(Buffer.from(chunk));
  }
  const text = Buffer.concat(parts);
  if (text.length === 0) throw new DataFormatError(file.path, undefined, 'file is empty');
  const layout = readLayout(file.path, text, resolveLoadOptions({ userColumn: file.idColumn, itemColumn: file.titleColumn }));
  const index = (name: string, option: string) => {
    const found = layout.names.indexOf(name);
    if (found < 0) throw new DataFormatError(file.path, undefined, `no column "${name}" (${option}); the header has: ${layout.names.join(', ')}`);
    return found;
  };
  const idField = index(file.idColumn, optionNames['items.idColumn'] ?? 'items.idColumn');
  const titleField = index(file.titleColumn, optionNames['items.titleColumn'] ?? 'items.titleColumn');
  const titles = new Map<ExternalId, string>();
  try {
    scanCsvRecords(text, layout.dataStart, text.length, layout.delimiter, true, layout.dataLine, createCsvFields(), (bytes, fields, s, e, line) => {
      if (fields.count !== layout.names.length) {
        throw new DataFormatError(file.path, line, `expected ${layout.names.length} fields but found ${fields.count}`, text.toString('utf8', s, e));
      }
      const start = fields.starts[idField]!;
      const end = fields.ends[idField]!;
      const integer = fields.escaped[idField] === 1 ? -1 : parseIntegerId(bytes, start, end);
      let id: ExternalId;
      if (items.kind === 'int') {
        if (integer < 0) return; // no item of an integer side can have this id
        id = integer;
      } else {
        id = integer >= 0 ? text.toString('latin1', start, integerIdDigitsEnd(bytes, start, end)) : fieldText(bytes, fields, idField);
      }
      if (titles.has(id)) return;
      const title = fieldText(bytes, fields, titleField).trim();
      if (title !== '') titles.set(id, title);
    });
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new DataFormatError(file.path, error.line, error.problem, text.toString('utf8', error.recordStart, Math.min(error.recordEnd, error.recordStart + 200)));
    throw error;
  }
  return titles;
}

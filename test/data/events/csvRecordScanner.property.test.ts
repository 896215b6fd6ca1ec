/**
 * The byte scanner against csv-parse (a well-kept RFC 4180 parser) as the oracle: any fields, any
 * quoting, LF or CRLF, split into chunks anywhere (the unfinished record carried over).
 */
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, createCsvFields, fieldText, scanCsvRecords } from '../../../src/data/events/csvRecordScanner.js';
import { feedInChunks } from './feedInChunks.js';

const LIMITS = { numRuns: 300, interruptAfterTimeLimit: 5000 };

/** Every record of `text`, scanned in chunks cut at `cuts` (as the file readers feed it). */
function scanAll(text: string, delimiter: string, cuts: number[]): string[][] {
  const bytes = Buffer.from(text, 'utf8');
  const fields = createCsvFields();
  const out: string[][] = [];
  const onRecord = (b: Uint8Array) => {
    const record: string[] = [];
    for (let f = 0; f < fields.count; f++) record.push(fieldText(b, fields, f));
    out.push(record);
  };
  feedInChunks(bytes, cuts, (data, final, line) => scanCsvRecords(data, 0, data.length, delimiter.charCodeAt(0), final, line, fields, onRecord));
  return out;
}

const fieldChars = fc.constantFrom('a', 'b', 'Z', '1', ' ', ',', ';', '\t', '"', '\n', '\r\n', 'é', '€');
const field = fc.array(fieldChars, { maxLength: 6 }).map((cs) => cs.join(''));

function encode(records: string[][], delimiter: string, eol: string, quoteAll: boolean): string {
  const quote = (f: string) => (quoteAll || f.includes(delimiter) || /["\r\n]/.test(f) ? `"${f.replaceAll('"', '""')}"` : f);
  return records.map((r) => r.map(quote).join(delimiter)).join(eol) + eol;
}

describe('scanCsvRecords against csv-parse', () => {
  it('splits every RFC 4180 file as csv-parse does, for any chunking', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(field, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 12 }),
        fc.constantFrom(',', ';', '\t'),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.array(fc.nat({ max: 400 }), { maxLength: 6 }),
        (records, delimiter, eol, quoteAll, cuts) => {
          const text = encode(records, delimiter, eol, quoteAll);
          const expected = parse(text, { delimiter, record_delimiter: eol, skip_empty_lines: true, relax_column_count: true }) as string[][];
          expect(scanAll(text, delimiter, cuts)).toEqual(expected);
        },
      ),
      LIMITS,
    );
  });

  it('keeps a quote inside an unquoted field as data, as csv-parse does with relax_quotes', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.stringMatching(/^[a-z][a-z"]{0,4}$/), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 }), (records) => {
        const text = records.map((r) => r.join(',')).join('\n') + '\n';
        const expected = parse(text, { relax_quotes: true, skip_empty_lines: true, relax_column_count: true }) as string[][];
        expect(scanAll(text, ',', [])).toEqual(expected);
      }),
      LIMITS,
    );
  });

  it('rejects what csv-parse rejects: data after a closing quote, a quote left open', () => {
    for (const text of ['a,"b"c\n', 'a,"b\n', 'x\n"open,1\n2,3\n']) {
      expect(() => parse(text)).toThrow();
      expect(() => scanAll(text, ',', [])).toThrow(CsvSyntaxError);
    }
    try {
      scanAll('x\ny\n"open,1\n2,3\n', ',', []);
    } catch (error) {
      expect((error as CsvSyntaxError).line).toBe(3);
      expect((error as CsvSyntaxError).problem).toBe('a quoted field is not closed before the end of the file');
    }
  });

  it('numbers lines across quoted line ends', () => {
    const lines: number[] = [];
    const fields = createCsvFields();
    const bytes = Buffer.from('a,"x\ny"\n\nb,c\n"1\n2\n3",d\ne,f');
    scanCsvRecords(bytes, 0, bytes.length, 0x2c, true, 1, fields, (_b, _f, _s, _e, line) => lines.push(line));
    expect(lines).toEqual([1, 4, 5, 8]);
  });
});

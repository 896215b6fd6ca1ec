/**
 * Records whose fields come as JS values (a JSON Lines object, a Parquet row) fed to the same
 * row rules as delimited text: each value is written as text into one scratch buffer, so ids,
 * weights and times go through the very parsers the CSV path uses.
 */
import { createCsvFields, type CsvFields, type CsvRecordHandler } from './csvRecordScanner.js';

const MAX_RECORD_BYTES = 1 << 20;

/**
 * @example
 * ```ts
 * const feeder = new ValueRecordFeeder(builder.addRecord);
 * feeder.feed(['u1', 'sku-9', 3, '2024-05-01T10:00:00Z'], 7);
 * ```
 */
export class ValueRecordFeeder {
  private buffer = Buffer.allocUnsafe(4096);
  private readonly fields: CsvFields = createCsvFields();

  constructor(private readonly onRecord: CsvRecordHandler) {}

  /**
   * Feeds one record. A missing value (`undefined`, `null`) is an empty field; numbers, bigints,
   * strings and dates are written as text (a date as epoch milliseconds); anything else is given
   * to `onBadValue`.
   */
  feed(values: readonly unknown[], line: number, onBadValue: (index: number, value: unknown) => never): void {
    let used = 0;
    const fields = this.fields;
    for (let f = 0; f < values.length; f++) {
      const value = values[f];
      let text: string;
      if (value === undefined || value === null) text = '';
      else if (typeof value === 'string') text = value;
      else if (typeof value === 'number' || typeof value === 'bigint') text = String(value);
      else if (value instanceof Date) text = String(value.getTime());
      else return onBadValue(f, value);
      const needed = used + Buffer.byteLength(text);
      if (needed > this.buffer.length) {
        if (needed > MAX_RECORD_BYTES) return onBadValue(f, `${text.slice(0, 40)}... (${needed} bytes)`);
        const grown = Buffer.allocUnsafe(Math.max(needed, this.buffer.length * 2));
        this.buffer.copy(grown, 0, 0, used);
        this.buffer = grown;
      }
      fields.starts[f] = used;
      used += this.buffer.write(text, used, 'utf8');
      fields.ends[f] = used;
      fields.escaped[f] = 0;
    }
    fields.count = values.length;
    this.onRecord(this.buffer, fields, 0, used, line);
  }
}

/**
 * JSON Lines (one JSON object per line, `.jsonl` / `.ndjson`, plain or gzip) into event columns.
 */
import { DataFormatError } from '../../errors.js';
import { BadRowError, EventColumnsBuilder, type ParsedEvents } from './eventColumnsBuilder.js';
import type { ResolvedLoadOptions } from './loadOptions.js';
import { estimateRows, MAX_RECORD_BYTES } from './readDelimitedEvents.js';
import type { TextSource } from './textChunks.js';
import { ValueRecordFeeder } from './valueRecords.js';
import { CarryOver } from './carryOver.js';

const LF = 0x0a;

/**
 * Parses each non-blank line as a JSON object and reads the named keys from it.
 * @throws DataFormatError naming `file:line` for a line that is not a JSON object or whose values
 *   break the row rules (unless `onBadRow` is `skip`).
 */
export async function readJsonLinesEvents(path: string, source: TextSource, options: ResolvedLoadOptions): Promise<ParsedEvents> {
  const keys = [options.userColumn, options.itemColumn];
  const slot = (name: string | undefined) => {
    if (name === undefined) return -1;
    keys.push(name);
    return keys.length - 1;
  };
  const plan = {
    user: 0,
    item: 1,
    weight: slot(options.weightColumn),
    time: slot(options.timeColumn),
    title: slot(options.titleColumn),
    event: slot(options.eventColumn),
    eventWeights: options.eventWeights ?? null,
    onBadRow: options.onBadRow,
  };
  const planWithCount = { ...plan, fieldCount: keys.length };
  let builder: EventColumnsBuilder | null = null;
  let feeder: ValueRecordFeeder | null = null;
  const values = new Array<unknown>(keys.length);
  let line = 0;
  const carry = new CarryOver();

  const parseLine = (data: Buffer, start: number, end: number) => {
    line++;
    if (end > start && data[end - 1] === 0x0d) end--;
    if (end === start) return;
    const text = data.toString('utf8', start, end);
    let object: unknown;
    try {
      object = JSON.parse(text);
    } catch (error) {
      return badLine(text, `not valid JSON (${(error as Error).message})`);
    }
    if (object === null || typeof object !== 'object' || Array.isArray(object)) return badLine(text, 'not a JSON object');
    for (let k = 0; k < keys.length; k++) values[k] = (object as Record<string, unknown>)[keys[k]!];
    feeder!.feed(values, line, (index, value) => {
      throw new BadRowError(`"${keys[index]}" is ${typeof value === 'object' ? 'an object or array' : typeof value}, expected a string or number`, line, text);
    });
  };
  const badLine = (text: string, problem: string) => {
    if (options.onBadRow === 'error') throw new DataFormatError(path, line, problem, text);
    builder!.counts.rows++;
    builder!.counts.skippedBadRows++;
    if (builder!.counts.skippedExamples.length < 5) builder!.counts.skippedExamples.push({ line, problem });
  };

  const consume = (data: Buffer, final: boolean): number => {
    let start = 0;
    for (let lf = data.indexOf(LF); lf !== -1; lf = data.indexOf(LF, start)) {
      parseLine(data, start, lf);
      start = lf + 1;
    }
    if (final && start < data.length) {
      parseLine(data, start, data.length);
      start = data.length;
    }
    return start;
  };

  try {
    for await (const chunk of source.chunks()) {
      const data = carry.join(chunk);
      if (builder === null) {
        builder = new EventColumnsBuilder(planWithCount, estimateRows(data, 0, source.textBytes));
        feeder = new ValueRecordFeeder(builder.addRecord);
      }
      const consumed = consume(data, false);
      if (data.length - consumed > MAX_RECORD_BYTES) throw new DataFormatError(path, line + 1, `line longer than ${MAX_RECORD_BYTES >> 20} MiB`);
      carry.keep(data, consumed);
    }
    if (builder === null) throw new DataFormatError(path, undefined, 'file is empty');
    consume(carry.pending, true);
  } catch (error) {
    if (error instanceof BadRowError) throw new DataFormatError(path, error.line, error.problem, error.text);
    throw error;
  }
  return builder.finish();
}

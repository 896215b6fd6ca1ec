/**
 * The dataset a command's data flags name: an event file through `loadInteractions` (with the
 * flags' names in its messages and a load summary on stderr), else a MovieLens folder.
 */
import { statSync } from 'node:fs';
import type { Dataset } from '../data/dataset.js';
import type { LoadSummary } from '../data/events/loadInteractions.js';
import { resolveLoadOptions, type LoadInteractionsOptions } from '../data/events/loadOptions.js';
import { eventsToDataset } from '../data/eventsToDataset.js';
import { loadMovieLens } from '../data/loadMovieLens.js';
import { resolveDataDir } from '../data/resolveDataDir.js';
import { InvalidOptionError, invalidOption } from '../errors.js';
import { DATA_OPTION_NAMES, EVENT_FLAGS, type DataCliValues } from './dataOptions.js';
import { retainFreedMemoryForBatch } from './retainFreedMemory.js';

/** Whether the values ask for an event file rather than a MovieLens folder. */
/** Called after each data-path phase with its wall time and the bytes of the typed arrays it allocated. */
export type PhaseListener = (phase: string, seconds: number, bytes: number) => void;

export function isEventFile(values: DataCliValues): boolean {
  if (EVENT_FLAGS.some((flag) => values[flag] !== undefined)) return true;
  if (values.data === undefined) return false;
  try {
    return statSync(values.data).isFile();
  } catch {
    return false;
  }
}

/**
 * The library options the flags ask for, validated.
 * @throws InvalidOptionError naming the flag.
 */
export function loadOptionsFromCli(v: DataCliValues): LoadInteractionsOptions {
  if (v.data === undefined || v.data.trim() === '') throw invalidOption('--data', 'an event file path (with --user-col and --item-col)', v.data);
  for (const [flag, value] of [['--user-col', v.userCol], ['--item-col', v.itemCol]] as const) {
    if (value === undefined) throw new InvalidOptionError(flag, `${flag} is required with an event file (--data ${v.data}): name the column that holds the ${flag === '--user-col' ? 'user' : 'item'} id`);
  }
  const itemsFlags = [v.items, v.itemsIdCol, v.itemsTitleCol];
  if (itemsFlags.some((x) => x !== undefined) && itemsFlags.some((x) => x === undefined)) {
    throw new InvalidOptionError('--items', '--items, --items-id-col and --items-title-col go together');
  }
  const options: LoadInteractionsOptions = {
    userColumn: v.userCol!,
    itemColumn: v.itemCol!,
    ...(v.weightCol === undefined ? {} : { weightColumn: v.weightCol }),
    ...(v.timeCol === undefined ? {} : { timeColumn: v.timeCol }),
    ...(v.titleCol === undefined ? {} : { titleColumn: v.titleCol }),
    ...(v.items === undefined ? {} : { items: { path: v.items, idColumn: v.itemsIdCol!, titleColumn: v.itemsTitleCol! } }),
    ...(v.eventCol === undefined ? {} : { eventColumn: v.eventCol }),
    ...(v.eventWeights === undefined ? {} : { eventWeights: v.eventWeights }),
    ...(v.delimiter === undefined ? {} : { delimiter: v.delimiter === '\\t' || v.delimiter === 'tab' ? '\t' : v.delimiter }),
    ...(v.columns === undefined ? {} : { columns: v.columns }),
    ...(v.onBadRow === undefined ? {} : { onBadRow: v.onBadRow }),
  };
  resolveLoadOptions(options, DATA_OPTION_NAMES);
  return options;
}

/** What the load summary says, one line each, for stderr. */
export function describeLoadSummary(s: LoadSummary, merged: number): string[] {
  const n = (x: number) => x.toLocaleString('en-US');
  const dropped = [
    s.emptyUser > 0 ? `${n(s.emptyUser)} without a user` : '',
    s.emptyItem > 0 ? `${n(s.emptyItem)} without an item` : '',
    s.nonPositiveWeight > 0 ? `${n(s.nonPositiveWeight)} with a weight <= 0 (cancellations, returns)` : '',
    s.unweightedEvent > 0 ? `${n(s.unweightedEvent)} of an event type without a weight` : '',
    s.skippedBadRows > 0 ? `${n(s.skippedBadRows)} malformed, skipped (${s.skippedExamples.join('; ')})` : '',
  ].filter((x) => x !== '');
  return [
    `Read ${s.file}${s.compressed ? ' (gzip)' : ''}: ${n(s.rows)} rows, ${n(s.kept)} events kept, ${n(s.users)} users, ${n(s.items)} items${s.threads > 1 ? `, ${s.threads} parsing threads` : ''} (${s.seconds.toFixed(2)} s)`,
    ...(dropped.length > 0 ? [`  dropped: ${dropped.join(', ')}`] : []),
    ...(merged > 0 ? [`  merged ${n(merged)} repeated (user, item) events`] : []),
    ...(s.eventCounts === undefined ? [] : [`  events: ${Object.entries(s.eventCounts).map(([e, c]) => `${e} ${n(c)}`).join(', ')}`]),
  ];
}

/**
 * The dataset the flags name: an event file through `loadInteractions` (summary lines to
 * `progress`), else a MovieLens folder; either way the data-path phases to `onPhase` (read +
 * parse, then indexInteractions' phases), each with its wall time and the bytes it allocated.
 */
export async function loadDatasetFromCli(v: DataCliValues, progress: (line: string) => void, onPhase?: PhaseListener): Promise<Dataset> {
  retainFreedMemoryForBatch();
  if (!isEventFile(v)) return loadMovieLens(resolveDataDir(v.data), onPhase === undefined ? {} : { onPhase });
  const options = loadOptionsFromCli(v);
  // The event-file readers (zlib, worker threads, Parquet) load only for an event file: a
  // MovieLens folder, what `npm start` reads, does not pay for them (issue 10, "Fast start").
  const { loadInteractions } = await import('../data/events/loadInteractions.js');
  const t0 = performance.now();
  const loaded = await loadInteractions(v.data!, options, DATA_OPTION_NAMES);
  // As loadMovieLens reports it: the parsed columns' bytes (ids and weight 4 B each, time 8 B).
  onPhase?.('read + parse', (performance.now() - t0) / 1000, loaded.events.length * (loaded.events.times === null ? 12 : 20));
  const dataset = eventsToDataset(v.data!, loaded, v.aggregate ?? 'sum', onPhase);
  for (const line of describeLoadSummary(loaded.summary, dataset.duplicatesMerged)) progress(line);
  // The summary's warnings are printed by the caller with the dataset's.
  return dataset;
}

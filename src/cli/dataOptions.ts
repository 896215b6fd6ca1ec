/**
 * `--data` and the flags that describe an event file, declared once for every command that reads
 * data. Only the declarations: the loading is in ./loadDatasetFromCli.ts, imported when a command
 * runs (so `alsrec --help` loads no parser).
 */
import { Command, Option } from 'commander';
import { AGGREGATE_RULES, BAD_ROW_RULES, parseEventWeights, type AggregateRule, type BadRowRule, type OptionNames } from '../data/events/loadOptions.js';

/** The values commander parses for the data flags. */
export interface DataCliValues {
  data?: string;
  userCol?: string;
  itemCol?: string;
  weightCol?: string;
  timeCol?: string;
  titleCol?: string;
  items?: string;
  itemsIdCol?: string;
  itemsTitleCol?: string;
  eventCol?: string;
  eventWeights?: Record<string, number>;
  delimiter?: string;
  columns?: string[];
  aggregate?: AggregateRule;
  onBadRow?: BadRowRule;
}

/** The flags' names, for messages from the library's validator. */
export const DATA_OPTION_NAMES: OptionNames = {
  userColumn: '--user-col',
  itemColumn: '--item-col',
  weightColumn: '--weight-col',
  timeColumn: '--time-col',
  titleColumn: '--title-col',
  items: '--items',
  'items.path': '--items',
  'items.idColumn': '--items-id-col',
  'items.titleColumn': '--items-title-col',
  eventColumn: '--event-col',
  eventWeights: '--event-weights',
  delimiter: '--delimiter',
  columns: '--columns',
  onBadRow: '--on-bad-row',
};

export const EVENT_FLAGS = ['userCol', 'itemCol', 'weightCol', 'timeCol', 'titleCol', 'items', 'itemsIdCol', 'itemsTitleCol', 'eventCol', 'eventWeights', 'delimiter', 'columns', 'aggregate', 'onBadRow'] as const;

/**
 * Adds `--data` and the event-file flags to `cmd`.
 * @example addDataOptions(new Command('train'))
 */
export function addDataOptions(cmd: Command): Command {
  return cmd
    .option('--data <path>', 'a MovieLens folder (default: $MOVIELENS_DIR, else data/ml-100k), or an event file (CSV/TSV, JSON Lines, Parquet; .gz) with --user-col and --item-col')
    .option('--user-col <name>', 'event file: column of the user id')
    .option('--item-col <name>', 'event file: column of the item id')
    .option('--weight-col <name>', 'event file: column of the weight (quantity, rating); each event weighs 1 without it')
    .option('--time-col <name>', 'event file: column of the time (epoch s or ms, ISO 8601, YYYY-MM-DD HH:MM:SS; UTC when no zone)')
    .option('--title-col <name>', 'event file: column of the item title')
    .option('--items <file>', 'event file: item titles from this file (with --items-id-col, --items-title-col)')
    .option('--items-id-col <name>', 'column of the item id in --items')
    .option('--items-title-col <name>', 'column of the title in --items')
    .option('--event-col <name>', 'event file: column of the event type (with --event-weights)')
    .option('--event-weights <list>', 'weight per event type, e.g. view=1,cart=4,purchase=10 (other types are dropped)', (v) => parseEventWeights('--event-weights', v))
    .option('--delimiter <c>', 'event file: field delimiter (default: detected from the first line)')
    .option('--columns <list>', 'event file: column names of a headerless file, e.g. user,item,weight,time', (v) => v.split(',').map((c) => c.trim()))
    .addOption(new Option('--aggregate <rule>', 'repeated (user, item) events: sum, max, last or count of their weights (default sum; latest time kept)').choices([...AGGREGATE_RULES]))
    .addOption(new Option('--on-bad-row <rule>', 'a malformed row: error (default) or skip (counted)').choices([...BAD_ROW_RULES]));
}


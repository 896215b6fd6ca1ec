/**
 * `alsrec synth`: generates a synthetic MovieLens-shaped dataset (see `src/synth`) and writes it
 * as an ml-latest folder that `alsrec train --data DIR` can read. The work is in
 * ../actions/synth.ts, loaded only when the command runs.
 */
import { Command } from 'commander';
import { SYNTH_PRESETS } from '../../synth/generateSynthetic.js';

/** Options as commander hands them over: every value is the raw string. */
export interface SynthCliOptions {
  preset?: string;
  users?: string;
  items?: string;
  nnz?: string;
  seed?: string;
  out?: string;
  force?: boolean;
  stringIds?: boolean;
}

export const DEFAULT_SEED = 1;

const EXAMPLE = `
Examples:
  $ alsrec synth --preset synth-1m                  # writes data/synth-1m
  $ alsrec synth --preset synth-10m --out /tmp/s10m
  $ alsrec synth --users 5000 --items 2000 --nnz 200000 --seed 3 --out data/small
  $ alsrec synth --preset synth-10m --string-ids --out data/synth-10m-strings`;

/**
 * The `synth` command.
 *
 * @example
 * await synthCommand().parseAsync(['--preset', 'synth-1m'], { from: 'user' });
 */
export function synthCommand(): Command {
  return new Command('synth')
    .description('Generate a synthetic implicit-feedback dataset (log-normal activity, Zipf popularity) as MovieLens CSV')
    .option('--preset <name>', `a standard size: ${Object.keys(SYNTH_PRESETS).join(' | ')}`)
    .option('--users <count>', 'number of users (rows)')
    .option('--items <count>', 'number of items (columns), at least 20')
    .option('--nnz <count>', 'target number of ratings')
    .option('--seed <n>', `seed, an integer in [0, 2^32) (default ${DEFAULT_SEED})`)
    .option('--out <dir>', 'output folder (default data/<preset>, or data/synth-u<U>-i<I>-n<N>-s<S>)')
    .option('--force', 'replace the output folder if it exists', false)
    .option('--string-ids', 'write ids as strings (u1, i1, ...) for the generic loader: --data DIR/ratings.csv --user-col userId --item-col movieId')
    .addHelpText('after', EXAMPLE)
    .action(async (options: SynthCliOptions) => (await import('../actions/synth.js')).runSynth(options));
}

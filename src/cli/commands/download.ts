/**
 * `alsrec download ml-100k [--dir DIR] [--url URL] [--force]`: fetch, verify and install a dataset.
 * The work is in ../actions/download.ts, loaded only when the command runs.
 */
import { Command } from 'commander';
import { DOWNLOADABLE_DATASETS } from '../../data/downloadableDatasets.js';

const EXAMPLE = `
Example:
  $ alsrec download ml-100k                 # into data/ml-100k
  $ alsrec download ml-100k --dir ~/datasets --force
  $ MOVIELENS_DIR=~/datasets/ml-100k alsrec train

The zip comes from GroupLens (https://grouplens.org/datasets/movielens/); its licence forbids
redistributing the files, so they stay on this machine.`;

export interface DownloadFlags {
  readonly dir: string;
  readonly url?: string;
  readonly force?: boolean;
}

/**
 * The `download` command. Progress goes to stderr, the installed path to stdout; Ctrl-C during
 * the download aborts it and removes what was written.
 *
 * @example
 * ```ts
 * program.addCommand(downloadCommand());
 * ```
 */
export function downloadCommand(): Command {
  return new Command('download')
    .description('download a MovieLens dataset from GroupLens, verify its checksums and install it')
    .argument('<dataset>', `dataset to fetch: ${Object.keys(DOWNLOADABLE_DATASETS).join(', ')}`)
    .option('--dir <dir>', 'folder that receives the dataset folder', 'data')
    .option('--url <url>', 'fetch the zip from this URL instead of GroupLens')
    .option('--force', 'replace an existing dataset folder (once the new one is verified)')
    .addHelpText('after', EXAMPLE)
    .action(async (dataset: string, flags: DownloadFlags) => (await import('../actions/download.js')).runDownload(dataset, flags));
}

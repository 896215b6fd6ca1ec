/** `alsrec download ml-100k [--dir DIR] [--url URL] [--force]`: fetch, verify and install a dataset. */
import { Command } from 'commander';
import { invalidOption } from '../../errors.js';
import {
  DOWNLOADABLE_DATASETS,
  downloadMovieLens,
  type DownloadableDataset,
  type DownloadProgress,
} from '../../data/downloadMovieLens.js';

const EXAMPLE = `
Example:
  $ alsrec download ml-100k                 # into data/ml-100k
  $ alsrec download ml-100k --dir ~/datasets --force
  $ MOVIELENS_DIR=~/datasets/ml-100k alsrec train

The zip comes from GroupLens (https://grouplens.org/datasets/movielens/); its licence forbids
redistributing the files, so they stay on this machine.`;

interface DownloadFlags {
  readonly dir: string;
  readonly url?: string;
  readonly force?: boolean;
}

/**
 * The `download` command. Progress goes to stderr, the installed path to stdout; failures are
 * thrown as AlsrecError for the entry point to report. Ctrl-C during the download aborts it and
 * removes what was written.
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
    .action(async (dataset: string, flags: DownloadFlags) => {
      if (!Object.hasOwn(DOWNLOADABLE_DATASETS, dataset)) {
        throw invalidOption('dataset', `one of ${Object.keys(DOWNLOADABLE_DATASETS).join(', ')}`, dataset);
      }
      const controller = new AbortController();
      const onInterrupt = () => controller.abort();
      process.once('SIGINT', onInterrupt);
      const progress = progressPrinter(`${dataset}.zip`);
      try {
        const result = await downloadMovieLens({
          dataset: dataset as DownloadableDataset,
          dir: flags.dir,
          url: flags.url,
          force: flags.force === true,
          onProgress: progress.update,
          signal: controller.signal,
        });
        progress.finish();
        process.stdout.write(
          `Installed ${dataset} (${result.files.length} files) in ${result.path}\n` +
            `Use it with --data ${result.path} or MOVIELENS_DIR=${result.path}\n`,
        );
      } finally {
        progress.finish();
        process.removeListener('SIGINT', onInterrupt);
      }
    });
}

/**
 * Bytes downloaded on stderr: on a terminal one line rewritten at most every 100 ms; otherwise a
 * start line. {@link finish} prints the final count either way, also after a failure.
 */
function progressPrinter(name: string) {
  const tty = process.stderr.isTTY === true;
  let last: DownloadProgress | undefined;
  let lastPrinted = 0;
  const line = ({ bytes, totalBytes }: DownloadProgress) =>
    `Downloading ${name}: ${megabytes(bytes)}` +
    (totalBytes === null ? ' MB' : ` / ${megabytes(totalBytes)} MB (${Math.floor((100 * bytes) / totalBytes)}%)`);
  return {
    update(progress: DownloadProgress): void {
      if (last === undefined && !tty) process.stderr.write(`Downloading ${name}...\n`);
      last = progress;
      const now = Date.now();
      if (tty && now - lastPrinted >= 100) {
        lastPrinted = now;
        process.stderr.write(`\r${line(progress)}`);
      }
    },
    finish(): void {
      if (last !== undefined) process.stderr.write(`${tty ? '\r' : ''}${line(last)}\n`);
      last = undefined;
    },
  };
}

function megabytes(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

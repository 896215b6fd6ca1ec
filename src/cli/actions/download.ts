/**
 * What `alsrec download` does (its options are declared in ../commands/download.ts). Progress
 * goes to stderr, the installed path to stdout; failures are thrown as AlsrecError for the entry
 * point to report. Ctrl-C during the download aborts it and removes what was written.
 */
import { invalidOption } from '../../errors.js';
import {
  DOWNLOADABLE_DATASETS,
  downloadMovieLens,
  type DownloadableDataset,
  type DownloadProgress,
} from '../../data/downloadMovieLens.js';
import type { DownloadFlags } from '../commands/download.js';

/**
 * Runs the command with the values commander parsed.
 * @example await runDownload('ml-100k', { dir: 'data' });
 */
export async function runDownload(dataset: string, flags: DownloadFlags): Promise<void> {
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

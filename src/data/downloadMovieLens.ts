/**
 * Fetches a MovieLens zip from GroupLens, checks it, and installs it atomically: everything happens
 * in a hidden temporary folder next to the destination, which appears only by one rename once the
 * checksums match. A failed, corrupt or aborted download leaves the destination as it was.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, rmdir } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import * as zlib from 'node:zlib';
import type yauzl from 'yauzl';
import { AlsrecError, invalidOption } from '../errors.js';
import { DOWNLOADABLE_DATASETS, type DownloadableDataset } from './downloadableDatasets.js';

export { DOWNLOADABLE_DATASETS, type DownloadableDataset } from './downloadableDatasets.js';

export interface DownloadProgress {
  /** Bytes of the zip received so far. */
  readonly bytes: number;
  /** The zip's size from Content-Length, or null when the server does not say. */
  readonly totalBytes: number | null;
}

export interface DownloadMovieLensOptions {
  readonly dataset: DownloadableDataset;
  /** Folder that receives the dataset folder (`DIR/ml-100k`); default `data`. */
  readonly dir?: string;
  /** Where to fetch the zip; default the official GroupLens URL. */
  readonly url?: string;
  /**
   * sha256 (hex) that files inside the dataset folder must have, by name; default the official
   * checksums of `u.data` and `u.item`. Tests pass their own.
   */
  readonly expectedSha256?: Readonly<Record<string, string>>;
  /** Replace an existing dataset folder (only once the new one is verified). */
  readonly force?: boolean;
  readonly onProgress?: (progress: DownloadProgress) => void;
  /** Aborting cancels the download and removes everything written. */
  readonly signal?: AbortSignal;
}

export interface DownloadResult {
  /** Absolute path of the installed dataset folder. */
  readonly path: string;
  /** Files installed, relative to {@link path}, in zip order. */
  readonly files: readonly string[];
  /** Size of the zip downloaded. */
  readonly bytes: number;
}

/**
 * Downloads, verifies and installs a MovieLens dataset as `dir/<dataset>`.
 *
 * @throws AlsrecError when the destination exists (without `force`), the download fails (HTTP
 *   status, network, abort), the zip is corrupt or has an entry escaping the folder, or a checksum
 *   does not match. Nothing is left behind in any of these cases.
 * @example
 * ```ts
 * const { path } = await downloadMovieLens({ dataset: 'ml-100k', dir: 'data' });
 * const data = await loadMovieLens(path);
 * ```
 */
export async function downloadMovieLens(options: DownloadMovieLensOptions): Promise<DownloadResult> {
  const { dataset, signal } = options;
  if (!Object.hasOwn(DOWNLOADABLE_DATASETS, dataset)) {
    throw invalidOption('dataset', `one of ${Object.keys(DOWNLOADABLE_DATASETS).join(', ')}`, dataset);
  }
  const known = DOWNLOADABLE_DATASETS[dataset];
  const url = options.url ?? known.url;
  const expected = options.expectedSha256 ?? known.sha256;
  const parent = resolve(options.dir ?? 'data');
  const destination = join(parent, dataset);
  if (existsSync(destination) && options.force !== true) {
    throw new AlsrecError(`${destination} already exists; pass --force to replace it`);
  }

  // The first folder mkdir created, if any: removed again (when empty) after a failure.
  const createdFolder = await mkdir(parent, { recursive: true });
  const temporary = await mkdtemp(join(parent, `.${dataset}-download-`));
  let installed = false;
  try {
    const zipPath = join(temporary, `${dataset}.zip`);
    const bytes = await fetchToFile(url, zipPath, options.onProgress, signal);
    const extracted = join(temporary, dataset);
    const checksums = await extractZip(zipPath, extracted, dataset, signal);
    for (const [file, sha256] of Object.entries(expected)) {
      const actual = checksums.get(file);
      if (actual === undefined) {
        throw new AlsrecError(`The zip from ${url} has no ${dataset}/${file}; is it the official ${dataset}.zip?`);
      }
      if (actual !== sha256.toLowerCase()) {
        throw new AlsrecError(
          `Checksum mismatch for ${dataset}/${file}: expected sha256 ${sha256} but got ${actual}; ` +
            `the download is corrupt or not the official ${dataset}.zip`,
        );
      }
    }
    signal?.throwIfAborted();
    await install(extracted, destination, join(temporary, 'previous'));
    installed = true;
    return { path: destination, files: [...checksums.keys()], bytes };
  } catch (error) {
    if (signal?.aborted === true && !(error instanceof AlsrecError)) {
      throw new AlsrecError(`Download of ${url} was aborted; nothing was installed`);
    }
    throw error;
  } finally {
    await rm(temporary, { recursive: true, force: true });
    if (!installed && createdFolder !== undefined) await removeEmptyFolders(parent, createdFolder);
  }
}

/** Removes `from` and its parents up to and including `upTo`, stopping at the first non-empty one. */
async function removeEmptyFolders(from: string, upTo: string): Promise<void> {
  for (let folder = from; folder.startsWith(upTo); folder = dirname(folder)) {
    try {
      await rmdir(folder);
    } catch {
      return;
    }
    if (folder === upTo) return;
  }
}

/** Streams `url` into `path`; returns the byte count. */
async function fetchToFile(
  url: string,
  path: string,
  onProgress: DownloadMovieLensOptions['onProgress'],
  signal: AbortSignal | undefined,
): Promise<number> {
  let response: Response;
  try {
    response = await fetch(url, { signal });
  } catch (error) {
    if (signal?.aborted === true) throw error;
    throw new AlsrecError(`Download of ${url} failed: ${causeOf(error)}`);
  }
  if (!response.ok || response.body === null) {
    await response.body?.cancel();
    throw new AlsrecError(`Download of ${url} failed: HTTP ${response.status} ${response.statusText}`.trimEnd());
  }
  const length = Number(response.headers.get('content-length'));
  const totalBytes = Number.isInteger(length) && length > 0 ? length : null;
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      onProgress?.({ bytes, totalBytes });
      callback(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>), counter, createWriteStream(path));
  } catch (error) {
    if (signal?.aborted === true) throw error;
    throw new AlsrecError(`Download of ${url} was interrupted after ${bytes} bytes: ${causeOf(error)}`);
  }
  if (totalBytes !== null && bytes !== totalBytes) {
    throw new AlsrecError(`Download of ${url} was truncated: received ${bytes} of ${totalBytes} bytes`);
  }
  return bytes;
}

/**
 * Extracts every file of the zip into `out`, dropping a leading `<dataset>/` folder, and returns
 * the sha256 of each file by its path relative to `out`. Entry names are checked by yauzl (no
 * absolute paths, backslashes or `..`) and again here against `out`.
 */
async function extractZip(zipPath: string, out: string, dataset: string, signal: AbortSignal | undefined): Promise<Map<string, string>> {
  const checksums = new Map<string, string>();
  const root = resolve(out);
  let zip: yauzl.ZipFile | undefined;
  try {
    // Loaded here, not at the top: `import 'alsrec'` should not pay for the zip reader.
    const { default: zipReader } = await import('yauzl');
    zip = await zipReader.openPromise(zipPath, { lazyEntries: true, validateEntrySizes: true });
    for await (const entry of zip.eachEntry()) {
      signal?.throwIfAborted();
      if (entry.fileName.endsWith('/')) continue;
      const relative = entry.fileName.startsWith(`${dataset}/`) ? entry.fileName.slice(dataset.length + 1) : entry.fileName;
      const target = resolve(root, relative);
      if (!target.startsWith(root + sep)) {
        throw new AlsrecError(`The downloaded zip has an entry "${entry.fileName}" outside the dataset folder; refusing to extract it`);
      }
      await mkdir(dirname(target), { recursive: true });
      const hash = createHash('sha256');
      let crc = 0;
      const tap = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          hash.update(chunk);
          if (crc32 !== undefined) crc = crc32(chunk, crc);
          callback(null, chunk);
        },
      });
      await pipeline(await zip.openReadStreamPromise(entry), tap, createWriteStream(target, { flags: 'wx' }));
      // yauzl checks sizes but not CRC-32; this catches damage to the files no sha256 covers.
      if (crc32 !== undefined && crc >>> 0 !== entry.crc32 >>> 0) {
        throw new AlsrecError(`The downloaded ${dataset}.zip is corrupt: CRC-32 mismatch for ${entry.fileName}`);
      }
      checksums.set(relative, hash.digest('hex'));
    }
  } catch (error) {
    if (error instanceof AlsrecError || signal?.aborted === true) throw error;
    throw new AlsrecError(`The downloaded ${dataset}.zip is corrupt: ${causeOf(error)}`);
  } finally {
    if (zip?.isOpen === true) zip.close();
  }
  return checksums;
}

/** Moves `extracted` to `destination`, first moving an existing destination aside to `aside`. */
async function install(extracted: string, destination: string, aside: string): Promise<void> {
  const replacing = existsSync(destination);
  if (replacing) await rename(destination, aside);
  try {
    await rename(extracted, destination);
  } catch (error) {
    if (replacing) await rename(aside, destination);
    throw new AlsrecError(`Could not install ${destination}: ${causeOf(error)}`);
  }
}

/** zlib.crc32 exists from Node 20.15; on older versions only the sha256 checks apply. */
const crc32 = (zlib as { crc32?: (data: Buffer, value?: number) => number }).crc32;

function causeOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // fetch wraps the network error (ECONNREFUSED...) as `cause` of a bare "fetch failed".
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}

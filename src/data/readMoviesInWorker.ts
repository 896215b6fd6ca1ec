/**
 * A large CSV release's movies file read by a worker thread while this thread indexes the
 * ratings: the indexing phases (map ids, order, merge + CSR) run on one core and leave the other
 * idle, while on this thread the movies (30,000 lines on synth-10m: about 140 ms of CPU in a fresh
 * process, most of it in the JIT's first runs and the collector) cost the ratings parse about
 * 100 ms of wall time. Only the map comes back (a structured clone).
 */
import { Worker } from 'node:worker_threads';
import { DataFormatError } from '../errors.js';
import type { Movie } from './dataset.js';
import type { ReadProgress } from './lineReader.js';
import { readMoviesCsv } from './readMoviesCsv.js';
import { basename } from 'node:path';
import { statSync } from 'node:fs';

/** What the worker posts: the movies, or the data error it met. */
export type TitlesWorkerMessage =
  | { readonly kind: 'movies'; readonly movies: Map<number, Movie> }
  | { readonly kind: 'error'; readonly file: string; readonly line: number | undefined; readonly message: string };

/** A worker that has not answered after this long is stopped (a hung worker must not hang the load). */
const WORKER_TIMEOUT_MS = 5 * 60 * 1000;

/** The worker script: the compiled sibling, also when this module runs from TypeScript sources (tests). */
function workerUrl(): URL {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return new URL(here.replace('/src/', '/dist/').replace(/readMoviesInWorker\.ts$/, 'titlesWorker.js'));
  return new URL('./titlesWorker.js', here);
}

/**
 * The movies of `path` (movies.csv), read by a worker thread; read on this thread instead when no
 * worker can run it (the compiled script missing, a worker failing to start). A data error is
 * thrown as this thread's own DataFormatError, with the worker's message.
 * @example const movies = readMoviesInWorker('ml-25m/movies.csv'); indexRatings(); (await movies).get(1)?.title
 */
export async function readMoviesInWorker(path: string, onProgress?: (progress: ReadProgress) => void): Promise<Map<number, Movie>> {
  const answer = await moviesFromWorker(path);
  if (answer === null) return readMoviesCsv(path, onProgress === undefined ? {} : { onProgress });
  if (answer.kind === 'error') throw Object.assign(new DataFormatError(answer.file, answer.line, ''), { message: answer.message });
  if (onProgress !== undefined) {
    const size = statSync(path).size;
    onProgress({ file: basename(path), bytesRead: size, totalBytes: size });
  }
  return answer.movies;
}

/**
 * The worker's answer for `path`, or null when it could not give one (then the caller reads on
 * this thread).
 * @example (await moviesFromWorker('ml-25m/movies.csv'))?.kind // 'movies'
 */
export function moviesFromWorker(path: string): Promise<TitlesWorkerMessage | null> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(workerUrl(), { workerData: { path }, execArgv: process.execArgv.filter((arg) => !arg.startsWith('--input-type')) });
    } catch {
      resolve(null);
      return;
    }
    let answer: TitlesWorkerMessage | null = null;
    const timer = setTimeout(() => void worker.terminate(), WORKER_TIMEOUT_MS);
    worker.once('message', (message: TitlesWorkerMessage) => {
      answer = message;
    });
    // Any failure but a data error (which comes as a message) is left to this thread's read.
    worker.once('error', () => {});
    worker.once('exit', () => {
      clearTimeout(timer);
      resolve(answer);
    });
  });
}

/**
 * A worker thread reading a CSV release's movies file (readMoviesInWorker.ts): posts the movies
 * map, or the data error (file, line and message) for the main thread to throw as its own.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DataFormatError } from '../errors.js';
import { readMoviesCsv } from './readMoviesCsv.js';
import type { TitlesWorkerMessage } from './readMoviesInWorker.js';

const { path } = workerData as { readonly path: string };
let message: TitlesWorkerMessage;
try {
  message = { kind: 'movies', movies: await readMoviesCsv(path) };
} catch (error) {
  if (!(error instanceof DataFormatError)) throw error;
  message = { kind: 'error', file: error.file, line: error.line, message: error.message };
}
parentPort!.postMessage(message);

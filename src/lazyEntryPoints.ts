/**
 * The package's asynchronous entry points that reach heavy code (file readers with zlib, worker
 * threads and Parquet; the downloader with crypto and streams; EASE's dense solver; the tuning
 * loop; the Spark writer), loaded on first call. `import('alsrec')` then compiles none of it
 * (issue 10, "Fast start": within ~20 ms of Node itself). Each function here has the signature,
 * documentation and behaviour of the one it forwards to; being async already, a caller sees no
 * difference but the first call's import.
 */
import type { loadMovieLens as LoadMovieLens } from './data/loadMovieLens.js';
import type { downloadMovieLens as DownloadMovieLens } from './data/downloadMovieLens.js';
import type { loadInteractions as LoadInteractions } from './data/events/loadInteractions.js';
import type { fitEase as FitEase } from './eval/ease.js';
import type { qualityReport as QualityReport } from './eval/qualityReport.js';
import type { searchOnValidation as SearchOnValidation } from './eval/searchOnValidation.js';
import type { exportSparkModel as ExportSparkModel } from './spark/exportSparkModel.js';

/**
 * Loads a MovieLens folder (100K, 1M, 10M, 20M, 25M, 32M, latest-small).
 * See {@link LoadMovieLens | data/loadMovieLens} for options and errors.
 * @example
 * ```ts
 * const data = await loadMovieLens(resolveDataDir());
 * console.log(data.ratings.users.length); // 100000
 * ```
 */
export async function loadMovieLens(...args: Parameters<typeof LoadMovieLens>): ReturnType<typeof LoadMovieLens> {
  return (await import('./data/loadMovieLens.js')).loadMovieLens(...args);
}

/**
 * Downloads and verifies a MovieLens archive.
 * @example
 * ```ts
 * await downloadMovieLens({ dataset: 'ml-100k', dir: 'data' });
 * ```
 */
export async function downloadMovieLens(...args: Parameters<typeof DownloadMovieLens>): ReturnType<typeof DownloadMovieLens> {
  return (await import('./data/downloadMovieLens.js')).downloadMovieLens(...args);
}

/**
 * Loads any implicit-feedback event file (CSV/TSV, JSON Lines, Parquet; `.gz`), ids as given.
 * @example
 * ```ts
 * const { events, summary } = await loadInteractions('events.csv', { userColumn: 'user', itemColumn: 'item' });
 * ```
 */
export async function loadInteractions(...args: Parameters<typeof LoadInteractions>): ReturnType<typeof LoadInteractions> {
  return (await import('./data/events/loadInteractions.js')).loadInteractions(...args);
}

/**
 * Fits EASE (Steck 2019), the dense closed-form item-item baseline.
 * @example
 * ```ts
 * const ease = await fitEase(split.train, { lambda: 500 });
 * ```
 */
export async function fitEase(...args: Parameters<typeof FitEase>): ReturnType<typeof FitEase> {
  return (await import('./eval/ease.js')).fitEase(...args);
}

/**
 * ALS against the baselines on one temporal split, as table rows.
 * @example
 * ```ts
 * const rows = await qualityReport(split.trainRatings, split.train, split.test);
 * ```
 */
export async function qualityReport(...args: Parameters<typeof QualityReport>): ReturnType<typeof QualityReport> {
  return (await import('./eval/qualityReport.js')).qualityReport(...args);
}

/**
 * Grid search of the ALS settings on a validation split of the training data.
 * @example
 * ```ts
 * const best = await searchOnValidation(split.trainRatings, { folds: 1 });
 * ```
 */
export async function searchOnValidation(...args: Parameters<typeof SearchOnValidation>): ReturnType<typeof SearchOnValidation> {
  return (await import('./eval/searchOnValidation.js')).searchOnValidation(...args);
}

/**
 * Writes a fitted model in Spark ML's ALSModel layout (Parquet factors, JSON metadata).
 * @example
 * ```ts
 * await exportSparkModel(model, 'spark-model');
 * ```
 */
export async function exportSparkModel(...args: Parameters<typeof ExportSparkModel>): ReturnType<typeof ExportSparkModel> {
  return (await import('./spark/exportSparkModel.js')).exportSparkModel(...args);
}

/**
 * The messages between the primary process and the workers of `alsrec serve --workers N`
 * (node:cluster IPC, JSON). Requests carry an id so answers find their caller.
 */
import type { ReloadOutcome } from '../modelHolder.js';

/** A worker's reload outcome, with the worker's cluster id. */
export type WorkerReloadOutcome = ReloadOutcome & { worker: number };

export type WorkerToPrimary =
  | { type: 'alsrec:listening'; address: string }
  | { type: 'alsrec:startFailed'; message: string }
  /** POST /admin/reload on one worker: reload every worker. */
  | { type: 'alsrec:reloadAll'; id: number; file?: string }
  /** GET /metrics on one worker: the metrics of all workers, added up. */
  | { type: 'alsrec:scrape'; id: number }
  /** The answer to `alsrec:reload`. */
  | { type: 'alsrec:reloaded'; id: number; outcome: ReloadOutcome };

export type PrimaryToWorker =
  | { type: 'alsrec:reload'; id: number; file?: string }
  | { type: 'alsrec:reloadAllResult'; id: number; results: WorkerReloadOutcome[] }
  | { type: 'alsrec:scrapeResult'; id: number; text: string; contentType: string; error?: string };

/** The environment variable carrying a worker's configuration (JSON of WorkerConfig). */
export const WORKER_CONFIG_ENV = 'ALSREC_SERVE_WORKER_CONFIG';

export interface WorkerConfig {
  model: string;
  host: string;
  port: number;
  cors: boolean;
  logLevel: string;
  timeouts: import('../httpTimeouts.js').HttpTimeouts;
}

export function isMessage<T extends { type: string }>(value: unknown): value is T {
  return value !== null && typeof value === 'object' && typeof (value as { type?: unknown }).type === 'string' && (value as { type: string }).type.startsWith('alsrec:');
}

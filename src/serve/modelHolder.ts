/**
 * The model the server answers with, swappable while it serves. Each request takes
 * `holder.current` once when it arrives and uses that ServedModel to the end, so a reload never
 * changes the model under a request in flight: requests that arrived before the swap finish on
 * the old model, later ones get the new one. The swap is one assignment, done only after the new
 * model has loaded and been prepared; a model that fails to load, or whose id layout differs from
 * the one the server started with (integer vs string user or item ids, see idLayout.ts), leaves
 * the old one serving and the error is kept for /health.
 */
import { loadServedModel, type ServedModel } from './servedModel.js';
import { idLayoutMismatch, idLayoutOf, type IdLayout } from './idLayout.js';

/** What a reload did. */
export type ReloadOutcome =
  | { ok: true; file: string; checksum: string; previousChecksum: string; loadSeconds: number; at: string }
  | { ok: false; file: string | null; error: string; at: string };

export class ModelHolder {
  #current: ServedModel;
  /** The last reload that failed, until one succeeds. */
  lastError: Extract<ReloadOutcome, { ok: false }> | null = null;
  reloads = { ok: 0, failed: 0 };
  /** Reloads run one after the other, never two loads at once. */
  #queue: Promise<unknown> = Promise.resolve();
  /** The id layout of the model the server started with; every reload must keep it. */
  readonly idLayout: IdLayout;

  constructor(initial: ServedModel, private readonly load: (file: string) => Promise<ServedModel> = loadServedModel) {
    this.#current = initial;
    this.idLayout = idLayoutOf(initial.model.state);
  }

  /** The model new requests get. */
  get current(): ServedModel {
    return this.#current;
  }

  /**
   * Loads `file` (default: the current model's file) and, if it loads, swaps it in. Never
   * rejects: a failure is reported in the outcome (and kept in `lastError`).
   * @example const outcome = await holder.reload(); if (!outcome.ok) console.error(outcome.error);
   */
  reload(file?: string): Promise<ReloadOutcome> {
    const run = this.#queue.then(() => this.#reloadNow(file));
    this.#queue = run;
    return run;
  }

  async #reloadNow(file: string | undefined): Promise<ReloadOutcome> {
    const target = file ?? this.#current.file;
    const at = () => new Date().toISOString();
    if (target === null) {
      return this.#failed({ ok: false, file: null, error: 'no model file to reload: the server was given a model in memory; name a file', at: at() });
    }
    try {
      const next = await this.load(target);
      const mismatch = idLayoutMismatch(this.idLayout, idLayoutOf(next.model.state));
      if (mismatch !== null) return this.#failed({ ok: false, file: target, error: `${target}: ${mismatch}`, at: at() });
      const previousChecksum = this.#current.checksum;
      this.#current = next;
      this.lastError = null;
      this.reloads.ok++;
      return { ok: true, file: target, checksum: next.checksum, previousChecksum, loadSeconds: next.loadSeconds, at: at() };
    } catch (err) {
      return this.#failed({ ok: false, file: target, error: err instanceof Error ? err.message : String(err), at: at() });
    }
  }

  #failed(outcome: Extract<ReloadOutcome, { ok: false }>): ReloadOutcome {
    this.lastError = outcome;
    this.reloads.failed++;
    return outcome;
  }
}

/** What `alsrec serve` does (its options are declared in ../commands/serve.ts). */
import { createServer } from '../../serve/createServer.js';
import { serveUntilSignal } from '../../serve/serveUntilSignal.js';
import { ModelHolder } from '../../serve/modelHolder.js';
import { loadServedModel } from '../../serve/servedModel.js';
import { reloadAndLog } from '../../serve/reloadAndLog.js';
import { watchServedModelFile, type ServedModelFileWatcher } from '../../serve/modelFileWatcher.js';
import { resolveHttpTimeouts, type HttpTimeouts } from '../../serve/httpTimeouts.js';
import { servePrimary } from '../../serve/cluster/servePrimary.js';
import { invalidOption } from '../../errors.js';
import { stderrLine } from '../trainFromCli.js';
import type { ServeValues } from '../commands/serve.js';

/**
 * Runs the command with the values commander parsed: one process, or with `workers > 1` a
 * node:cluster primary and its workers.
 * @example await runServe({ model: 'm.alsrec', port: 8080, host: '127.0.0.1', logLevel: 'info', workers: 1, watchDebounce: 500, headersTimeout: 10000, requestTimeout: 30000, keepAliveTimeout: 5000, shutdownTimeout: 10000 });
 */
export async function runServe(v: ServeValues): Promise<void> {
  const timeouts = cliTimeouts(v);
  if (v.workers > 1) {
    await servePrimary({
      model: v.model,
      host: v.host,
      port: v.port,
      cors: v.cors ?? false,
      logLevel: v.logLevel,
      timeouts,
      workers: v.workers,
      watchDebounceMs: v.watch === true ? v.watchDebounce : undefined,
      onListening: (address) => stderrLine(`alsrec: serving ${v.model} at ${address} with ${v.workers} workers (dashboard /, API docs /docs); SIGTERM or Ctrl-C stops, SIGHUP reloads`),
    });
    return;
  }
  // Installed first: a SIGHUP while the model loads must not end the process (its default action).
  let onReady: (() => void) | undefined;
  const onHup = () => onReady?.();
  process.on('SIGHUP', onHup);
  let holder: ModelHolder;
  try {
    holder = new ModelHolder(await loadServedModel(v.model));
  } catch (err) {
    process.off('SIGHUP', onHup);
    throw err;
  }
  // --watch follows the file served: a reload to another path moves the watch to it.
  let watcher: ServedModelFileWatcher | undefined;
  const app = createServer(holder, {
    logger: v.logLevel === 'silent' ? false : { level: v.logLevel, stream: process.stderr },
    cors: v.cors ?? false,
    timeouts,
    adminToken: process.env.ALSREC_ADMIN_TOKEN,
    reloadAll: async (file) => {
      const outcome = await reloadAndLog(holder, app.log, 'POST /admin/reload', file);
      if (outcome.ok) followServedFile(watcher, outcome.file, app.log);
      return [outcome];
    },
  });
  onReady = () => void reloadAndLog(holder, app.log, 'SIGHUP');
  if (v.watch === true) {
    watcher = watchServedModelFile(v.model, v.watchDebounce, () => void reloadAndLog(holder, app.log, 'model file replaced (--watch)'), (err) => app.log.error({ err }, 'watching the model file failed'));
  }
  try {
    await serveUntilSignal(app, {
      host: v.host,
      port: v.port,
      shutdownTimeoutMs: timeouts.shutdownTimeoutMs,
      onListening: (address) => stderrLine(`alsrec: serving ${v.model} at ${address} (dashboard /, API docs /docs); SIGTERM or Ctrl-C stops, SIGHUP reloads`),
    });
  } finally {
    process.off('SIGHUP', onHup);
    watcher?.close();
  }
}

/** Moves the --watch watch to `file` (logged) when it is another file than the one watched. */
function followServedFile(watcher: ServedModelFileWatcher | undefined, file: string, log: { info: (o: object, msg: string) => void }): void {
  if (watcher === undefined) return;
  const before = watcher.file;
  watcher.follow(file);
  if (watcher.file !== before) log.info({ previous: before, file: watcher.file }, '--watch now watches the model file served');
}

function cliTimeouts(v: ServeValues): HttpTimeouts {
  if (v.headersTimeout > v.requestTimeout) throw invalidOption('--headers-timeout', `at most --request-timeout (${v.requestTimeout})`, String(v.headersTimeout));
  return resolveHttpTimeouts({ headersTimeoutMs: v.headersTimeout, requestTimeoutMs: v.requestTimeout, keepAliveTimeoutMs: v.keepAliveTimeout, shutdownTimeoutMs: v.shutdownTimeout });
}

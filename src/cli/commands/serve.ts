/**
 * `alsrec serve --model m.alsrec`: the REST API and the dashboard over a saved model, until
 * SIGTERM or SIGINT, which drain the requests in flight (up to --shutdown-timeout) and end the
 * process with exit code 0. SIGHUP (or POST /admin/reload with ALSREC_ADMIN_TOKEN, or --watch)
 * reloads the model without dropping requests; --workers N serves from N processes.
 */
import { availableParallelism } from 'node:os';
import { Command, Option } from 'commander';
import { createServer } from '../../serve/createServer.js';
import { serveUntilSignal } from '../../serve/serveUntilSignal.js';
import { ModelHolder } from '../../serve/modelHolder.js';
import { loadServedModel } from '../../serve/servedModel.js';
import { reloadAndLog } from '../../serve/reloadAndLog.js';
import { watchModelFile } from '../../serve/modelFileWatcher.js';
import { DEFAULT_HTTP_TIMEOUTS, resolveHttpTimeouts, type HttpTimeouts } from '../../serve/httpTimeouts.js';
import { servePrimary } from '../../serve/cluster/servePrimary.js';
import { invalidOption } from '../../errors.js';
import { parseInteger } from '../parseOptionValue.js';
import { stderrLine } from '../trainFromCli.js';

interface ServeValues {
  model: string;
  port: number;
  host: string;
  cors?: boolean;
  logLevel: string;
  workers: number;
  watch?: boolean;
  watchDebounce: number;
  headersTimeout: number;
  requestTimeout: number;
  keepAliveTimeout: number;
  shutdownTimeout: number;
}

const MAX_MS = 86_400_000;
const ms = (option: string) => (v: string) => parseInteger(option, v, 1, MAX_MS);

/** `--workers`: a count 1..256, or `auto` for the number of cores. */
function parseWorkers(v: string): number {
  if (v.trim() === 'auto') return availableParallelism();
  const n = /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 256) throw invalidOption('--workers', 'an integer between 1 and 256, or auto', v);
  return n;
}

export function serveCommand(): Command {
  return new Command('serve')
    .description('serve the REST API (/docs) and the dashboard (/) over a saved model')
    .requiredOption('--model <file>', 'model file (alsrec train --save)')
    .option('--port <port>', 'TCP port (0 picks a free one)', (v) => parseInteger('--port', v, 0, 65535), 8080)
    .option('--host <host>', 'address to bind; 0.0.0.0 exposes the server to the network', '127.0.0.1')
    .option('--cors', 'allow cross-origin requests from any origin')
    .addOption(new Option('--log-level <level>', 'request log on stderr, one JSON line per request').choices(['silent', 'error', 'warn', 'info', 'debug']).default('info'))
    .option('--workers <n>', 'worker processes serving the port (node:cluster); auto = one per core', parseWorkers, 1)
    .option('--watch', 'reload the model when its file is replaced (train --save, update --save)')
    .option('--watch-debounce <ms>', 'with --watch: reload once the file has been quiet this long', ms('--watch-debounce'), 500)
    .option('--headers-timeout <ms>', 'time a client has to send the request headers', ms('--headers-timeout'), DEFAULT_HTTP_TIMEOUTS.headersTimeoutMs)
    .option('--request-timeout <ms>', 'time a client has to send the whole request (408 after)', ms('--request-timeout'), DEFAULT_HTTP_TIMEOUTS.requestTimeoutMs)
    .option('--keep-alive-timeout <ms>', 'idle time before a keep-alive connection is closed', ms('--keep-alive-timeout'), DEFAULT_HTTP_TIMEOUTS.keepAliveTimeoutMs)
    .option('--shutdown-timeout <ms>', 'on SIGTERM/SIGINT, time requests in flight get before their sockets are closed', ms('--shutdown-timeout'), DEFAULT_HTTP_TIMEOUTS.shutdownTimeoutMs)
    .addHelpText(
      'after',
      '\nSignals: SIGTERM/SIGINT drain and exit 0; SIGHUP reloads the model file.\n' +
        'POST /admin/reload is enabled when ALSREC_ADMIN_TOKEN is set (Authorization: Bearer <token>).\n' +
        '\nExample:\n  $ alsrec train --save model.alsrec && alsrec serve --model model.alsrec --port 8080 --workers auto --watch\n',
    )
    .action(async (v: ServeValues) => {
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
      const app = createServer(holder, {
        logger: v.logLevel === 'silent' ? false : { level: v.logLevel, stream: process.stderr },
        cors: v.cors ?? false,
        timeouts,
        adminToken: process.env.ALSREC_ADMIN_TOKEN,
        reloadAll: async (file) => [await reloadAndLog(holder, app.log, 'POST /admin/reload', file)],
      });
      onReady = () => void reloadAndLog(holder, app.log, 'SIGHUP');
      const watcher = v.watch === true ? watchModelFile(v.model, v.watchDebounce, () => void reloadAndLog(holder, app.log, 'model file replaced (--watch)'), (err) => app.log.error({ err }, 'watching the model file failed')) : undefined;
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
    });
}

function cliTimeouts(v: ServeValues): HttpTimeouts {
  if (v.headersTimeout > v.requestTimeout) throw invalidOption('--headers-timeout', `at most --request-timeout (${v.requestTimeout})`, String(v.headersTimeout));
  return resolveHttpTimeouts({ headersTimeoutMs: v.headersTimeout, requestTimeoutMs: v.requestTimeout, keepAliveTimeoutMs: v.keepAliveTimeout, shutdownTimeoutMs: v.shutdownTimeout });
}

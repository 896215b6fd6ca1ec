/**
 * `alsrec serve --model m.alsrec`: the REST API and the dashboard over a saved model, until
 * SIGTERM or SIGINT, which drain the requests in flight (up to --shutdown-timeout) and end the
 * process with exit code 0. SIGHUP (or POST /admin/reload with ALSREC_ADMIN_TOKEN, or --watch)
 * reloads the model without dropping requests; --workers N serves from N processes.
 * The work (and Fastify) is in ../actions/serve.ts, loaded only when the command runs.
 */
import { availableParallelism } from 'node:os';
import { Command, Option } from 'commander';
import { invalidOption } from '../../errors.js';
import { parseInteger } from '../parseOptionValue.js';

export interface ServeValues {
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

/**
 * The timeout defaults, in ms: the same as DEFAULT_HTTP_TIMEOUTS in serve/httpTimeouts.ts (a test
 * checks), written here so that `alsrec --help` loads no server module.
 */
export const SERVE_TIMEOUT_DEFAULTS_MS = { headers: 10_000, request: 30_000, keepAlive: 5_000, shutdown: 10_000 } as const;

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
  const d = SERVE_TIMEOUT_DEFAULTS_MS;
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
    .option('--headers-timeout <ms>', 'time a client has to send the request headers', ms('--headers-timeout'), d.headers)
    .option('--request-timeout <ms>', 'time a client has to send the whole request (408 after)', ms('--request-timeout'), d.request)
    .option('--keep-alive-timeout <ms>', 'idle time before a keep-alive connection is closed', ms('--keep-alive-timeout'), d.keepAlive)
    .option('--shutdown-timeout <ms>', 'on SIGTERM/SIGINT, time requests in flight get before their sockets are closed', ms('--shutdown-timeout'), d.shutdown)
    .addHelpText(
      'after',
      '\nSignals: SIGTERM/SIGINT drain and exit 0; SIGHUP reloads the model file.\n' +
        'POST /admin/reload is enabled when ALSREC_ADMIN_TOKEN is set (Authorization: Bearer <token>).\n' +
        '\nExample:\n  $ alsrec train --save model.alsrec && alsrec serve --model model.alsrec --port 8080 --workers auto --watch\n',
    )
    .action(async (v: ServeValues) => (await import('../actions/serve.js')).runServe(v));
}

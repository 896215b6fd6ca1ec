/**
 * The entry point of one worker of `alsrec serve --workers N` (node:cluster forks this file; the
 * primary passes the configuration in ALSREC_SERVE_WORKER_CONFIG). The worker loads the model
 * itself, serves on the shared port, answers the primary's reload requests, and forwards
 * POST /admin/reload and GET /metrics to the primary so that they reach every worker. SIGTERM
 * drains it (serveUntilSignal) and it exits 0.
 */
import { AggregatorRegistry } from 'prom-client';
import { createServer } from '../createServer.js';
import { ModelHolder } from '../modelHolder.js';
import { loadServedModel } from '../servedModel.js';
import { createServeMetrics } from '../serveMetrics.js';
import { serveUntilSignal } from '../serveUntilSignal.js';
import { reloadAndLog } from '../reloadAndLog.js';
import { isMessage, WORKER_CONFIG_ENV, type PrimaryToWorker, type WorkerConfig, type WorkerReloadOutcome, type WorkerToPrimary } from './messages.js';

/** How long a worker waits for the primary to gather a reload or a scrape from all workers. */
const PRIMARY_ANSWER_TIMEOUT_MS = 120_000;

function send(message: WorkerToPrimary): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const config = JSON.parse(process.env[WORKER_CONFIG_ENV] ?? 'null') as WorkerConfig | null;
  if (config === null) throw new Error(`${WORKER_CONFIG_ENV} is not set: this file is started by alsrec serve --workers`);
  // Answers the primary's metric requests (prom-client's cluster protocol) from now on.
  new AggregatorRegistry();
  // A hang-up of the terminal reaches the whole process group; reloads are the primary's to
  // coordinate, so a worker ignores SIGHUP rather than die of it.
  process.on('SIGHUP', () => {});

  let holder: ModelHolder;
  try {
    holder = new ModelHolder(await loadServedModel(config.model));
  } catch (err) {
    send({ type: 'alsrec:startFailed', message: err instanceof Error ? err.message : String(err) });
    process.exit(1);
  }
  const metrics = createServeMetrics(holder);
  AggregatorRegistry.setRegistries([metrics.registry]);

  let nextId = 0;
  const waiting = new Map<number, (message: PrimaryToWorker) => void>();
  const ask = (message: WorkerToPrimary & { id: number }): Promise<PrimaryToWorker> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting.delete(message.id);
        reject(new Error(`the primary process did not answer within ${PRIMARY_ANSWER_TIMEOUT_MS / 1000} s`));
      }, PRIMARY_ANSWER_TIMEOUT_MS);
      waiting.set(message.id, (answer) => {
        clearTimeout(timer);
        waiting.delete(message.id);
        resolve(answer);
      });
      send(message);
    });

  const app = createServer(holder, {
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel, stream: process.stderr },
    cors: config.cors,
    timeouts: config.timeouts,
    adminToken: process.env.ALSREC_ADMIN_TOKEN,
    metrics,
    reloadAll: async (file) => {
      const answer = await ask({ type: 'alsrec:reloadAll', id: nextId++, ...(file === undefined ? {} : { file }) });
      return answer.type === 'alsrec:reloadAllResult' ? answer.results : [];
    },
    scrapeMetrics: async () => {
      const answer = await ask({ type: 'alsrec:scrape', id: nextId++ });
      if (answer.type !== 'alsrec:scrapeResult') throw new Error('unexpected answer from the primary process');
      if (answer.error !== undefined) throw new Error(`metrics of the workers: ${answer.error}`);
      return { text: answer.text, contentType: answer.contentType };
    },
  });

  process.on('message', (message: unknown) => {
    if (!isMessage<PrimaryToWorker>(message)) return;
    if (message.type === 'alsrec:reload') {
      void reloadAndLog(holder, app.log, 'primary', message.file).then((outcome) => send({ type: 'alsrec:reloaded', id: message.id, outcome }));
    } else {
      waiting.get(message.id)?.(message);
    }
  });

  await serveUntilSignal(app, {
    host: config.host,
    port: config.port,
    shutdownTimeoutMs: config.timeouts.shutdownTimeoutMs,
    onListening: (address) => send({ type: 'alsrec:listening', address }),
  });
  process.exit(0);
}

export type { WorkerReloadOutcome };

await main();

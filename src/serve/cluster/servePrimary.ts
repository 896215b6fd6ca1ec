/**
 * The primary process of `alsrec serve --workers N`: forks N workers that serve one port
 * (node:cluster hands connections out round-robin), restarts a worker that dies (with backoff,
 * logged), passes reloads (SIGHUP, --watch, POST /admin/reload on any worker) to every worker,
 * adds up their metrics for GET /metrics (prom-client's AggregatorRegistry), and on SIGTERM or
 * SIGINT drains them all and returns exit code 0. The primary never loads the model.
 */
import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { AggregatorRegistry } from 'prom-client';
import { AlsrecError } from '../../errors.js';
import { watchServedModelFile, type ServedModelFileWatcher } from '../modelFileWatcher.js';
import { isMessage, WORKER_CONFIG_ENV, type PrimaryToWorker, type WorkerConfig, type WorkerReloadOutcome, type WorkerToPrimary } from './messages.js';

export interface PrimaryOptions extends WorkerConfig {
  workers: number;
  /** Reload when the model file is replaced, after this many quiet milliseconds; undefined: no watching. */
  watchDebounceMs: number | undefined;
  /** Called once every worker listens. */
  onListening?: (address: string) => void;
}

/** A worker that dies sooner than this after its start counts as a crash loop: the backoff grows. */
const STABLE_AFTER_MS = 10_000;
const BACKOFF_BASE_MS = 100;
const BACKOFF_MAX_MS = 30_000;
/** A worker's answer to a reload request; loading a large model can take a while. */
const RELOAD_TIMEOUT_MS = 120_000;
/** How long the start may take (every worker loads the model). */
const START_TIMEOUT_MS = 300_000;

type Level = 'info' | 'warn' | 'error';
const LEVELS: Record<string, number> = { debug: 20, info: 30, warn: 40, error: 50, silent: Infinity };

/**
 * Runs the cluster until SIGTERM or SIGINT; resolves with exit code 0 after the drain. Rejects
 * with an AlsrecError (the first worker's reason) when the workers cannot start; a worker's
 * failure at run time is not an error: it is restarted.
 */
export async function servePrimary(options: PrimaryOptions): Promise<number> {
  const threshold = LEVELS[options.logLevel] ?? 30;
  const log = (level: Level, msg: string, fields: Record<string, unknown> = {}) => {
    if (LEVELS[level]! < threshold) return;
    process.stderr.write(`${JSON.stringify({ level: LEVELS[level], time: Date.now(), pid: process.pid, role: 'primary', ...fields, msg })}\n`);
  };

  const aggregator = new AggregatorRegistry();
  let modelFile = options.model;
  let shuttingDown = false;
  let failuresInARow = 0;
  const startedAt = new Map<Worker, number>();
  const listening = new Set<Worker>();
  let nextId = 0;
  /** --watch: follows the file the workers serve (a reload to another path moves it). */
  let watcher: ServedModelFileWatcher | undefined;
  /** Reload requests waiting for each worker's answer. */
  const reloadWaits = new Map<number, Map<number, (outcome: WorkerReloadOutcome) => void>>();

  // From the start, so a SIGHUP while the workers load does not end the process (its default
  // action): the workers are loading the current file anyway.
  let ready = false;
  const onHup = () => {
    if (ready) void reloadAll(undefined, 'SIGHUP');
    else log('info', 'SIGHUP during start: the workers are loading the model file already');
  };
  process.on('SIGHUP', onHup);

  cluster.setupPrimary({ exec: fileURLToPath(new URL('./serveWorker.js', import.meta.url)), args: [], silent: false });

  const fork = (): Worker => {
    const config: WorkerConfig = { model: modelFile, host: options.host, port: options.port, cors: options.cors, logLevel: options.logLevel, timeouts: options.timeouts };
    const worker = cluster.fork({ [WORKER_CONFIG_ENV]: JSON.stringify(config) });
    startedAt.set(worker, Date.now());
    worker.on('message', (message: unknown) => onMessage(worker, message));
    return worker;
  };

  const sendTo = (worker: Worker, message: PrimaryToWorker) => {
    if (worker.isConnected()) worker.send(message);
  };

  /** Every live worker reloads (`file` or the current file); resolves with each one's outcome. */
  const reloadAll = async (file: string | undefined, reason: string): Promise<WorkerReloadOutcome[]> => {
    const id = nextId++;
    const workers = [...listening].filter((w) => w.isConnected());
    const waits = new Map<number, (outcome: WorkerReloadOutcome) => void>();
    reloadWaits.set(id, waits);
    const results = await Promise.all(
      workers.map(
        (worker) =>
          new Promise<WorkerReloadOutcome>((resolve) => {
            const timer = setTimeout(() => finish({ ok: false, file: file ?? modelFile, error: `worker ${worker.id} did not answer within ${RELOAD_TIMEOUT_MS / 1000} s`, at: new Date().toISOString(), worker: worker.id }), RELOAD_TIMEOUT_MS);
            const finish = (outcome: WorkerReloadOutcome) => {
              clearTimeout(timer);
              waits.delete(worker.id);
              resolve(outcome);
            };
            waits.set(worker.id, finish);
            sendTo(worker, { type: 'alsrec:reload', id, ...(file === undefined ? {} : { file }) });
          }),
      ),
    );
    reloadWaits.delete(id);
    const ok = results.length > 0 && results.every((r) => r.ok);
    // Workers started from now on load what the others serve.
    if (ok && file !== undefined) {
      modelFile = file;
      const before = watcher?.file;
      watcher?.follow(file);
      if (watcher !== undefined && watcher.file !== before) log('info', '--watch now watches the model file served', { previous: before, file: watcher.file });
    }
    log(ok ? 'info' : 'error', ok ? 'every worker reloaded the model' : 'model reload failed in some worker', { reason, file: file ?? modelFile, results });
    return results;
  };

  const onMessage = (worker: Worker, message: unknown) => {
    if (!isMessage<WorkerToPrimary>(message)) return;
    switch (message.type) {
      case 'alsrec:listening':
        listening.add(worker);
        break;
      case 'alsrec:reloaded':
        reloadWaits.get(message.id)?.get(worker.id)?.({ ...message.outcome, worker: worker.id });
        break;
      case 'alsrec:reloadAll':
        void reloadAll(message.file, 'POST /admin/reload').then((results) => sendTo(worker, { type: 'alsrec:reloadAllResult', id: message.id, results }));
        break;
      case 'alsrec:scrape':
        aggregator.clusterMetrics().then(
          (text) => sendTo(worker, { type: 'alsrec:scrapeResult', id: message.id, text, contentType: aggregator.contentType }),
          (err: Error) => sendTo(worker, { type: 'alsrec:scrapeResult', id: message.id, text: '', contentType: '', error: err.message }),
        );
        break;
      default:
        break;
    }
  };

  // Start: every worker must load the model and listen, or the whole start fails.
  const started = await new Promise<{ ok: true; address: string } | { ok: false; message: string }>((resolve) => {
    let address = '';
    const up = new Set<number>();
    const timer = setTimeout(() => resolve({ ok: false, message: `the workers did not start within ${START_TIMEOUT_MS / 1000} s` }), START_TIMEOUT_MS);
    const onStartMessage = (worker: Worker, message: unknown) => {
      if (!isMessage<WorkerToPrimary>(message)) return;
      if (message.type === 'alsrec:startFailed') done({ ok: false, message: message.message });
      if (message.type === 'alsrec:listening') {
        address = message.address;
        up.add(worker.id);
        if (up.size >= options.workers) done({ ok: true, address });
      }
    };
    const onStartExit = (worker: Worker, code: number | null) => done({ ok: false, message: `worker ${worker.id} exited during start (code ${code})` });
    const done = (result: { ok: true; address: string } | { ok: false; message: string }) => {
      clearTimeout(timer);
      cluster.off('message', onStartMessage);
      cluster.off('exit', onStartExit);
      resolve(result);
    };
    cluster.on('message', onStartMessage);
    cluster.on('exit', onStartExit);
    for (let i = 0; i < options.workers; i++) fork();
  });
  if (!started.ok) {
    shuttingDown = true;
    process.off('SIGHUP', onHup);
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
    throw new AlsrecError(started.message, 'ERR_ALSREC_SERVE');
  }

  cluster.on('exit', (worker, code, signal) => {
    listening.delete(worker);
    for (const waits of reloadWaits.values()) waits.get(worker.id)?.({ ok: false, file: modelFile, error: `worker ${worker.id} exited`, at: new Date().toISOString(), worker: worker.id });
    if (shuttingDown) return;
    const lived = Date.now() - (startedAt.get(worker) ?? 0);
    startedAt.delete(worker);
    failuresInARow = lived < STABLE_AFTER_MS ? failuresInARow + 1 : 0;
    const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, failuresInARow - 1));
    log('error', 'worker died; restarting it', { worker: worker.id, pid: worker.process.pid, code, signal, livedMs: lived, restartInMs: delay });
    setTimeout(() => {
      if (!shuttingDown) fork();
    }, delay);
  });

  options.onListening?.(started.address);
  log('info', 'workers listening', { workers: options.workers, address: started.address });

  ready = true;
  watcher =
    options.watchDebounceMs === undefined
      ? undefined
      : watchServedModelFile(modelFile, options.watchDebounceMs, () => void reloadAll(undefined, 'model file replaced (--watch)'), (err) => log('error', 'watching the model file failed', { error: err.message }));

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const stop = (s: NodeJS.Signals) => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      resolve(s);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  shuttingDown = true;
  process.off('SIGHUP', onHup);
  watcher?.close();
  log('info', 'draining the workers, then exiting', { signal });
  const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
  // Each worker drains within its shutdown deadline; a worker still there 5 s later is killed.
  const killAfter = setTimeout(() => {
    for (const w of workers) if (!w.isDead()) w.process.kill('SIGKILL');
  }, options.timeouts.shutdownTimeoutMs + 5_000);
  await Promise.all(
    workers.map((w) => {
      if (w.isDead()) return undefined;
      const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
      w.process.kill('SIGTERM');
      return exited;
    }),
  );
  clearTimeout(killAfter);
  return 0;
}

/**
 * The server's Prometheus metrics (prom-client): requests and their latency by route and status,
 * the model being served (load time, age, size, scoring backend and SIMD instruction sets, reload
 * outcomes) and the process (prom-client's default metrics: CPU, memory, event-loop lag, GC).
 * Each server has its own registry, so two servers in one process (tests) do not mix; with
 * `--workers N` the primary process adds up the workers' registries (see cluster/).
 *
 * Each metric names how prom-client's AggregatorRegistry combines it across workers: counters and
 * histograms add up; model gauges take the maximum (the oldest model for the age, the slowest
 * load), so an alert on them fires when any worker lags.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { loadAddon } from '../als/native/addon.js';
import type { ModelHolder } from './modelHolder.js';

/** Request latency buckets in seconds: the API answers in well under 10 ms when healthy. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];

export interface ServeMetrics {
  readonly registry: Registry;
  /** Counts one answered request. `route` is the route pattern (e.g. /users/:id/history), or `unmatched`. */
  observeRequest(method: string, route: string, status: number, seconds: number): void;
}

/**
 * A registry with the server's metrics over the model in `holder`.
 * @example const metrics = createServeMetrics(holder); await metrics.registry.metrics();
 */
export function createServeMetrics(holder: ModelHolder): ServeMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({ name: 'alsrec_http_requests_total', help: 'HTTP requests answered, by method, route pattern and status', labelNames, registers, aggregator: 'sum' });
  const latency = new Histogram({ name: 'alsrec_http_request_duration_seconds', help: 'Time from receiving a request to sending the reply, by method, route pattern and status', labelNames, buckets: LATENCY_BUCKETS, registers, aggregator: 'sum' });

  const seriesByKey = new Map<string, { requests: { inc(): void }; latency: { observe(value: number): void } }>();

  const current = () => holder.current;
  new Gauge({ name: 'alsrec_model_load_seconds', help: 'Seconds the served model took to load and prepare', registers, aggregator: 'max', collect() { this.set(current().loadSeconds); } });
  new Gauge({
    name: 'alsrec_model_age_seconds',
    help: 'Seconds since the served model was trained (its file was saved), or since it was loaded when that is unknown',
    registers,
    aggregator: 'max',
    collect() {
      const m = current();
      this.set((Date.now() - (m.trainedAt ?? m.loadedAt).getTime()) / 1000);
    },
  });
  new Gauge({ name: 'alsrec_model_loaded_timestamp_seconds', help: 'Unix time the served model was loaded', registers, aggregator: 'min', collect() { this.set(current().loadedAt.getTime() / 1000); } });
  new Gauge({ name: 'alsrec_model_users', help: 'Users in the served model', registers, aggregator: 'max', collect() { this.set(current().model.state.users.size); } });
  new Gauge({ name: 'alsrec_model_movies', help: 'Movies (items) in the served model', registers, aggregator: 'max', collect() { this.set(current().model.state.items.size); } });
  new Gauge({ name: 'alsrec_model_factors', help: 'Latent factors of the served model', registers, aggregator: 'max', collect() { this.set(current().model.options.factors); } });
  new Gauge({
    name: 'alsrec_model_info',
    help: 'Always 1; the labels say which model is served (SHA-256 prefix), how recommendations are scored (native or ts), the SIMD instruction sets of the native build and its variant (x86-64 level or native)',
    labelNames: ['checksum', 'scoring', 'isa', 'variant'] as const,
    registers,
    aggregator: 'max',
    collect() {
      const m = current();
      this.reset();
      const native = m.serving.path === 'native' ? nativeBuild() : { simd: 'none', variant: 'none' };
      this.set({ checksum: m.checksum.slice(0, 16), scoring: m.serving.path, isa: native.simd, variant: native.variant }, 1);
    },
  });
  new Counter({
    name: 'alsrec_model_reloads_total',
    help: 'Model reloads since start, by result (ok or error)',
    labelNames: ['result'] as const,
    registers,
    aggregator: 'sum',
    collect() {
      this.reset();
      this.inc({ result: 'ok' }, holder.reloads.ok);
      this.inc({ result: 'error' }, holder.reloads.failed);
    },
  });

  return {
    registry,
    observeRequest(method, route, status, seconds) {
      // The label children of each (method, route, status), found once: prom-client otherwise
      // hashes the labels object on every call. Bounded: route is a pattern or 'unmatched'.
      const key = `${method} ${status} ${route}`;
      let series = seriesByKey.get(key);
      if (series === undefined) {
        const labels = { method, route, status: String(status) };
        series = { requests: requests.labels(labels), latency: latency.labels(labels) };
        seriesByKey.set(key, series);
      }
      series.requests.inc();
      series.latency.observe(seconds);
    },
  };
}

/** The native build's SIMD instruction sets (e.g. "AVX2, FMA, SSE4.2") and variant (e.g. "v3"); "unknown" when it does not say. */
function nativeBuild(): { simd: string; variant: string } {
  try {
    const { simd, variant } = loadAddon().build;
    return { simd: simd || 'unknown', variant: variant || 'unknown' };
  } catch {
    return { simd: 'unknown', variant: 'unknown' };
  }
}

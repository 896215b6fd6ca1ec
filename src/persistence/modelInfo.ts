/**
 * The optional `INFO` section of a model file (docs/model-format.md): when the factors were last
 * computed (fit, partial fit, or the Spark training run an import came from) and which alsrec
 * version computed them, as a small JSON object. Files without it (written before it existed, or
 * from a state built in memory) are still valid: `/health` then falls back to the file's
 * modification time.
 */
import { packageVersion } from '../packageVersion.js';

/** `trainedAt` is ISO 8601 (UTC); keys this version does not know are kept as read. */
export interface ModelInfo {
  readonly trainedAt: string;
  readonly alsrecVersion: string;
  readonly [key: string]: unknown;
}

/**
 * The info of factors computed now (or at `at`) by this alsrec.
 * @example model info of a fit: modelInfoNow(); // { trainedAt: '2026-12-02T04:20:00.000Z', alsrecVersion: '0.1.0' }
 */
export function modelInfoNow(at: Date = new Date()): ModelInfo {
  return { trainedAt: at.toISOString(), alsrecVersion: packageVersion() };
}

/** Why `value` is not a valid INFO object, or null. */
export function modelInfoProblem(value: unknown): string | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'is not a JSON object';
  const { trainedAt, alsrecVersion } = value as Record<string, unknown>;
  if (typeof trainedAt !== 'string' || !/^\d{4}-\d\d-\d\dT/.test(trainedAt) || Number.isNaN(Date.parse(trainedAt))) {
    return `has no valid "trainedAt" (an ISO 8601 time) but ${JSON.stringify(trainedAt)?.slice(0, 60)}`;
  }
  if (typeof alsrecVersion !== 'string' || alsrecVersion.length === 0 || alsrecVersion.length > 100) return `has no valid "alsrecVersion" but ${JSON.stringify(alsrecVersion)?.slice(0, 60)}`;
  return null;
}

/**
 * One reload of a holder's model with its log line: `model reloaded` (file, checksum, seconds)
 * or, when the new file fails to load and the old model keeps serving, `model reload failed`
 * (file, error). Used by SIGHUP, --watch, POST /admin/reload and the workers.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { ModelHolder, ReloadOutcome } from './modelHolder.js';

/**
 * @example await reloadAndLog(holder, app.log, 'SIGHUP');
 */
export async function reloadAndLog(holder: ModelHolder, log: Pick<FastifyBaseLogger, 'info' | 'error'>, reason: string, file?: string): Promise<ReloadOutcome> {
  const outcome = await holder.reload(file);
  if (outcome.ok) {
    log.info({ reason, file: outcome.file, checksum: outcome.checksum, previousChecksum: outcome.previousChecksum, loadSeconds: outcome.loadSeconds }, 'model reloaded');
  } else {
    log.error({ reason, file: outcome.file, error: outcome.error }, 'model reload failed; the previous model keeps serving');
  }
  return outcome;
}

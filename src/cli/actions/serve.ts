/** What `alsrec serve` does (its options are declared in ../commands/serve.ts). */
import { ALS } from '../../als/model.js';
import { createServer } from '../../serve/createServer.js';
import { serveUntilSignal } from '../../serve/serveUntilSignal.js';
import { stderrLine } from '../trainFromCli.js';
import type { ServeValues } from '../commands/serve.js';

/**
 * Runs the command with the values commander parsed.
 * @example await runServe({ model: 'm.alsrec', port: 8080, host: '127.0.0.1', logLevel: 'info' });
 */
export async function runServe(v: ServeValues): Promise<void> {
  const model = await ALS.load(v.model);
  const app = createServer(model, {
    logger: v.logLevel === 'silent' ? false : { level: v.logLevel, stream: process.stderr },
    cors: v.cors ?? false,
  });
  await serveUntilSignal(app, {
    host: v.host,
    port: v.port,
    onListening: (address) => stderrLine(`alsrec: serving ${v.model} at ${address} (dashboard /, API docs /docs); SIGTERM or Ctrl-C stops`),
  });
}

/**
 * `alsrec serve --model m.alsrec`: the REST API and the dashboard over a saved model, until
 * SIGTERM or SIGINT, which drain the requests in flight and end the process with exit code 0.
 */
import { Command, Option } from 'commander';
import { ALS } from '../../als/model.js';
import { createServer } from '../../serve/createServer.js';
import { serveUntilSignal } from '../../serve/serveUntilSignal.js';
import { parseInteger } from '../parseOptionValue.js';
import { stderrLine } from '../trainFromCli.js';

interface ServeValues {
  model: string;
  port: number;
  host: string;
  cors?: boolean;
  logLevel: string;
}

export function serveCommand(): Command {
  return new Command('serve')
    .description('serve the REST API (/docs) and the dashboard (/) over a saved model')
    .requiredOption('--model <file>', 'model file (alsrec train --save)')
    .option('--port <port>', 'TCP port (0 picks a free one)', (v) => parseInteger('--port', v, 0, 65535), 8080)
    .option('--host <host>', 'address to bind; 0.0.0.0 exposes the server to the network', '127.0.0.1')
    .option('--cors', 'allow cross-origin requests from any origin')
    .addOption(new Option('--log-level <level>', 'request log on stderr, one JSON line per request').choices(['silent', 'error', 'warn', 'info', 'debug']).default('info'))
    .addHelpText('after', '\nExample:\n  $ alsrec train --save model.alsrec && alsrec serve --model model.alsrec --port 8080\n')
    .action(async (v: ServeValues) => {
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
    });
}

/**
 * `alsrec serve --model m.alsrec`: the REST API and the dashboard over a saved model, until
 * SIGTERM or SIGINT, which drain the requests in flight and end the process with exit code 0.
 * The work (and Fastify) is in ../actions/serve.ts, loaded only when the command runs.
 */
import { Command, Option } from 'commander';
import { parseInteger } from '../parseOptionValue.js';

export interface ServeValues {
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
    .action(async (v: ServeValues) => (await import('../actions/serve.js')).runServe(v));
}

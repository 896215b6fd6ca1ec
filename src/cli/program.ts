/**
 * The `alsrec` program: the entry point only adds the commands, one file each.
 */
import { Command, CommanderError } from 'commander';
import { trainCommand } from './commands/train.js';
import { recommendCommand } from './commands/recommend.js';
import { similarCommand } from './commands/similar.js';
import { explainCommand } from './commands/explain.js';
import { recommendAllCommand } from './commands/recommendAll.js';
import { updateCommand } from './commands/update.js';
import { downloadCommand } from './commands/download.js';
import { synthCommand } from './commands/synth.js';
import { evaluateCommand } from './commands/evaluate.js';
import { tuneCommand } from './commands/tune.js';
import { benchCommand, benchContenderCommand } from './commands/bench.js';
import { serveCommand } from './commands/serve.js';
import { importSparkCommand } from './commands/importSpark.js';
import { exportSparkCommand } from './commands/exportSpark.js';
import { exportInteractionsCommand } from './commands/exportInteractions.js';
import { versionLine } from './packageVersion.js';

export function createProgram(): Command {
  const program = new Command('alsrec')
    .description('Implicit-feedback ALS movie recommender (C++/Eigen native backend, pure-TypeScript fallback)')
    // Not .version(versionLine()): that would load the native addon for every command just to
    // build the string. The line is made only when --version is given.
    .option('-V, --version', 'output the version number and the native build in use')
    .showHelpAfterError()
    .addHelpText('after', '\nExample:\n  $ alsrec train --data data/ml-100k\n  $ alsrec download ml-100k\n');
  program.on('option:version', () => {
    const line = versionLine();
    process.stdout.write(`${line}\n`);
    throw new CommanderError(0, 'commander.version', line);
  });
  for (const cmd of [trainCommand(), recommendCommand(), similarCommand(), recommendAllCommand(), updateCommand(), downloadCommand(), synthCommand(), benchCommand(), serveCommand()]) {
    program.addCommand(cmd);
  }
  program.addCommand(benchContenderCommand(), { hidden: true });
  program.addCommand(explainCommand());
  program.addCommand(evaluateCommand()).addCommand(tuneCommand());
  program.addCommand(importSparkCommand()).addCommand(exportSparkCommand()).addCommand(exportInteractionsCommand());
  // Usage errors become exceptions (exit code 2 via handleError) instead of process.exit().
  const exitOverride = (c: Command) => {
    c.exitOverride();
    c.commands.forEach(exitOverride);
  };
  exitOverride(program);
  return program;
}

/** Runs the CLI on `argv` (user arguments only) and returns the exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const { reportError } = await import('./handleError.js');
  try {
    await createProgram().parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    return reportError(err);
  }
}

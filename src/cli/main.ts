#!/usr/bin/env node
import { runCli } from './program.js';

// `alsrec ... | head` closes the pipe early: stop writing quietly, as Unix tools do, instead of
// dying on an unhandled EPIPE. Other stream errors still surface.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    stream.destroy();
  });
}

process.exitCode = await runCli(process.argv.slice(2));

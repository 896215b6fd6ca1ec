#!/usr/bin/env node

// `alsrec ... | head` closes the pipe early: stop writing quietly, as Unix tools do, instead of
// dying on an unhandled EPIPE. Other stream errors still surface.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    stream.destroy();
  });
}

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  // The fast path of `alsrec --version` (issue 10: <= 0.12 s whole process): the version and the
  // native build without loading commander and the commands (~30 modules). program.ts prints the
  // same line when --version comes with other arguments.
  const { versionLine } = await import('./packageVersion.js');
  process.stdout.write(`${versionLine()}\n`);
} else {
  const { runCli } = await import('./program.js');
  process.exitCode = await runCli(argv);
}

/**
 * Start-up of the `alsrec` entry point: a command's dependencies load only when that command runs.
 * `alsrec --version` and `alsrec --help` run the built CLI (dist/) with the command
 * implementations (src/cli/actions/), the model, the server and every package but commander made
 * unimportable (test/helpers/forbidModules.mjs); they must still succeed. The control case shows
 * the guard bites: a command that runs does reach its implementation.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const forbid = fileURLToPath(new URL('../helpers/forbidModules.mjs', import.meta.url));

/** Resolved URLs that `--version` and `--help` must not import. */
const FORBIDDEN = ['/dist/cli/actions/', '/dist/als/model\\.js$', '/dist/serve/', '/node_modules/(?!commander/)'];

function runGuarded(args: string[]): { status: number | null; stdout: string; stderr: string } {
  expect(existsSync(cli), `${cli} is missing: run npm run build`).toBe(true);
  const r = spawnSync(process.execPath, ['--import', forbid, cli, ...args], {
    env: { ...process.env, ALSREC_FORBID_MODULES: JSON.stringify(FORBIDDEN) },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('alsrec start-up', () => {
  it('--version imports no command implementation, model, server or package but commander', () => {
    const r = runGuarded(['--version']);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(r.status).toBe(0);
  });

  it('--help and a command\'s --help list every command without loading them', () => {
    const top = runGuarded(['--help']);
    expect(top.status, top.stderr).toBe(0);
    for (const command of ['train', 'recommend', 'similar', 'recommend-all', 'update', 'download', 'synth', 'bench', 'serve', 'evaluate', 'tune']) {
      expect(top.stdout).toContain(`  ${command} `);
    }
    const tune = runGuarded(['tune', '--help']);
    expect(tune.status, tune.stderr).toBe(0);
    expect(tune.stdout).toContain('The default space is log-spaced (12600 points)');
  });

  it('control: a command that runs imports its implementation, which the guard refuses', () => {
    const r = runGuarded(['synth', '--preset', 'no-such-preset']);
    expect(r.stderr).toMatch(/forbidden module file:\/\/\S+\/dist\/cli\/actions\/synth\.js/);
    expect(r.status).toBe(1);
  });
});

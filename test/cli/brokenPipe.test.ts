/**
 * `alsrec ... | head`: the reader closes the pipe early. The CLI must stop writing and exit 0
 * without a stack trace, as Unix tools do. Runs the built CLI (dist/, made by `npm install`).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { writeFixtureMl100k } from '../helpers/fixtureMl100k.js';

const cli = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

describe('the CLI on a closed pipe', () => {
  it('exits 0 without an error when stdout is closed after the first line', async () => {
    expect(existsSync(cli), `${cli} is missing: run npm run build`).toBe(true);
    const child = spawn(process.execPath, [cli, 'train', '--data', writeFixtureMl100k(), '--factors', '2', '--iterations', '200', '--user', '1'], {
      env: { ...process.env, ALSREC_BACKEND: 'ts' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once('data', () => child.stdout.destroy()); // like `| head -1`
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});

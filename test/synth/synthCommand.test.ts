import { mkdtemp, readdir, readFile, rm, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { synthCommand } from '../../src/cli/commands/synth.js';
import { InvalidOptionError } from '../../src/errors.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'alsrec-synth-cli-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(root, { recursive: true, force: true });
});

function run(args: string[]): Promise<unknown> {
  return synthCommand().exitOverride().parseAsync(args, { from: 'user' });
}

describe('alsrec synth', () => {
  it.each([
    [['--users', 'abc', '--items', '100', '--nnz', '1000'], 'Expected an integer >= 1 for --users but received "abc" of type string'],
    [['--users', '10', '--items', '100', '--nnz', '2.5'], 'Expected an integer >= 1 for --nnz but received "2.5" of type string'],
    [['--users', '10', '--items', '', '--nnz', '10'], 'Expected an integer >= 20 for --items but received "" of type string'],
    [['--users', '10', '--items', '19', '--nnz', '10'], 'Expected an integer >= 20 for --items but received 19 of type number'],
    [['--users', '0', '--items', '100', '--nnz', '10'], 'Expected an integer >= 1 for --users but received 0 of type number'],
    [['--users', '10', '--nnz', '10'], 'Expected an integer >= 20 for --items but received undefined'],
    [['--users', '10', '--items', '100', '--nnz', '10', '--seed', '-3'], 'Expected an integer >= 0 for --seed but received -3 of type number'],
    [['--preset', 'synth-2m'], 'Expected one of synth-1m, synth-10m, synth-100m for --preset but received "synth-2m" of type string'],
    [['--preset', 'synth-1m', '--users', '10'], '--preset cannot be combined with --users; use one or the other'],
    [[], 'Expected --preset NAME, or --users, --items and --nnz (with an optional --seed)'],
  ])('should throw an InvalidOptionError for %j', async (args, message) => {
    const error = await run(args).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as Error).message).toBe(message);
  });

  it('should throw when the output folder exists, before generating', async () => {
    const out = join(root, 'exists');
    await mkdir(out);
    await expect(run(['--users', '10', '--items', '100', '--nnz', '100', '--out', out])).rejects.toThrow(
      `Output folder ${out} already exists; pass --force to replace it`,
    );
  });

  it('writes the folder and prints a one-line summary', async () => {
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const out = join(root, 'small');
    await run(['--users', '50', '--items', '200', '--nnz', '2000', '--seed', '7', '--out', out]);
    expect((await readdir(out)).sort()).toEqual(['movies.csv', 'ratings.csv']);
    const lines = (await readFile(join(out, 'ratings.csv'), 'utf8')).trimEnd().split('\n');
    expect(lines.length - 1).toBe(1308); // the spec's test vector
    expect(lines[1]).toBe('1,6,3,1000000000');
    const summary = stdout.mock.calls.map((c) => String(c[0])).join('');
    expect(summary).toMatch(
      new RegExp(`^synth-u50-i200-n2000-s7: 50 users, 200 items, 1308 ratings \\(target 2000, seed 7\\); generated in [0-9.]+ s, written to ${out} in [0-9.]+ s\\n$`),
    );

    await run(['--users', '50', '--items', '200', '--nnz', '2000', '--seed', '8', '--out', out, '--force']);
    const again = (await readFile(join(out, 'ratings.csv'), 'utf8')).trimEnd().split('\n');
    expect(again.length).toBeGreaterThan(1);
  });

  it('has help text with examples', () => {
    let help = '';
    const cmd = synthCommand().exitOverride().configureOutput({ writeOut: (s) => (help += s) });
    expect(() => cmd.parse(['--help'], { from: 'user' })).toThrow();
    expect(help).toContain('alsrec synth --preset synth-1m');
    expect(help).toContain('--preset <name>');
  });
});

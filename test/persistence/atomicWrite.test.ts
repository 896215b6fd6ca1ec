/**
 * Crash safety of model saves: a writer killed (SIGKILL) mid-write or between write and rename,
 * and a write that fails just before the rename, all leave the previous model intact.
 */
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readModelFile, writeModelFile } from '../../src/persistence/modelFile.js';
import { AtomicFile, writeError, writeFileAtomic } from '../../src/persistence/atomicWrite.js';
import { modelContents } from './modelFixture.js';

const repo = resolve(import.meta.dirname, '../..');

/** Compiles src/persistence/modelFile.ts (and what it imports) to plain ESM a child `node` can run. */
function compileModelFile(): string {
  const out = mkdtempSync(join(tmpdir(), 'alsrec-compiled-'));
  execFileSync(process.execPath, [
    join(repo, 'node_modules/typescript/bin/tsc'), '--outDir', out, '--rootDir', join(repo, 'src'),
    '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--skipLibCheck',
    join(repo, 'src/persistence/modelFile.ts'),
  ], { stdio: 'pipe' });
  writeFileSync(join(out, 'package.json'), '{"type":"module"}\n');
  return out;
}

/** A child that starts saving a ~30 MB model over `path` and stops at `stage`, printing `ready`. */
const CHILD = `
import { IdMap } from './matrix/idMap.js';
import { encodeModelFile, writeModelFile } from './persistence/modelFile.js';
import { AtomicFile } from './persistence/atomicWrite.js';
const [path, stage] = process.argv.slice(2);
const users = 100000, items = 2000, k = 32;
const contents = {
  options: { factors: k, regularization: 0.01, alpha: 1, iterations: 1, solver: 'cg', cgSteps: 3, seed: 0 },
  users: IdMap.fromOrderedIds(Int32Array.from({ length: users }, (_, u) => u + 1)),
  items: IdMap.fromOrderedIds(Int32Array.from({ length: items }, (_, i) => i + 1)),
  liked: { rows: users, cols: items, indptr: new Int32Array(users + 1), indices: new Int32Array(0), data: new Float32Array(0) },
  movies: new Map(),
  userFactors: new Float32Array(users * k).fill(0.5),
  itemFactors: new Float32Array(items * k).fill(0.25),
};
const hang = () => new Promise(() => { setInterval(() => {}, 1000); process.stdout.write('ready\\n'); });
if (stage === 'before-rename') {
  await writeModelFile(path, contents, { beforeRename: hang });
} else {
  // Mid-write: half of the chunks are on disk when the process dies.
  const chunks = encodeModelFile(contents);
  const file = await AtomicFile.open(path);
  await file.writeChunks(chunks.slice(0, Math.ceil(chunks.length / 2)));
  await hang();
}
`;

/** Runs the child until it prints `ready`, then sends it `signal` (SIGKILL by default). */
async function killWhileSaving(compiled: string, path: string, stage: 'before-rename' | 'mid-write', signal: NodeJS.Signals = 'SIGKILL'): Promise<NodeJS.Signals | null> {
  writeFileSync(join(compiled, 'child.mjs'), CHILD);
  const child = spawn(process.execPath, [join(compiled, 'child.mjs'), path, stage], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  await new Promise<void>((ready, failed) => {
    child.stdout.on('data', (d) => {
      if (String(d).includes('ready')) ready();
    });
    child.on('exit', (code) => failed(new Error(`child exited with ${code} before it was killed: ${stderr}`)));
  });
  const exited = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)));
  child.kill(signal);
  return exited;
}

describe('atomic model saves', () => {
  let compiled: string;
  beforeAll(() => {
    compiled = compileModelFile();
  });

  it('should throw from the pre-rename hook and leave the old file and no temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'alsrec-atomic-'));
    const path = join(dir, 'm.alsrec');
    await writeModelFile(path, modelContents(5, 6, 2));
    const before = readFileSync(path);
    const failing = writeModelFile(path, modelContents(9, 9, 4), {
      beforeRename: () => {
        throw new Error('disk unplugged');
      },
    });
    await expect(failing).rejects.toThrow('disk unplugged');
    expect(readFileSync(path)).toEqual(before);
    expect(readdirSync(dir)).toEqual(['m.alsrec']);
  });

  it.each(['before-rename', 'mid-write'] as const)('should keep the old model when the writer is SIGKILLed (%s)', async (stage) => {
    const dir = mkdtempSync(join(tmpdir(), 'alsrec-atomic-'));
    const path = join(dir, 'm.alsrec');
    const old = modelContents(5, 6, 2);
    await writeModelFile(path, old);
    const before = readFileSync(path);

    expect(await killWhileSaving(compiled, path, stage)).toBe('SIGKILL');

    expect(readFileSync(path)).toEqual(before);
    const back = await readModelFile(path);
    expect(back.userFactors).toEqual(old.userFactors);
    // The killed writer's temporary file is a dot-file, never the model's name.
    const left = readdirSync(dir).filter((f) => f !== 'm.alsrec');
    expect(left).toHaveLength(1);
    expect(left[0]).toMatch(/^\.m\.alsrec\.\d+\.[0-9a-f]{8}\.tmp$/);
    if (stage === 'mid-write') await expect(readModelFile(join(dir, left[0]!))).rejects.toThrow('is truncated');
    // The next write of the same file removes the dead writer's leftover.
    await writeModelFile(path, old);
    expect(readdirSync(dir)).toEqual(['m.alsrec']);
  });

  it.each([
    ['SIGTERM', 'mid-write'], ['SIGINT', 'mid-write'], ['SIGTERM', 'before-rename'], ['SIGINT', 'before-rename'],
  ] as const)('should remove its temporary file and die by the signal on %s (%s)', async (signal, stage) => {
    const dir = mkdtempSync(join(tmpdir(), 'alsrec-atomic-'));
    const path = join(dir, 'm.alsrec');
    const old = modelContents(5, 6, 2);
    await writeModelFile(path, old);
    const before = readFileSync(path);
    expect(await killWhileSaving(compiled, path, stage, signal)).toBe(signal);
    expect(readFileSync(path)).toEqual(before);
    expect(readdirSync(dir)).toEqual(['m.alsrec']);
  });

  it("should leave a live process's temporary file alone", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'alsrec-atomic-'));
    const live = join(dir, `.out.csv.${process.ppid}.0123abcd.tmp`);
    const dead = join(dir, '.out.csv.999999999.0123abcd.tmp');
    const other = join(dir, '.other.csv.999999999.0123abcd.tmp');
    for (const f of [live, dead, other]) writeFileSync(f, 'x');
    await writeFileAtomic(join(dir, 'out.csv'), [Buffer.from('a\n')]);
    expect(readdirSync(dir).sort()).toEqual([basename(live), basename(other), 'out.csv'].sort());
  });

  it('should name the destination when it is a folder (EISDIR) or the disk is full (ENOSPC)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'alsrec-atomic-'));
    mkdirSync(join(dir, 'sub'));
    await expect(writeFileAtomic(join(dir, 'sub'), [Buffer.from('a')])).rejects.toThrow(`Cannot write ${join(dir, 'sub')}: it is a folder (EISDIR)`);
    expect(readdirSync(dir)).toEqual(['sub']);
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
    expect(writeError('/data/m.alsrec', full).message).toBe('Cannot write /data/m.alsrec: no space left on the device (ENOSPC)');
    expect(writeError('/data/m.alsrec', full)).toMatchObject({ code: 'ERR_ALSREC_WRITE' });
  });

  it('should replace the file on success and abort cleanly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'alsrec-atomic-'));
    const path = join(dir, 'out.csv');
    await writeFileAtomic(path, [Buffer.from('a,b\n'), Buffer.from('1,2\n')]);
    expect(readFileSync(path, 'utf8')).toBe('a,b\n1,2\n');
    const file = await AtomicFile.open(path);
    await file.write('half');
    await file.abort();
    expect(readFileSync(path, 'utf8')).toBe('a,b\n1,2\n');
    expect(readdirSync(dir)).toEqual(['out.csv']);
  });
});

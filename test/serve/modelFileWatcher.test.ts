/**
 * watchServedModelFile: `--watch` moved to the file a reload switched to. After follow(), replacing
 * the old path does nothing and replacing the new one calls back (once per save, debounced).
 */
import { copyFile, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { watchServedModelFile } from '../../src/serve/modelFileWatcher.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'alsrec-watch-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Replaces `file` as train --save does: write beside it, rename over it. */
async function replace(file: string, text: string): Promise<void> {
  await writeFile(`${file}.tmp`, text);
  await rename(`${file}.tmp`, file);
}

describe('watchServedModelFile', () => {
  it('follows the file served: the old path stops triggering, the new one triggers', async () => {
    const a = join(dir, 'a.alsrec');
    const b = join(dir, 'b.alsrec');
    await writeFile(a, 'a');
    await copyFile(a, b);
    const onReplaced = vi.fn();
    const watcher = watchServedModelFile(a, 50, onReplaced);
    try {
      await replace(a, 'a2');
      await vi.waitFor(() => expect(onReplaced).toHaveBeenCalledTimes(1), { timeout: 5_000, interval: 20 });
      watcher.follow(b);
      expect(watcher.file).toBe(b);
      await replace(a, 'a3');
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(onReplaced).toHaveBeenCalledTimes(1);
      await replace(b, 'b2');
      await vi.waitFor(() => expect(onReplaced).toHaveBeenCalledTimes(2), { timeout: 5_000, interval: 20 });
      watcher.follow(join(dir, '.', 'b.alsrec')); // the same file: nothing changes
      expect(watcher.file).toBe(b);
    } finally {
      watcher.close();
    }
  });
});

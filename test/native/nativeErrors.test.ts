/**
 * C++ exceptions become coded JS errors: std::bad_alloc on the main thread (argument copies,
 * output arrays) and in a worker (kernel scratch) gives an Error with code
 * ERR_ALSREC_NATIVE_OUT_OF_MEMORY and a one-line message, and the process lives on. Run in a
 * child process under `ulimit -v`, so the allocation really fails.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { addonPath } from '../../src/als/native/addon.js';
import { tryLoadAddon } from './problems.js';

const { addon } = tryLoadAddon();
const fixture = fileURLToPath(new URL('./fixtures/outOfMemory.mjs', import.meta.url));
// ASan reserves terabytes of shadow memory: a virtual-memory limit cannot apply under it.
const sanitized = process.env.ALSREC_SANITIZED === '1';

describe.skipIf(addon === null || sanitized)('native out-of-memory (child process under ulimit -v)', () => {
  it('std::bad_alloc in gram (main thread) and in a half-sweep (worker) are coded errors, and the addon still works', () => {
    // 1.2 GB of address space: Node starts, the 1 GiB YtY scratch of k = 4096 does not fit.
    const child = spawnSync('sh', ['-c', `ulimit -v 1200000 && exec "${process.execPath}" "${fixture}" "${addonPath()}"`], { encoding: 'utf8', timeout: 120_000 });
    expect(child.signal, child.stderr).toBe(null);
    expect(child.status, child.stderr).toBe(0);
    const out = JSON.parse(child.stdout.trim()) as Record<string, unknown>;
    expect(out.gram).toEqual({
      name: 'Error',
      code: 'ERR_ALSREC_NATIVE_OUT_OF_MEMORY',
      message: 'alsrec native: out of memory in gram; use fewer ids per call, fewer factors or a machine with more memory',
    });
    expect(out.halfSweep).toEqual({
      name: 'Error',
      code: 'ERR_ALSREC_NATIVE_OUT_OF_MEMORY',
      message: 'alsrec native: out of memory in halfSweep; use fewer ids per call, fewer factors or a machine with more memory',
    });
    expect(out.smallAfterwards).toEqual([0.952, 0, 0, 0]);
  }, 150_000);
});

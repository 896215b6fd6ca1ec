/**
 * Batch commands keep freed memory in the process (see `retainFreedMemory` in native/binding.cpp):
 * their phases free and allocate hundreds of MB of typed arrays, and pages given back to the
 * kernel cost ~5 ms per MB to fault in again on a VM that reports free pages to its host. Set
 * ALSREC_RETAIN_MEMORY=0 to leave the allocator as it is (for A/B measurements).
 */
import { loadAddon } from '../als/native/addon.js';

let applied: boolean | null = null;

/**
 * Applies the policy once per process; true when it took effect. Without the addon (the TS
 * backend) or off glibc it changes nothing and returns false.
 *
 * @example retainFreedMemoryForBatch(); // before loading a large dataset
 */
export function retainFreedMemoryForBatch(): boolean {
  if (applied !== null) return applied;
  if (process.env['ALSREC_RETAIN_MEMORY'] === '0') return (applied = false);
  try {
    applied = loadAddon().retainFreedMemory?.() ?? false;
  } catch {
    applied = false; // no loadable addon: the TS backend runs, the allocator stays as it is
  }
  return applied;
}

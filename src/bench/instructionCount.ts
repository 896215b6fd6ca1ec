/**
 * The deterministic performance signal: the instruction count (Ir) of the native kernels on a
 * fixed workload, under `valgrind --tool=callgrind`. It does not depend on the machine's load, so
 * CI can gate it tightly, and per kernel (CG and Cholesky separately), so a slowdown of either
 * shows. The driver (bench/nativeKernel.cpp) is built with the flags of the shipped v3 variant
 * (x86-64-v3: AVX2+FMA): valgrind's synthetic CPU has no AVX-512, so the v4 variant cannot run
 * under it; v3 is what a user without AVX-512 gets. (The v4 path is gated by timing instead: the
 * GFLOP/s floors run the loader's pick, v4 on an AVX-512 machine; see test/perf.)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AlsrecError } from '../errors.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const driver = `${root}build-bench/nativeKernel`;

export function valgrindAvailable(): boolean {
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

/** Builds the standalone kernel driver (scripts/build-kernel-bench.sh). */
export function buildKernelDriver(): string {
  execFileSync('sh', [`${root}scripts/build-kernel-bench.sh`], { stdio: 'pipe' });
  if (!existsSync(driver)) throw new AlsrecError(`Building ${driver} did not produce it`);
  return driver;
}

/** The driver's instruction-set flag, recorded in the baseline so counts of different ISAs are never compared. */
export const KERNEL_DRIVER_ISA = 'x86-64-v3';

function countInstructions(driver: string, solver: 'none' | 'cg' | 'cholesky'): number {
  const args = ['--tool=callgrind', '--callgrind-out-file=/dev/null', driver, '600', '900', '20000', '32', '1', '1', solver];
  const run = spawnSync('valgrind', args, { encoding: 'utf8', timeout: 600_000 });
  const match = /Collected : (\d+)/.exec(run.stderr);
  if (run.status !== 0 || match === null) {
    throw new AlsrecError(`callgrind failed (exit ${run.status}): ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }
  return Number(match[1]);
}

/**
 * Instructions executed by one CG half-sweep (3 steps) and one Cholesky half-sweep of the driver's
 * fixed workload (600 x 900, 20,000 ratings, k = 32, 1 thread): each is the count of a run with
 * that kernel minus the count of a run that only builds the workload.
 */
export function kernelInstructionCounts(): { cg: number; cholesky: number } {
  const driver = buildKernelDriver();
  const setup = countInstructions(driver, 'none');
  return { cg: countInstructions(driver, 'cg') - setup, cholesky: countInstructions(driver, 'cholesky') - setup };
}

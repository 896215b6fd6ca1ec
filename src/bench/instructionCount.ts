/**
 * The deterministic performance signal: the instruction count (Ir) of the native kernels on a
 * fixed workload, under `valgrind --tool=callgrind`. It does not depend on the machine's load, so
 * CI can gate it tightly. The driver (bench/nativeKernel.cpp) is built AVX2+FMA because valgrind
 * 3.19 cannot decode AVX-512.
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

/** Instructions executed by the driver's fixed workload (one CG and one Cholesky half-sweep). */
export function kernelInstructionCount(): number {
  const run = spawnSync('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', buildKernelDriver()], { encoding: 'utf8' });
  const match = /Collected : (\d+)/.exec(run.stderr);
  if (run.status !== 0 || match === null) {
    throw new AlsrecError(`callgrind failed (exit ${run.status}): ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }
  return Number(match[1]);
}

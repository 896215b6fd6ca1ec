/**
 * `npm run bench:baseline`: measures the tracked workloads and rewrites bench/baseline.json.
 * Run it deliberately, on a quiet machine, when a change is meant to move performance. Each
 * workload is measured in REPEATS fresh processes and the slowest is kept: this VM's speed drifts
 * by tens of percent with its neighbours' load (ML-100K CG measured 39-63 GFLOP/s in one hour), and
 * a bar set in a fast phase would fail a slow one.
 */
import { availableParallelism, cpus } from 'node:os';
import { runContenderProcess } from './runBench.js';
import { summarize } from './summarize.js';
import { BASELINE_CONTENDERS, BASELINE_PATH, baselineKey, writeBaseline } from './perfBaseline.js';
import { KERNEL_DRIVER_ISA, kernelInstructionCounts } from './instructionCount.js';
import { nativeInfo } from '../als/native/addon.js';

const REPEATS = 3;
const gflops: Record<string, number> = {};
for (const spec of BASELINE_CONTENDERS) {
  const samples: number[] = [];
  for (let r = 0; r < REPEATS; r++) samples.push(summarize(await runContenderProcess(spec)).gflops);
  const slowest = Math.min(...samples);
  gflops[baselineKey(spec)] = Number(slowest.toFixed(2));
  process.stderr.write(`${baselineKey(spec)}: ${slowest.toFixed(2)} GFLOP/s (slowest of ${samples.map((g) => g.toFixed(2)).join(', ')})\n`);
}
const kernelInstructions = { isa: KERNEL_DRIVER_ISA, ...kernelInstructionCounts() };
process.stderr.write(`kernel instructions (callgrind Ir, ${KERNEL_DRIVER_ISA}): CG ${kernelInstructions.cg}, Cholesky ${kernelInstructions.cholesky}\n`);
const variant = nativeInfo()?.variant ?? 'none';
writeBaseline({ machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: availableParallelism() }, date: new Date().toISOString(), variant, gflops, kernelInstructions });
process.stderr.write(`wrote ${BASELINE_PATH}\n`);

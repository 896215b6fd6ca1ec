/**
 * `npm run bench:baseline`: measures the tracked workloads and rewrites bench/baseline.json.
 * Run it deliberately, on a quiet machine, when a change is meant to move performance.
 */
import { availableParallelism, cpus } from 'node:os';
import { runContenderProcess } from './runBench.js';
import { summarize } from './summarize.js';
import { BASELINE_CONTENDERS, BASELINE_PATH, baselineKey, writeBaseline } from './perfBaseline.js';
import { kernelInstructionCount } from './instructionCount.js';

const gflops: Record<string, number> = {};
for (const spec of BASELINE_CONTENDERS) {
  const s = summarize(await runContenderProcess(spec));
  gflops[baselineKey(spec)] = Number(s.gflops.toFixed(2));
  process.stderr.write(`${baselineKey(spec)}: ${s.gflops.toFixed(2)} GFLOP/s (median iteration ${s.iteration.median.toFixed(4)} s)\n`);
}
const kernelInstructions = kernelInstructionCount();
process.stderr.write(`kernel instructions (callgrind Ir): ${kernelInstructions}\n`);
writeBaseline({ machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: availableParallelism() }, date: new Date().toISOString(), gflops, kernelInstructions });
process.stderr.write(`wrote ${BASELINE_PATH}\n`);

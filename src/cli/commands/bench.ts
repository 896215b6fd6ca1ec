/**
 * `alsrec bench`: native vs pure-TS (and threads, factors, solvers) on MovieLens or synthetic
 * data, each contender in a fresh process. `alsrec bench-contender` (hidden) is that process.
 * The work is in ../actions/bench.ts, loaded only when a command runs.
 */
import { Command } from 'commander';
import { parseInteger, parseList } from '../parseOptionValue.js';
import { oneOf } from '../../als/options.js';
import type { ContenderSpec } from '../../bench/runContender.js';
import type { NativeVariant } from '../../als/native/addon.js';

export interface BenchValues {
  data: string;
  factors: number[];
  solver: ContenderSpec['solver'][];
  backend: ContenderSpec['backend'][];
  threads: number[];
  iterations: number;
  runs: number;
  cgSteps: number;
  isa?: NativeVariant[];
  json?: boolean;
  phases?: boolean;
}

export function benchCommand(): Command {
  return new Command('bench')
    .description('benchmark training speed: native vs TS, solvers, factors, threads (each contender in a fresh process)')
    .option('--data <list>', 'ml-100k, synth-1m, synth-10m, synth:USERS:ITEMS:NNZ[:SEED] or a MovieLens folder (comma-separated)', 'ml-100k')
    .option('--factors <list>', 'comma-separated factor counts', (v) => parseList('--factors', v, (o, x) => parseInteger(o, x, 1, 4096)), [50])
    .option('--solver <list>', 'cg, cholesky', (v) => parseList('--solver', v, (o, x) => oneOf(o, x, ['cg', 'cholesky'] as const)), ['cg', 'cholesky'])
    .option('--backend <list>', 'native, ts', (v) => parseList('--backend', v, (o, x) => oneOf(o, x, ['native', 'ts'] as const)), ['native', 'ts'])
    .option('--threads <list>', 'comma-separated thread counts', (v) => parseList('--threads', v, (o, x) => parseInteger(o, x, 1, 1024)), [2])
    .option('--iterations <n>', 'iterations per fit', (v) => parseInteger('--iterations', v, 1), 20)
    .option('--runs <n>', 'fits per contender (after one warm-up iteration; builds compared with --isa run interleaved, a fit per process and round)', (v) => parseInteger('--runs', v, 1), 5)
    .option('--cg-steps <n>', 'CG steps per row', (v) => parseInteger('--cg-steps', v, 1), 3)
    .option('--isa <list>', 'native builds to compare, each contender with ALSREC_ISA set: v2, v3, v4 (x86-64 levels), native (-march=native build); default the loader\'s pick', (v) => parseList('--isa', v, (o, x) => oneOf(o, x, ['v2', 'v3', 'v4', 'native'] as const)))
    .option('--json', 'print the whole report as JSON on stdout')
    .option('--phases', 'time the data path phase by phase (read, parse, map ids, ..., train, recommend) on each --data folder, in this process; uses the first --factors, --solver and --threads and --iterations')
    .addHelpText('after', '\nExamples:\n  $ alsrec bench --phases --data /tmp/s10m --factors 64 --solver cg --iterations 1\n  $ alsrec bench --data ml-100k --backend native,ts --solver cg,cholesky --runs 5\n  $ alsrec bench --data synth-1m --factors 64,128 --backend native --threads 1,2 --iterations 5\n  $ alsrec bench --data ml-100k,synth-1m --backend native --isa v3,v4,native --runs 5\n')
    .action(async (v: BenchValues) => (await import('../actions/bench.js')).runBenchCommand(v));
}

/** The child-process side of `alsrec bench`: measures one contender and prints its JSON result. */
export function benchContenderCommand(): Command {
  return new Command('bench-contender')
    .argument('<spec>', 'contender as JSON')
    .action(async (spec: string) => (await import('../actions/bench.js')).runBenchContender(spec));
}

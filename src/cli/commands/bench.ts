/**
 * `alsrec bench`: native vs pure-TS (and threads, factors, solvers) on MovieLens or synthetic
 * data, each contender in a fresh process. `alsrec bench-contender` (hidden) is that process.
 */
import { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { parseInteger, parseList } from '../parseOptionValue.js';
import { oneOf } from '../../als/options.js';
import { describeContender, runBench, type BenchPlan } from '../../bench/runBench.js';
import { runContender, type ContenderSpec } from '../../bench/runContender.js';
import { formatBenchTable } from '../../bench/formatBenchTable.js';
import { InvalidOptionError } from '../../errors.js';
import type { NativeVariant } from '../../als/native/addon.js';

interface BenchValues {
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
    .option('--runs <n>', 'fits per contender (after one warm-up iteration)', (v) => parseInteger('--runs', v, 1), 5)
    .option('--cg-steps <n>', 'CG steps per row', (v) => parseInteger('--cg-steps', v, 1), 3)
    .option('--isa <list>', 'native builds to compare, each contender with ALSREC_ISA set: v2, v3, v4 (x86-64 levels), native (-march=native build); default the loader\'s pick', (v) => parseList('--isa', v, (o, x) => oneOf(o, x, ['v2', 'v3', 'v4', 'native'] as const)))
    .option('--json', 'print the whole report as JSON on stdout')
    .addHelpText('after', '\nExamples:\n  $ alsrec bench --data ml-100k --backend native,ts --solver cg,cholesky --runs 5\n  $ alsrec bench --data synth-1m --factors 64,128 --backend native --threads 1,2 --iterations 5\n  $ alsrec bench --data ml-100k,synth-1m --backend native --isa v3,v4,native --runs 5\n')
    .action(async (v: BenchValues) => {
      const plan: BenchPlan = {
        data: v.data.split(',').map((d) => d.trim()).filter((d) => d !== ''),
        factors: v.factors, solvers: v.solver, backends: v.backend, threads: v.threads,
        iterations: v.iterations, runs: v.runs, cgSteps: v.cgSteps, isas: v.isa ?? [],
      };
      if (plan.data.length === 0) throw new InvalidOptionError('--data', 'Expected at least one dataset for --data');
      const bar = new SingleBar({ format: 'bench [{bar}] {value}/{total} {contender} | ETA {eta_formatted}', stream: process.stderr, etaBuffer: 4 }, Presets.shades_classic);
      let started = false;
      const report = await runBench(plan, (done, total, current) => {
        if (!started) {
          bar.start(total, 0, { contender: '' });
          started = true;
        }
        bar.update(done, { contender: current ? describeContender(current) : 'done' });
      });
      bar.stop();
      process.stdout.write(v.json ? `${JSON.stringify(report, null, 2)}\n` : formatBenchTable(report));
    });
}

/** The child-process side of `alsrec bench`: measures one contender and prints its JSON result. */
export function benchContenderCommand(): Command {
  return new Command('bench-contender')
    .argument('<spec>', 'contender as JSON')
    .action(async (spec: string) => {
      const result = await runContender(JSON.parse(spec) as ContenderSpec);
      process.stdout.write(`${JSON.stringify(result)}\n`);
    });
}

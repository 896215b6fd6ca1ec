/**
 * `alsrec synth`: generates a synthetic MovieLens-shaped dataset (see `src/synth`) and writes it
 * as an ml-latest folder that `alsrec train --data DIR` can read.
 */
import { existsSync } from 'node:fs';
import { Command } from 'commander';
import cliProgress from 'cli-progress';
import { AlsrecError, InvalidOptionError, invalidOption } from '../../errors.js';
import {
  generateSynthetic,
  SYNTH_PARAM_BOUNDS,
  SYNTH_PRESETS,
  validateSyntheticParams,
  type SynthPresetName,
  type SyntheticParams,
} from '../../synth/generateSynthetic.js';
import { writeSyntheticCsv } from '../../synth/writeSyntheticCsv.js';

/** Options as commander hands them over: every value is the raw string. */
interface SynthCliOptions {
  preset?: string;
  users?: string;
  items?: string;
  nnz?: string;
  seed?: string;
  out?: string;
  force?: boolean;
}

const DEFAULT_SEED = 1;

const EXAMPLE = `
Examples:
  $ alsrec synth --preset synth-1m                  # writes data/synth-1m
  $ alsrec synth --preset synth-10m --out /tmp/s10m
  $ alsrec synth --users 5000 --items 2000 --nnz 200000 --seed 3 --out data/small`;

/**
 * The `synth` command.
 *
 * @example
 * await synthCommand().parseAsync(['--preset', 'synth-1m'], { from: 'user' });
 */
export function synthCommand(): Command {
  return new Command('synth')
    .description('Generate a synthetic implicit-feedback dataset (log-normal activity, Zipf popularity) as MovieLens CSV')
    .option('--preset <name>', `a standard size: ${Object.keys(SYNTH_PRESETS).join(' | ')}`)
    .option('--users <count>', 'number of users (rows)')
    .option('--items <count>', 'number of items (columns), at least 20')
    .option('--nnz <count>', 'target number of ratings')
    .option('--seed <n>', `seed, an integer in [0, 2^32) (default ${DEFAULT_SEED})`)
    .option('--out <dir>', 'output folder (default data/<preset>, or data/synth-u<U>-i<I>-n<N>-s<S>)')
    .option('--force', 'replace the output folder if it exists', false)
    .addHelpText('after', EXAMPLE)
    .action(async (options: SynthCliOptions) => {
      await runSynth(options);
    });
}

async function runSynth(options: SynthCliOptions): Promise<void> {
  const { params, name } = resolveParams(options);
  const out = options.out ?? `data/${name}`;
  // Checked before generating so a mistake costs no time; writeSyntheticCsv checks again.
  if (existsSync(out) && options.force !== true) {
    throw new AlsrecError(`Output folder ${out} already exists; pass --force to replace it`);
  }
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: 'synth {phase} [{bar}] {percentage}% | {value}/{total}', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  try {
    const t0 = performance.now();
    bar.start(params.users, 0, { phase: 'users  ' });
    const m = generateSynthetic(params, { onProgress: (done) => bar.update(done) });
    const t1 = performance.now();
    bar.setTotal(m.indptr[m.rows]!);
    bar.update(0, { phase: 'writing' });
    await writeSyntheticCsv(m, out, {
      overwrite: options.force === true,
      onProgress: (written) => bar.update(written),
    });
    const t2 = performance.now();
    bar.stop();
    process.stdout.write(
      `${name}: ${m.rows} users, ${m.cols} items, ${m.indptr[m.rows]} ratings ` +
        `(target ${params.nnz}, seed ${params.seed}); generated in ${seconds(t1 - t0)} s, ` +
        `written to ${out} in ${seconds(t2 - t1)} s\n`,
    );
  } finally {
    bar.stop();
  }
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(2);
}

/** The parameters and a name for them, from either `--preset` or the four size options. */
function resolveParams(options: SynthCliOptions): { params: SyntheticParams; name: string } {
  const sizeFlags = (['users', 'items', 'nnz', 'seed'] as const).filter((k) => options[k] !== undefined);
  if (options.preset !== undefined) {
    if (!Object.hasOwn(SYNTH_PRESETS, options.preset)) {
      throw invalidOption('--preset', `one of ${Object.keys(SYNTH_PRESETS).join(', ')}`, options.preset);
    }
    if (sizeFlags.length > 0) {
      throw new InvalidOptionError(
        '--preset',
        `--preset cannot be combined with ${sizeFlags.map((k) => `--${k}`).join(', ')}; use one or the other`,
      );
    }
    return { params: SYNTH_PRESETS[options.preset as SynthPresetName], name: options.preset };
  }
  if (sizeFlags.length === 0) {
    throw new InvalidOptionError('--preset', 'Expected --preset NAME, or --users, --items and --nnz (with an optional --seed)');
  }
  const params = validateSyntheticParams(
    {
      users: parseIntegerOption('users', options.users),
      items: parseIntegerOption('items', options.items),
      nnz: parseIntegerOption('nnz', options.nnz),
      seed: options.seed === undefined ? DEFAULT_SEED : parseIntegerOption('seed', options.seed),
    },
    (param) => `--${param}`,
  );
  return { params, name: `synth-u${params.users}-i${params.items}-n${params.nnz}-s${params.seed}` };
}

/**
 * A command-line integer (decimal, or forms like `1e6`). A missing value or text that is not an
 * integer is reported here with the raw input; range errors are left to validateSyntheticParams.
 */
function parseIntegerOption(param: keyof SyntheticParams, raw: string | undefined): number {
  const value = raw === undefined || raw.trim() === '' ? Number.NaN : Number(raw);
  if (!Number.isInteger(value)) {
    throw invalidOption(`--${param}`, `an integer >= ${SYNTH_PARAM_BOUNDS[param][0]}`, raw);
  }
  return value;
}

/** What `alsrec synth` does (its options are declared in ../commands/synth.ts). */
import { existsSync } from 'node:fs';
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
import { DEFAULT_SEED, type SynthCliOptions } from '../commands/synth.js';

/**
 * Generates the dataset the options name and writes it, with a progress bar on stderr.
 * @example await runSynth({ preset: 'synth-1m', out: '/tmp/s1m' });
 */
export async function runSynth(options: SynthCliOptions): Promise<void> {
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
      stringIds: options.stringIds === true,
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

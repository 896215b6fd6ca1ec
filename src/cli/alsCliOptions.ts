/**
 * The ALS options shared by every command that trains, declared once.
 */
import { Command, Option } from 'commander';
import type { AlsOptions } from '../als/options.js';
import { parseInteger, parseNumber } from './parseOptionValue.js';
import { addDataOptions, type DataCliValues } from './dataOptions.js';

/** The values commander parses for the shared options: the library's options, plus --data. */
export type AlsCliValues = Pick<AlsOptions, 'factors' | 'regularization' | 'alpha' | 'recencyHalfLife' | 'convention' | 'regularizationExponent' | 'unobservedWeight' | 'iterations' | 'solver' | 'cgSteps' | 'seed' | 'backend' | 'threads'> & DataCliValues;

/** `--data` and the event-file flags (declared once, in ./dataOptions.ts). */
export function addDataOption(cmd: Command): Command {
  return addDataOptions(cmd);
}

export function addAlsOptions(cmd: Command): Command {
  return addDataOption(cmd)
    .option('--factors <k>', 'latent factors (default 50)', (v) => parseInteger('--factors', v, 1))
    .option('--regularization <lambda>', 'L2 regularization (default 0.01)', (v) => parseNumber('--regularization', v))
    .option('--alpha <a>', 'confidence scale, c = alpha * rating (default 1)', (v) => parseNumber('--alpha', v))
    .option('--recency-half-life <days>', "halve a rating's confidence per this many days before the user's latest (default 0: off)", (v) => parseNumber('--recency-half-life', v))
    .addOption(new Option('--convention <name>', "objective: implicit (c = alpha * rating) or spark (c = 1 + alpha * |rating|, lambda * ratings per row); docs/model.md").choices(['implicit', 'spark']))
    .option('--regularization-exponent <nu>', "frequency-scaled regularization, lambda * (n_u + a0 * items)^nu (default 0: off; 1 with --convention spark)", (v) => parseNumber('--regularization-exponent', v))
    .option('--unobserved-weight <a0>', 'weight of each unobserved pair (default 1)', (v) => parseNumber('--unobserved-weight', v))
    .option('--iterations <n>', 'ALS iterations (default 20)', (v) => parseInteger('--iterations', v, 0))
    .addOption(new Option('--solver <solver>', 'per-row solver (default cg)').choices(['cg', 'cholesky']))
    .option('--cg-steps <n>', 'conjugate-gradient steps per row (default 3)', (v) => parseInteger('--cg-steps', v, 1))
    .option('--seed <n>', 'seed of the initial factors (default 0)', (v) => parseInteger('--seed', v, 0))
    .addOption(new Option('--backend <backend>', 'native, ts, or auto (default: $ALSREC_BACKEND, else auto)').choices(['auto', 'native', 'ts']))
    .option('--threads <n>', 'native worker threads (default: all cores)', (v) => parseInteger('--threads', v, 1));
}

/** The library options the CLI values ask for (unset ones keep the library defaults). */
export function alsOptionsFrom(v: AlsCliValues): AlsOptions {
  const keys = ['factors', 'regularization', 'alpha', 'recencyHalfLife', 'convention', 'regularizationExponent', 'unobservedWeight', 'iterations', 'solver', 'cgSteps', 'seed', 'backend', 'threads'] as const;
  return Object.fromEntries(keys.filter((key) => v[key] !== undefined).map((key) => [key, v[key]])) as AlsOptions;
}

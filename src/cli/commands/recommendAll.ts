/**
 * `alsrec recommend-all --model m.alsrec --out recs.csv`: every user's top-N as CSV
 * (`userId,rank,movieId,score,title`), written atomically. The work is in
 * ../actions/recommendAll.ts, loaded only when the command runs.
 */
import { Command, Option } from 'commander';
import { addDataOption, type AlsCliValues } from '../alsCliOptions.js';
import { parseInteger } from '../parseOptionValue.js';

export interface RecommendAllValues extends Pick<AlsCliValues, 'data' | 'backend' | 'threads'> {
  model: string;
  out: string;
  n: number;
  progress: boolean;
}

export function recommendAllCommand(): Command {
  const cmd = new Command('recommend-all').description("write every user's top-N recommendations to a CSV file");
  addDataOption(cmd)
    .requiredOption('--model <file>', 'saved model (alsrec train --save)')
    .requiredOption('--out <file>', 'CSV to write: userId,rank,movieId,score,title')
    .option('-n, --n <n>', 'recommendations per user', (v) => parseInteger('-n', v, 1, 1000), 10)
    .option('--no-progress', 'no progress bar on stderr')
    .addOption(new Option('--backend <backend>', 'native, ts, or auto (default: $ALSREC_BACKEND, else auto)').choices(['auto', 'native', 'ts']))
    .option('--threads <n>', 'native worker threads (default: all cores)', (v) => parseInteger('--threads', v, 1))
    .addHelpText('after', '\nExample:\n  $ alsrec recommend-all --model model.alsrec --out recs.csv -n 10\n')
    .action(async (v: RecommendAllValues) => (await import('../actions/recommendAll.js')).runRecommendAll(v));
  return cmd;
}

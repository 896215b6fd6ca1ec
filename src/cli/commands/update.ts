/**
 * `alsrec update --model m.alsrec --ratings new.csv --save m2.alsrec`: folds new ratings into a
 * saved model without retraining. The work is in ../actions/update.ts, loaded only when the
 * command runs.
 */
import { Command, Option } from 'commander';
import { type AlsCliValues } from '../alsCliOptions.js';
import { parseInteger } from '../parseOptionValue.js';

export interface UpdateValues extends Pick<AlsCliValues, 'backend' | 'threads'> {
  model: string;
  ratings: string;
  save: string;
}

export function updateCommand(): Command {
  return new Command('update')
    .description('fold new ratings into a saved model (partial fit, no retraining) and save it')
    .requiredOption('--model <file>', 'saved model to start from')
    .requiredOption('--ratings <csv>', 'new ratings: userId,itemId,rating[,timestamp] with a header line (movieId for itemId also read)')
    .requiredOption('--save <file>', 'where to write the updated model (may be the same as --model)')
    .addOption(new Option('--backend <backend>', 'native, ts, or auto (default: $ALSREC_BACKEND, else auto)').choices(['auto', 'native', 'ts']))
    .option('--threads <n>', 'native worker threads (default: all cores)', (v) => parseInteger('--threads', v, 1))
    .addHelpText('after', '\nExample:\n  $ alsrec update --model model.alsrec --ratings new.csv --save model2.alsrec\n')
    .action(async (v: UpdateValues) => (await import('../actions/update.js')).runUpdate(v));
}

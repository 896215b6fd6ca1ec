/**
 * `alsrec recommend-all --model m.alsrec --out recs.csv`: every user's top-N as CSV
 * (`userId,rank,movieId,score,title`), through the batch path (`recommendMany`, native top-N
 * when available). The CSV is written atomically: it appears complete or not at all.
 */
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { Presets, SingleBar } from 'cli-progress';
import { addDataOption, type AlsCliValues } from '../alsCliOptions.js';
import { assertOutputPath, parseInteger } from '../parseOptionValue.js';
import { stderrLine } from '../trainFromCli.js';
import { count, seconds } from '../format.js';
import { AtomicFile } from '../../model/atomicWrite.js';
import { InvalidOptionError } from '../../errors.js';
import type { ALS } from '../../als/model.js';
import { loadModelFromCli } from './recommend.js';

interface RecommendAllValues extends Pick<AlsCliValues, 'data' | 'backend' | 'threads'> {
  model: string;
  out: string;
  n: number;
  progress: boolean;
}

/** Users per recommendMany call: large enough to keep native threads busy, small enough for a smooth bar. */
const BATCH_USERS = 2048;

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
    .action(async (v: RecommendAllValues) => {
      const started = performance.now();
      assertOutputPath('--out', v.out);
      if (resolve(v.out) === resolve(v.model)) throw new InvalidOptionError('--out', `--out must not be the model file (${v.model})`);
      const model = await loadModelFromCli(v);
      const rows = await writeRecommendationsCsv(model, v.out, v.n, v.progress);
      const users = model.state.users.size;
      stderrLine(`Wrote ${count(rows)} recommendations for ${count(users)} users to ${v.out} (${seconds((performance.now() - started) / 1000)})`);
    });
  return cmd;
}

/**
 * Writes every user's top-`n` to `path` atomically and returns the number of data rows.
 * @example await writeRecommendationsCsv(await ALS.load('m.alsrec'), 'recs.csv', 10, false);
 */
export async function writeRecommendationsCsv(model: ALS, path: string, n: number, progress: boolean): Promise<number> {
  const ids = model.state.users.ids;
  const bar = new SingleBar({ stream: process.stderr, format: 'recommend-all |{bar}| {value}/{total} users | ETA {eta_formatted}' }, Presets.shades_classic);
  if (progress) bar.start(ids.length, 0);
  const out = await AtomicFile.open(path);
  let rows = 0;
  try {
    await out.write('userId,rank,movieId,score,title\n');
    for (let start = 0; start < ids.length; start += BATCH_USERS) {
      const batch = ids.subarray(start, Math.min(ids.length, start + BATCH_USERS));
      const lists = await model.recommendMany(batch, { n });
      const lines: string[] = [];
      lists.forEach((list, r) => {
        list.forEach((rec, j) => {
          lines.push(`${batch[r]},${j + 1},${rec.itemId},${formatScore(rec.score)},${csvField(model.title(rec.itemId))}\n`);
        });
      });
      rows += lines.length;
      await out.write(lines.join(''));
      if (progress) bar.update(start + batch.length);
    }
    await out.commit();
  } catch (err) {
    await out.abort();
    throw err;
  } finally {
    if (progress) bar.stop();
  }
  return rows;
}

/** A float32 score with the 7 significant digits it holds (no float64 noise). */
function formatScore(score: number): string {
  return String(Number(score.toPrecision(7)));
}

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

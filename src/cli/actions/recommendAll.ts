/**
 * What `alsrec recommend-all` does (its options are declared in ../commands/recommendAll.ts):
 * every user's top-N through the batch path (`recommendMany`, native top-N when available). The
 * CSV is written atomically: it appears complete or not at all.
 */
import { resolve } from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import { stderrLine } from '../trainFromCli.js';
import { count, seconds } from '../format.js';
import { AtomicFile } from '../../persistence/atomicWrite.js';
import { InvalidOptionError } from '../../errors.js';
import type { ALS } from '../../als/model.js';
import { loadModelFromCli } from './recommend.js';
import { assertOutputPath } from '../parseOptionValue.js';
import type { RecommendAllValues } from '../commands/recommendAll.js';

/** Users per recommendMany call: large enough to keep native threads busy, small enough for a smooth bar. */
const BATCH_USERS = 2048;

/**
 * Runs the command with the values commander parsed.
 * @example await runRecommendAll({ model: 'm.alsrec', out: 'recs.csv', n: 10, progress: false });
 */
export async function runRecommendAll(v: RecommendAllValues): Promise<void> {
  const started = performance.now();
  assertOutputPath('--out', v.out);
  if (resolve(v.out) === resolve(v.model)) throw new InvalidOptionError('--out', `--out must not be the model file (${v.model})`);
  const model = await loadModelFromCli(v);
  const rows = await writeRecommendationsCsv(model, v.out, v.n, v.progress);
  const users = model.state.users.size;
  stderrLine(`Wrote ${count(rows)} recommendations for ${count(users)} users to ${v.out} (${seconds((performance.now() - started) / 1000)})`);
}

/**
 * Writes every user's top-`n` to `path` atomically and returns the number of data rows.
 * @example await writeRecommendationsCsv(await ALS.load('m.alsrec'), 'recs.csv', 10, false);
 */
export async function writeRecommendationsCsv(model: ALS, path: string, n: number, progress: boolean): Promise<number> {
  const users = model.state.users;
  const ids = { length: users.size };
  const bar = new SingleBar({ stream: process.stderr, format: 'recommend-all |{bar}| {value}/{total} users | ETA {eta_formatted}' }, Presets.shades_classic);
  if (progress) bar.start(ids.length, 0);
  const out = await AtomicFile.open(path);
  let rows = 0;
  try {
    await out.write('userId,rank,itemId,score,title\n');
    for (let start = 0; start < ids.length; start += BATCH_USERS) {
      const batch = Array.from({ length: Math.min(ids.length, start + BATCH_USERS) - start }, (_, j) => users.id(start + j));
      const lists = await model.recommendMany(batch, { n });
      const lines: string[] = [];
      lists.forEach((list, r) => {
        list.forEach((rec, j) => {
          lines.push(`${csvField(String(batch[r]))},${j + 1},${csvField(String(rec.itemId))},${formatScore(rec.score)},${csvField(model.title(rec.itemId))}\n`);
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

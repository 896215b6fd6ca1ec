/**
 * What `alsrec export-interactions` does (its options are declared in
 * ../commands/exportInteractions.ts): loads the dataset and writes its ratings as Parquet.
 */
import { resolve } from 'node:path';
import { loadDataset, stderrLine } from '../trainFromCli.js';
import { InvalidOptionError } from '../../errors.js';
import { writeFileAtomic } from '../../persistence/atomicWrite.js';
import { encodeInteractionsParquet } from '../../spark/interactionsParquet.js';
import { count, seconds } from '../format.js';
import { packageVersion } from '../packageVersion.js';
import type { ExportInteractionsValues } from '../commands/exportInteractions.js';

/** `ratings.parquet` -> `ratings.ids.json`: where an export's string ids are listed by code. */
export function idMappingPath(out: string): string {
  return `${out.slice(0, -'.parquet'.length)}.ids.json`;
}

/**
 * Runs the command with the values commander parsed.
 * @example await runExportInteractions({ data: 'data/ml-100k', out: 'ratings.parquet' });
 */
export async function runExportInteractions(v: ExportInteractionsValues): Promise<void> {
  const started = performance.now();
  if (!v.out.endsWith('.parquet')) throw new InvalidOptionError('--out', `--out must name a .parquet file but received "${v.out}"`);
  const { dataset } = await loadDataset(v, stderrLine);
  if (resolve(v.out).startsWith(`${resolve(dataset.dir)}/`)) throw new InvalidOptionError('--out', `--out must not be inside the dataset folder ${dataset.dir}`);
  // MovieLens ids are parsed as 32-bit integers on load (a non-integer id is refused there,
  // naming its file and line), which is what Spark's ALS needs.
  const bytes = encodeInteractionsParquet(dataset.ratings, `alsrec version ${packageVersion()} (hyparquet-writer)`);
  // Spark's ALS takes int32 ids only: an event file's string ids are written as their integer
  // codes, and the codes' meaning goes beside the Parquet file (entry j of a list is code j).
  const tables = dataset.idTables;
  const mappingFile = tables?.users !== undefined || tables?.items !== undefined ? idMappingPath(v.out) : undefined;
  if (mappingFile !== undefined) {
    const mapping = { ...(tables?.users === undefined ? {} : { user: tables.users }), ...(tables?.items === undefined ? {} : { item: tables.items }) };
    await writeFileAtomic(mappingFile, [Buffer.from(`${JSON.stringify(mapping)}\n`)]);
  }
  await writeFileAtomic(v.out, [bytes]);
  stderrLine(`Wrote ${count(dataset.ratings.users.length)} ratings to ${v.out} (${count(bytes.byteLength)} bytes, ${seconds((performance.now() - started) / 1000)})`);
  if (mappingFile !== undefined) stderrLine(`String ids are written as integer codes; their ids are in ${mappingFile} (entry j of "user"/"item" is code j)`);
}

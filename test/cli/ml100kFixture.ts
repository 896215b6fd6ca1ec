/** Writes a small ML-100K-format folder (u.data, u.item) for in-process CLI tests. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RatingColumns } from '../../src/data/dataset.js';

export async function writeMl100k(r: RatingColumns, prefix = 'alsrec-cli-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const lines = Array.from(r.users, (u, j) => `${u}\t${r.items[j]}\t${r.ratings[j]}\t${r.timestamps[j]}`);
  await writeFile(join(dir, 'u.data'), `${lines.join('\n')}\n`);
  const movies = [...new Set(r.items)].sort((a, b) => a - b);
  const flags = Array.from({ length: 19 }, () => '0').join('|');
  await writeFile(join(dir, 'u.item'), movies.map((m) => `${m}|Movie ${m} (1995)|01-Jan-1995||http://example.org/${m}|${flags}`).join('\n') + '\n');
  return dir;
}

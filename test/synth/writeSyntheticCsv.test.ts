import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../src/synth/generateSynthetic.js';
import { SYNTHETIC_TIMESTAMP_BASE, writeSyntheticCsv } from '../../src/synth/writeSyntheticCsv.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'alsrec-synth-csv-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function parseCsv(text: string): string[][] {
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n').map((line) => line.split(','));
}

describe('writeSyntheticCsv', () => {
  it('should throw when the folder exists and overwrite is not set, leaving it untouched', async () => {
    const out = join(root, 'taken');
    await mkdir(out);
    await writeFile(join(out, 'keep.txt'), 'x');
    const m = generateSynthetic({ users: 3, items: 20, nnz: 10, seed: 1 });
    await expect(writeSyntheticCsv(m, out)).rejects.toThrow(`Output folder ${out} already exists; remove it or allow overwriting`);
    expect(await readdir(out)).toEqual(['keep.txt']);
    expect(await readdir(root)).toEqual(['taken']);
  });

  it('should throw for a rating that is not an integer >= 0, before creating anything', async () => {
    const m = generateSynthetic({ users: 3, items: 20, nnz: 10, seed: 1 });
    const data = m.data.slice();
    data[4] = 2.5;
    await expect(writeSyntheticCsv({ ...m, data }, join(root, 'x'))).rejects.toThrow(
      'Expected an integer >= 0 for rating at entry 4 but received 2.5 of type number',
    );
    expect(await readdir(root)).toEqual([]);
  });

  it('writes ratings.csv and movies.csv that read back to the same matrix', async () => {
    const m = generateSynthetic({ users: 200, items: 300, nnz: 5000, seed: 5 });
    const out = join(root, 'nested', 'small');
    const progress: number[] = [];
    await writeSyntheticCsv(m, out, { onProgress: (written) => progress.push(written) });
    expect((await readdir(out)).sort()).toEqual(['movies.csv', 'ratings.csv']);
    expect(await readdir(join(root, 'nested'))).toEqual(['small']); // no temporary folder left

    const ratings = parseCsv(await readFile(join(out, 'ratings.csv'), 'utf8'));
    expect(ratings[0]).toEqual(['userId', 'movieId', 'rating', 'timestamp']);
    const nnz = m.indptr[m.rows]!;
    expect(ratings.length - 1).toBe(nnz);
    expect(progress.at(-1)).toBe(nnz);
    let p = 0;
    for (let u = 0; u < m.rows; u++) {
      for (let q = m.indptr[u]!; q < m.indptr[u + 1]!; q++, p++) {
        expect(ratings[p + 1]).toEqual([String(u + 1), String(m.indices[q]! + 1), String(m.data[q]!), String(SYNTHETIC_TIMESTAMP_BASE + p)]);
      }
    }

    const movies = parseCsv(await readFile(join(out, 'movies.csv'), 'utf8'));
    expect(movies[0]).toEqual(['movieId', 'title', 'genres']);
    expect(movies.length - 1).toBe(300);
    expect(movies[1]).toEqual(['1', 'Synthetic item 1 (2000)', '(no genres listed)']);
    expect(movies[300]).toEqual(['300', 'Synthetic item 300 (2000)', '(no genres listed)']);
  });

  it('replaces an existing folder when overwrite is set', async () => {
    const out = join(root, 'again');
    await writeSyntheticCsv(generateSynthetic({ users: 5, items: 40, nnz: 50, seed: 1 }), out);
    await writeFile(join(out, 'stale.txt'), 'x');
    const m = generateSynthetic({ users: 2, items: 20, nnz: 10, seed: 2 });
    await writeSyntheticCsv(m, out, { overwrite: true });
    expect((await readdir(out)).sort()).toEqual(['movies.csv', 'ratings.csv']);
    expect(await readdir(root)).toEqual(['again']);
    const ratings = parseCsv(await readFile(join(out, 'ratings.csv'), 'utf8'));
    expect(ratings.length - 1).toBe(m.indptr[m.rows]);
  });

  it('streams a file larger than one chunk', async () => {
    const m = generateSynthetic({ users: 2000, items: 1000, nnz: 150_000, seed: 9 });
    const out = join(root, 'big');
    await writeSyntheticCsv(m, out);
    const text = await readFile(join(out, 'ratings.csv'), 'utf8');
    const lines = text.split('\n');
    expect(lines.length - 2).toBe(m.indptr[m.rows]); // header and the empty string after the last '\n'
    const last = m.indptr[m.rows]! - 1;
    expect(lines.at(-2)).toBe(`${m.rows},${m.indices[last]! + 1},${m.data[last]},${SYNTHETIC_TIMESTAMP_BASE + last}`);
  });
});

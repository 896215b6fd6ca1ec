import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { ALS } from '../../src/als/model.js';
import { loadMovieLens } from '../../src/data/loadMovieLens.js';
import { readInteractionsParquet } from '../../src/spark/interactionsParquet.js';
import { runCaptured } from '../helpers/runCaptured.js';
import { savedFixtureModel } from '../helpers/fixtureMl100k.js';

vi.stubEnv('ALSREC_BACKEND', 'ts');

describe('alsrec export-interactions, export-spark and import-spark', () => {
  let work: string;
  let dataDir: string;
  let modelPath: string;
  let original: ALS;

  beforeAll(async () => {
    ({ dataDir, modelPath, model: original } = await savedFixtureModel());
    work = mkdtempSync(join(tmpdir(), 'alsrec-spark-cli-'));
  });

  it('export-interactions writes user, item, rating, timestamp that DuckDB and hyparquet read back exactly', async () => {
    const out = join(work, 'ratings.parquet');
    const run = await runCaptured('export-interactions', '--data', dataDir, '--out', out);
    expect(run.code).toBe(0);
    const dataset = await loadMovieLens(dataDir);
    const back = await readInteractionsParquet(out);
    expect([...back.users]).toEqual([...dataset.ratings.users]);
    expect([...back.items]).toEqual([...dataset.ratings.items]);
    expect([...back.ratings]).toEqual([...dataset.ratings.ratings]);
    expect([...back.timestamps]).toEqual([...dataset.ratings.timestamps]);
    const db = await DuckDBInstance.create(':memory:');
    const connection = await db.connect();
    const columns = await connection.runAndReadAll(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('${out}'))`);
    expect(columns.getRowObjectsJS()).toEqual([
      { column_name: 'user', column_type: 'INTEGER' },
      { column_name: 'item', column_type: 'INTEGER' },
      { column_name: 'rating', column_type: 'FLOAT' },
      { column_name: 'timestamp', column_type: 'BIGINT' },
    ]);
    const sums = await connection.runAndReadAll(`SELECT count(*)::INTEGER AS n, sum(rating)::DOUBLE AS total FROM read_parquet('${out}')`);
    expect(sums.getRowObjectsJS()).toEqual([{ n: dataset.ratings.users.length, total: dataset.ratings.ratings.reduce((s, r) => s + r, 0) }]);
    connection.closeSync();
    db.closeSync();
  });

  it('export-interactions refuses ids that are not integers, naming the file and line, and writes nothing', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'alsrec-spark-badids-'));
    writeFileSync(join(bad, 'u.data'), '1\t2\t5\t881250949\nu7\t3\t4\t881250950\n');
    writeFileSync(join(bad, 'u.item'), `2|A (1995)|01-Jan-1995||x|${Array(19).fill(0).join('|')}\n`);
    const out = join(work, 'bad.parquet');
    const run = await runCaptured('export-interactions', '--data', bad, '--out', out);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`alsrec: ${join(bad, 'u.data')}:2: user id "u7" is not a number: "u7\t3\t4\t881250950"\n`);
    expect(existsSync(out)).toBe(false);
  });

  it('export-interactions refuses an --out that is not .parquet (exit 2)', async () => {
    const run = await runCaptured('export-interactions', '--data', dataDir, '--out', join(work, 'ratings.csv'));
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`alsrec: --out must name a .parquet file but received "${join(work, 'ratings.csv')}"\n`);
  });

  it('export-spark then import-spark with titles and interactions answers exactly as the original model', async () => {
    const sparkDir = join(work, 'spark-model');
    expect((await runCaptured('export-spark', '--model', modelPath, '--out', sparkDir, '--no-progress')).code).toBe(0);
    const again = await runCaptured('export-spark', '--model', modelPath, '--out', sparkDir, '--no-progress');
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`alsrec: Cannot write ${sparkDir}: it already exists (Spark's save refuses too); remove it or pass --overwrite\n`);

    const titles = join(work, 'movies.csv');
    const rows = [...original.state.movies.values()].map((m) => `${m.id},"${m.title.replace(/"/g, '""')}",${m.genres.join('|')}`);
    writeFileSync(titles, `movieId,title,genres\n${rows.join('\n')}\n`);
    const imported = join(work, 'imported.alsrec');
    const run = await runCaptured('import-spark', sparkDir, '--out', imported, '--items', titles, '--interactions', join(dataDir, 'u.data'), '--json');
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({ rank: original.options.factors, users: original.state.users.size, items: original.state.items.size, interactions: original.state.liked.indptr[original.state.liked.rows], titles: original.state.movies.size });

    const model = await ALS.load(imported);
    for (const user of original.state.users.ids as Int32Array) expect(model.recommend(user, { n: 5 })).toEqual(original.recommend(user, { n: 5 }));
    expect(model.similarItems(1, 3)).toEqual(original.similarItems(1, 3));
    const rec = await runCaptured('recommend', '--model', imported, '--user', '1', '-n', '3', '--json');
    const expected = original.recommend(1, { n: 3 }).map((r) => ({ itemId: r.itemId, title: original.title(r.itemId), score: r.score }));
    expect(JSON.parse(rec.stdout)).toEqual(expected);
  });

  it('import-spark skips (and warns about) interactions of ids the model lacks', async () => {
    const sparkDir = join(work, 'spark-model');
    const extra = join(work, 'extra.data');
    writeFileSync(extra, `${readFileSync(join(dataDir, 'u.data'), 'utf8')}99999\t1\t5\t881250949\n`);
    const out = join(work, 'extra.alsrec');
    const run = await runCaptured('import-spark', sparkDir, '--out', out, '--interactions', extra);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('warning: Skipped 1 of ');
    expect(existsSync(out)).toBe(true);
  });
});

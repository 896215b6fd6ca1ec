import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { ALS } from '../../src/als/model.js';
import { csvField } from '../../src/cli/actions/recommendAll.js';
import { runCaptured } from '../helpers/runCaptured.js';
import { savedFixtureModel } from '../helpers/fixtureMl100k.js';

vi.stubEnv('ALSREC_BACKEND', 'ts');

/** Splits one CSV line (RFC 4180 quoting) into fields. */
function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let j = 0;
  while (j <= line.length) {
    if (line[j] === '"') {
      let text = '';
      j++;
      while (j < line.length) {
        if (line[j] === '"' && line[j + 1] === '"') {
          text += '"';
          j += 2;
        } else if (line[j] === '"') {
          j++;
          break;
        } else text += line[j++];
      }
      fields.push(text);
      j++;
    } else {
      const end = line.indexOf(',', j) < 0 ? line.length : line.indexOf(',', j);
      fields.push(line.slice(j, end));
      j = end + 1;
    }
  }
  return fields;
}

describe('alsrec recommend-all', () => {
  let modelPath: string;
  let model: ALS;
  beforeAll(async () => {
    ({ modelPath, model } = await savedFixtureModel());
  });

  it('should quote CSV fields with commas, quotes and line breaks', () => {
    expect(csvField('Alien (1979)')).toBe('Alien (1979)');
    expect(csvField('Lion King, The (1994)')).toBe('"Lion King, The (1994)"');
    expect(csvField('Beauty and the "Beast" (1991)')).toBe('"Beauty and the ""Beast"" (1991)"');
    expect(csvField('a\nb')).toBe('"a\nb"');
  });

  it('should leave an existing output untouched and write nothing when the model cannot be read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'alsrec-all-'));
    const out = join(dir, 'recs.csv');
    writeFileSync(out, 'old contents\n');
    const bad = join(dir, 'bad.alsrec');
    writeFileSync(bad, 'not a model');
    const run = await runCaptured('recommend-all', '--model', bad, '--out', out);
    expect(run).toEqual({ code: 1, stdout: '', stderr: `alsrec: ${bad}: not an alsrec model file (wrong magic bytes)\n` });
    expect(readFileSync(out, 'utf8')).toBe('old contents\n');
    expect(readdirSync(dir).sort()).toEqual(['bad.alsrec', 'recs.csv']);
  });

  it('should exit 2 without --out or with --out naming the model', async () => {
    expect((await runCaptured('recommend-all', '--model', modelPath)).code).toBe(2);
    expect(await runCaptured('recommend-all', '--model', modelPath, '--out', modelPath)).toEqual({
      code: 2, stdout: '', stderr: `alsrec: --out must not be the model file (${modelPath})\n`,
    });
  });

  it('should exit 2 naming --out, before loading the model, when it is empty, a folder or in a missing folder', async () => {
    expect(await runCaptured('recommend-all', '--model', modelPath, '--out', '/nonexistent/recs.csv', '--no-progress')).toEqual({
      code: 2, stdout: '', stderr: 'alsrec: Expected a file in an existing folder for --out but received "/nonexistent/recs.csv" (no folder /nonexistent)\n',
    });
    expect(await runCaptured('recommend-all', '--model', modelPath, '--out', '', '--no-progress')).toEqual({
      code: 2, stdout: '', stderr: 'alsrec: Expected a file path for --out but received "" of type string\n',
    });
    const dir = mkdtempSync(join(tmpdir(), 'alsrec-all-'));
    expect((await runCaptured('recommend-all', '--model', '/nonexistent/m.alsrec', '--out', dir, '--no-progress')).stderr).toBe(
      `alsrec: Expected a file path for --out but received the folder "${dir}"\n`);
  });

  it("should write every user's top-N, matching recommend, with titles quoted", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'alsrec-all-'));
    const out = join(dir, 'recs.csv');
    writeFileSync(out, 'old contents\n');
    const run = await runCaptured('recommend-all', '--model', modelPath, '--out', out, '-n', '3');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(new RegExp(`^Wrote 120 recommendations for 40 users to ${out.replace(/[.]/g, '\\.')} \\([\\d.]+ s\\)\\n$`));
    expect(readdirSync(dir)).toEqual(['recs.csv']);

    const lines = readFileSync(out, 'utf8').split('\n');
    expect(lines[0]).toBe('userId,rank,itemId,score,title');
    expect(lines.at(-1)).toBe('');
    const rows = lines.slice(1, -1).map(parseCsvLine);
    expect(rows).toHaveLength(120);
    for (const userId of [1, 20, 101, 120]) {
      const mine = rows.filter((r) => r[0] === String(userId));
      const expected = model.recommend(userId, { n: 3 });
      expect(mine.map((r) => Number(r[2]))).toEqual(expected.map((r) => r.itemId));
      expect(mine.map((r) => Number(r[1]))).toEqual([1, 2, 3]);
      mine.forEach((r, j) => {
        expect(Math.abs(Number(r[3]) - expected[j]!.score)).toBeLessThan(1e-6);
        expect(r[4]).toBe(model.title(Number(r[2])));
      });
    }
    expect(rows.some((r) => r[4]!.includes(','))).toBe(true);
  });
});

import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { ALS } from '../../src/als/model.js';
import { runCaptured } from '../helpers/runCaptured.js';
import { savedFixtureModel } from '../helpers/fixtureMl100k.js';

vi.stubEnv('ALSREC_BACKEND', 'ts');

describe('alsrec explain --model', () => {
  let modelPath: string;
  let model: ALS;
  beforeAll(async () => {
    ({ modelPath, model } = await savedFixtureModel());
  });

  it('should exit 2 without exactly one of --user, --ratings and --ratings-file, or without --item', async () => {
    expect(await runCaptured('explain', '--model', modelPath, '--item', '1')).toEqual({
      code: 2, stdout: '', stderr: 'alsrec: Give exactly one of --user <id>, --ratings <pairs> or --ratings-file <path>\n',
    });
    const noItem = await runCaptured('explain', '--model', modelPath, '--user', '1');
    expect(noItem.code).toBe(2);
    expect(noItem.stderr).toContain("required option '--item <id>' not specified");
    expect((await runCaptured('explain', '--model', modelPath, '--user', '1', '--item', '1', '-n', '0')).code).toBe(2);
  });

  it('should exit 1 naming an unknown user, item or rated item', async () => {
    expect(await runCaptured('explain', '--model', modelPath, '--user', '999', '--item', '1')).toEqual({ code: 1, stdout: '', stderr: 'alsrec: Unknown user id 999\n' });
    expect(await runCaptured('explain', '--model', modelPath, '--user', '1', '--item', '555')).toEqual({ code: 1, stdout: '', stderr: 'alsrec: Unknown item id 555\n' });
    expect(await runCaptured('explain', '--model', modelPath, '--ratings', '1:5,555:4', '--item', '2')).toEqual({ code: 1, stdout: '', stderr: 'alsrec: Unknown item id 555 (--ratings token \"555:4\")\n' });
  });

  it('should print the library\'s explanation as JSON and as text', async () => {
    const top = model.recommend(1, { n: 1 })[0]!.itemId;
    const run = await runCaptured('explain', '--model', modelPath, '--user', '1', '--item', String(top), '-n', '2', '--json');
    expect(run.code).toBe(0);
    const why = model.explain(1, top, { n: 2 });
    const printed = JSON.parse(run.stdout) as { itemId: number; title: string; score: number; modelScore: number; contributingItems: number; contributions: Array<{ itemId: number; title: string; share: number }> };
    expect(printed).toEqual({
      itemId: top,
      title: model.title(top),
      score: why.score,
      modelScore: why.modelScore,
      contributingItems: why.contributingItems,
      contributions: why.contributions.map((c) => ({ ...c, title: model.title(c.itemId) })),
    });
    // User 1 rated 5 space films (fixtureDataset): the reasons are among them.
    expect(printed.contributions.every((c) => c.itemId >= 1 && c.itemId <= 8)).toBe(true);
    const text = await runCaptured('explain', '--model', modelPath, '--user', '1', '--item', String(top), '-n', '2');
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`Why user 1 gets ${model.title(top)} [${top}]: score ${why.score.toFixed(4)} (the model ranks by ${why.modelScore.toFixed(4)})`);
    expect(lines[1]).toBe('Because they rated:');
    expect(lines[2]).toMatch(new RegExp(`^ {2} 1\\. .* \\[${why.contributions[0]!.itemId}\\] {2}[+-]\\d+\\.\\d{4} {2}-?\\d+\\.\\d%$`));
    expect(lines[4]).toBe(`  and 3 more rated items: ${(why.score - why.contributions[0]!.contribution - why.contributions[1]!.contribution >= 0 ? '+' : '')}${(why.score - why.contributions[0]!.contribution - why.contributions[1]!.contribution).toFixed(4)}`);
  });

  it('should explain for a new user from --ratings with the fold-in score', async () => {
    const run = await runCaptured('explain', '--model', modelPath, '--ratings', '11:5,12:4', '--item', '13', '--json');
    expect(run.code).toBe(0);
    const printed = JSON.parse(run.stdout) as { score: number; modelScore: number; contributions: Array<{ itemId: number }> };
    const [rec] = model.recommendForNewUser([{ movieId: 11, rating: 5 }, { movieId: 12, rating: 4 }], { items: [13] });
    expect(printed.modelScore).toBe(rec!.score);
    expect(Math.abs(printed.score - rec!.score)).toBeLessThan(1e-4 * Math.abs(rec!.score));
    expect(printed.contributions.map((c) => c.itemId).sort()).toEqual([11, 12]);
  });
});

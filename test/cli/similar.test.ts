import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { ALS } from '../../src/als/model.js';
import { runCaptured } from '../helpers/runCaptured.js';
import { savedFixtureModel } from '../helpers/fixtureMl100k.js';

vi.stubEnv('ALSREC_BACKEND', 'ts');

describe('alsrec similar --model', () => {
  let modelPath: string;
  let model: ALS;
  beforeAll(async () => {
    ({ modelPath, model } = await savedFixtureModel());
  });

  it('should list the candidates of an ambiguous title and guess nothing', async () => {
    const run = await runCaptured('similar', '--model', modelPath, '--movie', 'star wars');
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: 'alsrec: "star wars" matches 2 items: 1: Star Wars (1977); 4: Star Wars: Episode I (1999). Give the full title or the item id.\n',
    });
  });

  it('should exit 1 for an unknown movie id or a title that matches nothing', async () => {
    expect(await runCaptured('similar', '--model', modelPath, '--movie-id', '555')).toEqual({ code: 1, stdout: '', stderr: 'alsrec: Unknown item id 555\n' });
    expect(await runCaptured('similar', '--model', modelPath, '--movie', 'casablanca')).toEqual({ code: 1, stdout: '', stderr: 'alsrec: No item title matches "casablanca"\n' });
  });

  it('should exit 2 without exactly one of --movie and --movie-id', async () => {
    expect((await runCaptured('similar', '--model', modelPath)).stderr).toBe('alsrec: Give exactly one of --item <title> or --item-id <id>\n');
    expect((await runCaptured('similar', '--model', modelPath, '--item', 'x', '--movie-id', '1')).stderr).toBe('alsrec: Give exactly one of --item <title> or --item-id <id>\n');
  });

  it('should answer by case-insensitive full title and by id, from the saved model', async () => {
    const byTitle = await runCaptured('similar', '--model', modelPath, '--movie', 'STAR WARS (1977)', '-n', '4', '--json');
    const byId = await runCaptured('similar', '--model', modelPath, '--movie-id', '1', '-n', '4', '--json');
    expect(byTitle.code).toBe(0);
    expect(byTitle.stdout).toBe(byId.stdout);
    const rows = JSON.parse(byId.stdout) as Array<{ itemId: number; title: string }>;
    expect(rows.map((r) => r.itemId)).toEqual(model.similarItems(1, 4).map((r) => r.itemId));
    expect(rows.every((r) => r.itemId >= 2 && r.itemId <= 8)).toBe(true);
    // --item and --item-id are the new names of --movie and --movie-id.
    expect((await runCaptured('similar', '--model', modelPath, '--item', 'star wars (1977)', '-n', '4', '--json')).stdout).toBe(byId.stdout);
    expect((await runCaptured('similar', '--model', modelPath, '--item-id', '1', '-n', '4', '--json')).stdout).toBe(byId.stdout);
    const text = await runCaptured('similar', '--model', modelPath, '--movie-id', '1', '-n', '2');
    expect(text.stdout.split('\n')[0]).toBe('Items similar to Star Wars (1977):');
  });
});

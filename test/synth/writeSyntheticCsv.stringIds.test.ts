/** `synth --string-ids`: the same matrix as the numeric folder, ids written as u<N>/i<N>, read back by the generic loader. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadInteractions } from '../../src/data/events/loadInteractions.js';
import { generateSynthetic } from '../../src/synth/generateSynthetic.js';
import { writeSyntheticCsv } from '../../src/synth/writeSyntheticCsv.js';

const dir = mkdtempSync(join(tmpdir(), 'alsrec-synth-ids-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeSyntheticCsv with stringIds', () => {
  it('writes the numeric folder\'s events with u/i-prefixed ids, titles keyed alike', async () => {
    const m = generateSynthetic({ users: 40, items: 25, nnz: 400, seed: 5 });
    await writeSyntheticCsv(m, join(dir, 'n'));
    await writeSyntheticCsv(m, join(dir, 's'), { stringIds: true });
    const options = { userColumn: 'userId', itemColumn: 'movieId', weightColumn: 'rating', timeColumn: 'timestamp' };
    const numeric = await loadInteractions(join(dir, 'n', 'ratings.csv'), options);
    const strings = await loadInteractions(join(dir, 's', 'ratings.csv'), { ...options, items: { path: join(dir, 's', 'movies.csv'), idColumn: 'movieId', titleColumn: 'title' } });
    const n = numeric.events;
    const s = strings.events;
    const [nu, ni, su, si] = [n.users, n.items, s.users, s.items];
    if (nu.kind !== 'int' || ni.kind !== 'int' || su.kind !== 'string' || si.kind !== 'string') throw new Error('unexpected id kinds');
    expect([...su.codes].map((c) => su.table[c])).toEqual([...nu.values].map((u) => `u${u}`));
    expect([...si.codes].map((c) => si.table[c])).toEqual([...ni.values].map((i) => `i${i}`));
    expect(s.weights).toEqual(n.weights);
    expect(s.times).toEqual(n.times);
    expect(strings.titles.get('i1')).toBe('Synthetic item 1 (2000)');
  });
});

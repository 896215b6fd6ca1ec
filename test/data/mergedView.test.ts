import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/data/dataset.js';
import { formatMergedView, mergedView } from '../../src/data/mergedView.js';

const dataset: Dataset = {
  dir: '/fixture',
  format: 'ml-csv',
  ratings: {
    users: Int32Array.from([3, 12, 3]),
    items: Int32Array.from([5, 6, 7]),
    ratings: Float32Array.from([4.5, 1, 3]),
    timestamps: Float64Array.from([1000, 2000, 3000]),
  },
  movies: new Map([
    [5, { id: 5, title: 'Short (2000)', year: 2000, genres: [] }],
    [6, { id: 6, title: 'A Longer Title, The (1999)', year: 1999, genres: [] }],
  ]),
  duplicatesMerged: 0,
  warnings: [],
};

describe('mergedView', () => {
  it('joins the first rows with their titles, clamping the limit', () => {
    expect(mergedView(dataset, 2)).toEqual([
      { userId: 3, movieId: 5, title: 'Short (2000)', rating: 4.5, timestamp: 1000 },
      { userId: 12, movieId: 6, title: 'A Longer Title, The (1999)', rating: 1, timestamp: 2000 },
    ]);
    expect(mergedView(dataset, 99)).toHaveLength(3);
    expect(mergedView(dataset, -1)).toEqual([]);
    expect(mergedView(dataset, 3)[2]!.title).toBe('unknown movie 7');
  });

  it('formats an aligned table', () => {
    expect(formatMergedView(mergedView(dataset, 3))).toBe(
      [
        'user_id | movie_id | title                      | rating | timestamp',
        '--------+----------+----------------------------+--------+----------',
        '      3 |        5 | Short (2000)               |    4.5 |      1000',
        '     12 |        6 | A Longer Title, The (1999) |      1 |      2000',
        '      3 |        7 | unknown movie 7            |      3 |      3000',
      ].join('\n'),
    );
  });
});

/**
 * The display view of a dataset: one row per rating joined with its movie title
 * (user_id | movie_id | title | rating | timestamp), as the original prototype printed it.
 */
import type { Dataset } from './dataset.js';

export interface MergedRow {
  readonly userId: number;
  readonly movieId: number;
  readonly title: string;
  readonly rating: number;
  readonly timestamp: number;
}

/**
 * The first `limit` ratings (in dataset order) joined with their titles.
 *
 * @example
 * ```ts
 * mergedView(data, 3)[0]; // { userId: 196, movieId: 242, title: 'Kolya (1996)', rating: 3, timestamp: 881250949 }
 * ```
 */
export function mergedView(dataset: Dataset, limit: number): MergedRow[] {
  const { users, items, ratings, timestamps } = dataset.headRatings?.(limit) ?? dataset.ratings;
  const n = Math.max(0, Math.min(Math.floor(limit), users.length));
  const rows: MergedRow[] = [];
  for (let row = 0; row < n; row++) {
    const movieId = items[row];
    rows.push({
      userId: users[row],
      movieId,
      title: dataset.movies.get(movieId)?.title ?? `unknown movie ${movieId}`,
      rating: ratings[row],
      timestamp: timestamps[row],
    });
  }
  return rows;
}

const COLUMNS = ['user_id', 'movie_id', 'title', 'rating', 'timestamp'] as const;

/**
 * Rows as an aligned text table with a header and a rule; numbers right-aligned.
 *
 * @example
 * ```ts
 * console.log(formatMergedView(mergedView(data, 5)));
 * // user_id | movie_id | title        | rating | timestamp
 * // --------+----------+--------------+--------+----------
 * //     196 |      242 | Kolya (1996) |      3 | 881250949
 * ```
 */
export function formatMergedView(rows: readonly MergedRow[]): string {
  const cells = rows.map((row) => [
    String(row.userId),
    String(row.movieId),
    row.title,
    String(row.rating),
    String(row.timestamp),
  ]);
  const widths = COLUMNS.map((name, c) => Math.max(name.length, ...cells.map((line) => line[c]!.length)));
  const pad = (text: string, c: number) => (c === 2 ? text.padEnd(widths[c]!) : text.padStart(widths[c]!));
  const lines = [
    COLUMNS.map((name, c) => name.padEnd(widths[c]!)).join(' | ').trimEnd(),
    widths.map((width) => '-'.repeat(width)).join('-+-'),
    ...cells.map((line) => line.map(pad).join(' | ').trimEnd()),
  ];
  return lines.join('\n');
}

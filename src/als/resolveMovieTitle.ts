/**
 * Finds a movie by title, case-insensitively, without guessing: an exact title match wins; else a
 * unique substring match; several candidates are listed with their ids.
 */
import type { Movie } from '../data/dataset.js';
import { AlsrecError } from '../errors.js';

/** A title query that matches several movies; `candidates` lists them. */
export class AmbiguousTitleError extends AlsrecError {
  readonly candidates: readonly Movie[];
  constructor(query: string, candidates: readonly Movie[]) {
    const shown = candidates.slice(0, 20).map((m) => `${m.id}: ${m.title}`).join('; ');
    const more = candidates.length > 20 ? `; and ${candidates.length - 20} more` : '';
    super(`"${query}" matches ${candidates.length} movies: ${shown}${more}. Give the full title or the movie id.`, 'ERR_ALSREC_AMBIGUOUS');
    this.candidates = candidates;
  }
}

/** Movies whose title contains `query` (case-insensitive), exact matches first, then by id. */
export function searchMovies(movies: ReadonlyMap<number, Movie>, query: string): Movie[] {
  const q = query.trim().toLowerCase();
  const exact: Movie[] = [];
  const partial: Movie[] = [];
  for (const m of movies.values()) {
    const t = m.title.toLowerCase();
    if (t === q) exact.push(m);
    else if (t.includes(q)) partial.push(m);
  }
  const byId = (a: Movie, b: Movie) => a.id - b.id;
  return [...exact.sort(byId), ...partial.sort(byId)];
}

/**
 * The one movie `query` names.
 * @throws AlsrecError when nothing matches; AmbiguousTitleError when several do.
 * @example resolveMovieTitle(dataset.movies, 'star wars (1977)').id // 50
 */
export function resolveMovieTitle(movies: ReadonlyMap<number, Movie>, query: string): Movie {
  const q = query.trim().toLowerCase();
  if (q === '') throw new AlsrecError('A movie title must not be empty', 'ERR_ALSREC_UNKNOWN_ID');
  const found = searchMovies(movies, q);
  const exact = found.filter((m) => m.title.toLowerCase() === q);
  if (exact.length === 1) return exact[0]!;
  if (exact.length > 1) throw new AmbiguousTitleError(query, exact);
  if (found.length === 1) return found[0]!;
  if (found.length === 0) throw new AlsrecError(`No movie title matches "${query}"`, 'ERR_ALSREC_UNKNOWN_ID');
  throw new AmbiguousTitleError(query, found);
}

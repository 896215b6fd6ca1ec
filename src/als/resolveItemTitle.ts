/**
 * Finds an item by title, case-insensitively, without guessing: an exact title match wins; else a
 * unique substring match; several candidates are listed with their ids. Works on any item titles
 * (MovieLens movie titles, product descriptions, track names).
 */
import type { ItemInfo } from '../data/dataset.js';
import type { ExternalId } from '../data/rawInteractions.js';
import { AlsrecError } from '../errors.js';

/** A title query that matches several items; `candidates` lists them. */
export class AmbiguousTitleError extends AlsrecError {
  readonly candidates: readonly ItemInfo[];
  constructor(query: string, candidates: readonly ItemInfo[]) {
    const shown = candidates.slice(0, 20).map((m) => `${m.id}: ${m.title}`).join('; ');
    const more = candidates.length > 20 ? `; and ${candidates.length - 20} more` : '';
    super(`"${query}" matches ${candidates.length} items: ${shown}${more}. Give the full title or the item id.`, 'ERR_ALSREC_AMBIGUOUS');
    this.candidates = candidates;
  }
}

/**
 * Items whose title contains `query` (case-insensitive), exact matches first, then by id.
 * @example searchItems(model.state.movies, 'star wars').map((m) => m.id) // [50, 172, 181, ...]
 */
export function searchItems<T extends ItemInfo>(items: ReadonlyMap<ExternalId, T>, query: string): T[] {
  const q = query.trim().toLowerCase();
  const exact: T[] = [];
  const partial: T[] = [];
  for (const m of items.values()) {
    const t = m.title.toLowerCase();
    if (t === q) exact.push(m);
    else if (t.includes(q)) partial.push(m);
  }
  const byId = (a: T, b: T) => compareIds(a.id, b.id);
  return [...exact.sort(byId), ...partial.sort(byId)];
}

/**
 * The one item `query` names.
 * @throws AlsrecError when nothing matches; AmbiguousTitleError when several do.
 * @example resolveItemTitle(dataset.movies, 'star wars (1977)').id // 50
 */
export function resolveItemTitle<T extends ItemInfo>(items: ReadonlyMap<ExternalId, T>, query: string): T {
  const q = query.trim().toLowerCase();
  if (q === '') throw new AlsrecError('A title must not be empty', 'ERR_ALSREC_UNKNOWN_ID');
  const found = searchItems(items, q);
  const exact = found.filter((m) => m.title.toLowerCase() === q);
  if (exact.length === 1) return exact[0]!;
  if (exact.length > 1) throw new AmbiguousTitleError(query, exact);
  if (found.length === 1) return found[0]!;
  if (found.length === 0) throw new AlsrecError(`No item title matches "${query}"`, 'ERR_ALSREC_UNKNOWN_ID');
  throw new AmbiguousTitleError(query, found);
}

/** Numbers ascending, then strings in code-unit order. */
export function compareIds(a: ExternalId, b: ExternalId): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

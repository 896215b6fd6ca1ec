/**
 * Model ids → the item objects the API returns (id, title, year, genres), looked up once per
 * item in the model's title table.
 */
import type { ALS, Recommendation } from '../als/model.js';
import type { ExternalId } from '../data/rawInteractions.js';

export interface ItemView {
  itemId: ExternalId;
  /** Same as itemId, for clients of the MovieLens-only API (deprecated). */
  movieId: ExternalId;
  title: string;
  year: number | null;
  genres: readonly string[];
}

export type ScoredItemView = ItemView & { score: number };

/**
 * One item as the API shows it, its id exactly as the model holds it; an item without metadata
 * keeps its `unknown item ID` title.
 */
export function itemView(model: ALS, itemId: ExternalId): ItemView {
  const s = model.state;
  const id = s.items.canonical(itemId) ?? itemId;
  const item = s.movies.get(id);
  return { itemId: id, movieId: id, title: item?.title ?? model.title(id), year: item?.year ?? null, genres: item?.genres ?? [] };
}

/** Ranked model output with the items' details. */
export function scoredItems(model: ALS, ranked: readonly Recommendation[]): ScoredItemView[] {
  return ranked.map((r) => ({ ...itemView(model, r.itemId), score: r.score }));
}

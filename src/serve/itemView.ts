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

/**
 * The {@link itemView} of every item of one served model by index, each built on first use and
 * kept: a recommendation reply then costs no id or title lookups, only the score. A served
 * model never changes, so a view never goes stale; a reload brings a new ServedModel and cache.
 */
export class ItemViews {
  private readonly views: Array<ItemView | undefined>;

  constructor(private readonly model: ALS) {
    this.views = new Array<ItemView | undefined>(model.state.items.size);
  }

  /**
   * Item index `i` as the API shows it.
   * @example views.of(0) // { itemId: 1, movieId: 1, title: 'Toy Story (1995)', year: 1995, genres: [...] }
   */
  of(i: number): ItemView {
    return (this.views[i] ??= itemView(this.model, this.model.state.items.id(i)));
  }

  /**
   * Ranked item indices `items[0..kept)` with their `scores`, as {@link scoredItems} shows them.
   * @example views.scored(ranked.items, ranked.scores, ranked.kept)
   */
  scored(items: Int32Array, scores: Float32Array, kept: number): ScoredItemView[] {
    const out: ScoredItemView[] = [];
    for (let j = 0; j < kept; j++) {
      const v = this.of(items[j]!);
      out.push({ itemId: v.itemId, movieId: v.movieId, title: v.title, year: v.year, genres: v.genres, score: scores[j]! });
    }
    return out;
  }
}

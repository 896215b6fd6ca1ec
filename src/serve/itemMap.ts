/**
 * The dashboard's item map: the item factors projected on their two leading principal
 * components (als/pcaProjection.ts), for the most-rated items up to a cap so that a catalogue
 * of 80,000 items stays a picture and a bounded reply. Computed once per model (the factors
 * never change in place: a mutation makes a new array) and cached by the factor array.
 */
import type { ALS } from '../als/model.js';
import { pcaProjection } from '../als/pcaProjection.js';
import type { ExternalId } from '../data/rawInteractions.js';

/** The most items the map shows. */
export const MAX_MAP_ITEMS = 5000;

export interface ItemMap {
  /** Item ids, titles and coordinates, column-wise (index j is one item). */
  readonly itemIds: ExternalId[];
  readonly titles: string[];
  readonly x: number[];
  readonly y: number[];
  /** Training ratings of each item (the map keeps the most-rated when it must cut). */
  readonly ratings: number[];
  /** Share of the factors' total variance along each axis. */
  readonly explained: [number, number];
  /** Items in the model (the map may show fewer). */
  readonly totalItems: number;
}

const cache = new WeakMap<Float32Array, ItemMap>();

/**
 * @example itemMap(model).titles[0]; // 'Toy Story (1995)'
 */
export function itemMap(model: ALS): ItemMap {
  const s = model.state;
  const cached = cache.get(s.itemFactors);
  if (cached !== undefined) return cached;
  const counts = new Int32Array(s.items.size);
  const nnz = s.liked.indptr[s.liked.rows]!;
  for (let q = 0; q < nnz; q++) counts[s.liked.indices[q]!]! += 1;
  // The most-rated items, ties by index (so the pick is deterministic), then in index order.
  let rows = Int32Array.from({ length: s.items.size }, (_, i) => i);
  if (rows.length > MAX_MAP_ITEMS) rows = rows.sort((a, b) => counts[b]! - counts[a]! || a - b).subarray(0, MAX_MAP_ITEMS).sort();
  const p = pcaProjection(s.itemFactors, model.options.factors, rows);
  const round = (v: number) => Math.round(v * 1e5) / 1e5;
  const share = (v: number) => (p.totalVariance > 0 ? v / p.totalVariance : 0);
  const map: ItemMap = {
    itemIds: [...rows].map((i) => s.items.id(i)),
    titles: [...rows].map((i) => model.title(s.items.id(i))),
    x: [...p.x].map(round),
    y: [...p.y].map(round),
    ratings: [...rows].map((i) => counts[i]!),
    explained: [share(p.variance[0]), share(p.variance[1])],
    totalItems: s.items.size,
  };
  cache.set(s.itemFactors, map);
  return map;
}

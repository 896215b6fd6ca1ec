/**
 * The library's one call from an array of events to trainable Interactions.
 */
import { eventsToRawInteractions, type InteractionEvent } from '../data/eventsToRawInteractions.js';
import { indexRawInteractions, type IndexOptions } from './indexRawInteractions.js';
import type { Interactions } from './interactions.js';

/**
 * Interactions from `{ user, item, weight?, time? }` events, ids string or number, kept as given.
 * Repeated (user, item) events are aggregated: weights summed, the latest time kept; a pair whose
 * total weight is not positive is left out. Times are epoch seconds or milliseconds, ISO 8601
 * strings or Dates.
 * @throws InvalidOptionError naming the event at fault (`events[3].item`).
 * @example
 * const data = interactionsFromEvents([
 *   { user: 'u1', item: 'sku-9', weight: 3, time: '2024-05-01T10:00:00Z' },
 *   { user: 'u2', item: 'sku-12' },
 * ], { titles: new Map([['sku-9', 'Red mug']]) });
 * const model = await new ALS({ factors: 8 }).fit(data);
 */
export function interactionsFromEvents(events: readonly InteractionEvent[], options: IndexOptions = {}): Interactions {
  return indexRawInteractions(eventsToRawInteractions(events), options);
}

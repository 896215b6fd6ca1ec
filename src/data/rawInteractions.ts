/**
 * The hand-over between parsing and indexing: an event log as typed columns, ids still as given.
 *
 * Every loader (MovieLens presets, the generic CSV/JSON Lines/Parquet loader, arrays of event
 * objects) produces this; id mapping, duplicate aggregation, the CSR, its transpose and the split
 * order are built from it. One entry per event, never an object per event.
 */

/**
 * One side's ids. A side whose ids are all integers in the int32 range keeps them as numbers (the
 * fast path); otherwise every id is a string, interned once: `codes[j]` indexes `table`, in
 * first-seen order (`table` holds each distinct id once, exactly as given, e.g. `"00123"`).
 */
export type IdColumn =
  | { readonly kind: 'int'; readonly values: Int32Array }
  | { readonly kind: 'string'; readonly codes: Int32Array; readonly table: readonly string[] };

/** Events as parallel columns; entry j is one (user, item, weight, time) event. */
export interface RawInteractions {
  /** Number of events (every column has this length). */
  readonly length: number;
  readonly users: IdColumn;
  readonly items: IdColumn;
  /** Event weight (the rating, a quantity, or an event type's weight); 1 when the data has none. */
  readonly weights: Float32Array;
  /** Seconds since the epoch, or null when the data has no time column. */
  readonly times: Float64Array | null;
}

/** The external id of a user or item: an integer, or a string exactly as given. */
export type ExternalId = number | string;

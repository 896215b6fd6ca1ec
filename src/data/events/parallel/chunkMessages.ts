/**
 * What the main thread and a parsing worker send each other. A worker parses the ranges it claims
 * from the shared queue (see rangeQueue.ts) one after another into its region of shared memory
 * the main thread allocated, so nothing is copied back; a range whose rows outgrow the region is
 * returned in its own columns instead (transferred).
 */
import type { EventFieldPlan, ParsedEvents } from '../eventColumnsBuilder.js';
import type { RatingsLayout } from '../../readRatingsFile.js';
import type { RangeQueue } from './rangeQueue.js';

/** Which rules read the records: the generic event rules, or a MovieLens ratings preset. */
export type ChunkPreset =
  | { readonly kind: 'events'; readonly delimiter: number }
  | { readonly kind: 'ratings'; readonly layout: RatingsLayout };

/** Shared columns, each with room for `rowCapacity` rows. */
export interface SharedRegion {
  readonly users: SharedArrayBuffer;
  readonly items: SharedArrayBuffer;
  readonly weights: SharedArrayBuffer;
  readonly times: SharedArrayBuffer | null;
  readonly rowCapacity: number;
}

/** What every range of one parse shares. */
export interface ParseSpec {
  readonly path: string;
  readonly fileSize: number;
  readonly plan: EventFieldPlan;
  readonly preset: ChunkPreset;
  readonly maxRecordBytes: number;
}

/** A worker's job: claim ranges from the back of `queue` and parse them into `region`. */
export interface ChunkJob extends ParseSpec {
  readonly queue: RangeQueue;
  readonly region: SharedRegion;
}

/** One parsed range. `inRegion`: its columns are views of the columns it was given. */
export interface RangeResult {
  readonly kind: 'done';
  readonly range: number;
  readonly start: number;
  readonly stop: number;
  readonly lines: number;
  readonly parsed: ParsedEvents;
  readonly inRegion: boolean;
}

/** Why a range could not be parsed here: a malformed record, or a record across a range boundary. */
export type RangeFailure =
  | { readonly kind: 'error'; readonly problem: string; readonly line: number; readonly text: string }
  | { readonly kind: 'misaligned' };

/** A thread's ranges, in the order it parsed them, or why it stopped. */
export type ChunkResult = { readonly kind: 'done'; readonly ranges: readonly RangeResult[] } | RangeFailure;

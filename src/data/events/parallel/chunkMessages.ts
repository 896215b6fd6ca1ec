/**
 * What the main thread and a parsing worker send each other. The columns are written straight into
 * shared memory the main thread allocated (one region of rows per worker), so nothing is copied
 * back; a worker whose rows outgrow its region returns its own columns instead (transferred).
 */
import type { EventFieldPlan, ParsedEvents } from '../eventColumnsBuilder.js';
import type { RatingsLayout } from '../../readRatingsFile.js';

/** Which rules read the records: the generic event rules, or a MovieLens ratings preset. */
export type ChunkPreset =
  | { readonly kind: 'events'; readonly delimiter: number }
  | { readonly kind: 'ratings'; readonly layout: RatingsLayout };

/** The shared columns and the rows `[rowStart, rowStart + rowCapacity)` reserved for one worker. */
export interface SharedRegion {
  readonly users: SharedArrayBuffer;
  readonly items: SharedArrayBuffer;
  readonly weights: SharedArrayBuffer;
  readonly times: SharedArrayBuffer | null;
  readonly rowStart: number;
  readonly rowCapacity: number;
}

export interface ChunkJob {
  readonly path: string;
  readonly fileSize: number;
  /** The range to parse: records starting in [nominalStart, nominalEnd), shifted to line starts. */
  readonly nominalStart: number;
  readonly nominalEnd: number;
  /** The first chunk starts exactly at nominalStart (after the header); the last runs to the end. */
  readonly first: boolean;
  readonly last: boolean;
  readonly plan: EventFieldPlan;
  readonly preset: ChunkPreset;
  readonly region: SharedRegion;
  readonly maxRecordBytes: number;
}

export type ChunkResult =
  /** `inRegion`: the columns are the region's rows [rowStart, rowStart + parsed.events.length). */
  | { readonly kind: 'done'; readonly start: number; readonly stop: number; readonly lines: number; readonly parsed: ParsedEvents; readonly inRegion: boolean }
  | { readonly kind: 'error'; readonly problem: string; readonly line: number; readonly text: string }
  | { readonly kind: 'misaligned' };

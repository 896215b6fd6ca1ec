/** What the main thread and a parsing worker send each other (structured-cloned, typed arrays transferred). */
import type { EventFieldPlan, ParsedEvents } from '../eventColumnsBuilder.js';

export interface ChunkJob {
  readonly path: string;
  readonly fileSize: number;
  /** The range to parse: records starting in [nominalStart, nominalEnd), shifted to line starts. */
  readonly nominalStart: number;
  readonly nominalEnd: number;
  /** The first chunk starts exactly at nominalStart (after the header); the last runs to the end. */
  readonly first: boolean;
  readonly last: boolean;
  readonly delimiter: number;
  readonly plan: EventFieldPlan;
  readonly meanRecordBytes: number;
  readonly maxRecordBytes: number;
}

export type ChunkResult =
  | { readonly kind: 'done'; readonly start: number; readonly stop: number; readonly lines: number; readonly parsed: ParsedEvents }
  | { readonly kind: 'error'; readonly problem: string; readonly line: number; readonly text: string }
  | { readonly kind: 'misaligned' };

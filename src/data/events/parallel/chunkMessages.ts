/**
 * What the main thread and a parsing worker send each other. Both claim ranges in file order
 * (rangeQueue.ts). A worker parses each of its ranges into one of its slots of shared memory and
 * posts it; the main thread copies it into the result's columns at its place in file order and
 * frees the slot (a range whose rows outgrow its slot comes in its own columns, transferred).
 * Slots are reused, so a worker's rows cost no fresh memory, and the result's columns are written
 * once, while the threads parse.
 */
import type { EventFieldPlan, ParsedEvents } from '../eventColumnsBuilder.js';
import type { RatingsLayout } from '../../readRatingsFile.js';
import type { RangeQueue } from './rangeQueue.js';

/** Which rules read the records: the generic event rules, or a MovieLens ratings preset. */
export type ChunkPreset =
  | { readonly kind: 'events'; readonly delimiter: number }
  | { readonly kind: 'ratings'; readonly layout: RatingsLayout };

/** Shared columns of one slot, each with room for `rowCapacity` rows. */
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

/** A worker's job: claim ranges from `queue` and parse each into a free slot of its own. */
export interface ChunkJob extends ParseSpec {
  /** The worker's number among the parse's threads (1, 2, ...: 0 is the main thread). */
  readonly source: number;
  readonly queue: RangeQueue;
  readonly slots: readonly SharedRegion[];
  /** See {@link SlotStates}. */
  readonly slotStates: SharedArrayBuffer;
}

/**
 * Int32 per slot, {@link SLOT_FREE} or {@link SLOT_TAKEN}, then one counter of frees, which a
 * worker waiting for a slot waits on.
 */
export type SlotStates = Int32Array;
export const SLOT_FREE = 1;
export const SLOT_TAKEN = 0;

/** Frees `slot` and wakes a worker waiting for one. */
export function freeSlot(states: SlotStates, slot: number): void {
  Atomics.store(states, slot, SLOT_FREE);
  Atomics.add(states, states.length - 1, 1);
  Atomics.notify(states, states.length - 1);
}

/**
 * One parsed range. `inRegion`: its columns are views of the columns it was given. `source`: the
 * thread that parsed it (0 the main thread, then the workers), whose interners gave its string
 * codes; a string side's table holds the strings that thread added in this range, the codes from
 * `tableFrom` on (see IdColumnBuilder).
 */
export interface RangeResult {
  readonly kind: 'done';
  readonly range: number;
  readonly source: number;
  readonly tableFrom: { readonly users: number; readonly items: number };
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

/** How a thread's share ended: every range it claimed delivered, or why it stopped. */
export type ChunkResult = { readonly kind: 'done' } | RangeFailure;

/** A worker's messages: each parsed range (in `slot`, or -1 when in columns of its own), then how it ended. */
export type WorkerMessage = { readonly kind: 'range'; readonly slot: number; readonly result: RangeResult } | { readonly kind: 'end'; readonly result: ChunkResult };

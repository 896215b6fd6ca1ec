/**
 * The names of the splits `evaluate` and `tune` offer, as plain data for their option declarations
 * (splitByName.ts, which makes the splits, re-exports them).
 */
export const SPLIT_NAMES = ['leave-last-out', 'leave-k-out', 'random', 'time-cutoff'] as const;
export type SplitName = (typeof SPLIT_NAMES)[number];

/**
 * The data-path gates (issue 17): indexing one million fixed events (dense ids, duplicate merge,
 * CSR, split order), the leave-last-out split and the transpose; and parsing the same events from
 * CSV text (the fast record scanner into columns, against a plain pass over the same bytes); each
 * timed as a ratio to a fixed
 * reference computation measured in the same process, interleaved, the fastest of several rounds
 * each. Times are the process's CPU time (user + system), not wall time: on a shared machine the
 * wall time counts the moments other processes run, the CPU time does not; and the fastest round
 * is the one least disturbed (caches, frequency). The ratio cancels the machine's speed; bench/dataPathBaseline.json holds the ratio
 * measured on the current code (`ratio`, `parseRatio`). Each gate fails at 1.6x its ratio, so a
 * 2x slowdown of either part fails it even when noise favours it by 20%.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dataPathCsv, dataPathEvents, parseColumns, referenceScan, referenceWork, runDataPath, runParse } from '../../src/bench/dataPathWorkload.js';

const GATE = 1.6;
const ROUNDS = 9;
/** The reference runs this many times per round, to take about as long as the data path. */
const REFERENCE_REPEATS = 4;
const baseline = JSON.parse(readFileSync(new URL('../../bench/dataPathBaseline.json', import.meta.url), 'utf8')) as { ratio: number; parseRatio: number };

function cpuSeconds(work: () => unknown): number {
  const before = process.cpuUsage();
  work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1e6;
}

/** Fastest `work` time over fastest `referenceRound` time, the two interleaved after two warm-ups each. */
function measureRatio(work: () => unknown, referenceRound: () => unknown): { path: number; reference: number; ratio: number } {
  const path: number[] = [];
  const reference: number[] = [];
  for (let round = -2; round < ROUNDS; round++) {
    const r = cpuSeconds(referenceRound);
    const p = cpuSeconds(work);
    if (round >= 0) {
      reference.push(r);
      path.push(p);
    }
  }
  return { path: Math.min(...path), reference: Math.min(...reference), ratio: Math.min(...path) / Math.min(...reference) };
}

/** Measures, retries once on a failure (a disturbed run), and gates `work`'s ratio at GATE x `base`. */
function gate(name: string, work: () => unknown, referenceRound: () => unknown, base: number): void {
  let m = measureRatio(work, referenceRound);
  const report = () => console.log(`${name} ${m.path.toFixed(4)} s CPU, reference ${m.reference.toFixed(4)} s, ratio ${m.ratio.toFixed(2)} (baseline ${base}, gate <= ${(GATE * base).toFixed(2)})`);
  report();
  if (m.ratio > GATE * base) {
    console.log(`${name} gate: failed once; measuring afresh`);
    m = measureRatio(work, referenceRound);
    report();
  }
  expect(m.ratio).toBeLessThanOrEqual(GATE * base);
}

describe('data path gates', () => {
  it(`indexing + split + transpose of 1M events stays within ${GATE}x of bench/dataPathBaseline.json (time ratio to a fixed reference)`, () => {
    const raw = dataPathEvents();
    gate('data path', () => runDataPath(raw), () => {
      for (let k = 0; k < REFERENCE_REPEATS; k++) referenceWork(raw);
    }, baseline.ratio);
  });

  it(`parsing the 1M events from CSV stays within ${GATE}x of bench/dataPathBaseline.json (time ratio to a fixed reference)`, () => {
    const csv = dataPathCsv(dataPathEvents());
    // The same columns every round (see parseColumns), and a reference that scans the same bytes.
    const columns = parseColumns();
    expect(runParse(csv, columns)).toBe(1_000_000);
    gate('parse', () => runParse(csv, columns), () => referenceScan(csv), baseline.parseRatio);
  });
});

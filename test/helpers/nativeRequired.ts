/**
 * Whether tests that need the native addon run. They run when it loads, and always under
 * ALSREC_REQUIRE_NATIVE=1 (CI), where a missing or broken addon must fail them rather than
 * skip them.
 */
import { nativeAvailable } from '../../src/als/selectBackend.js';

export const nativeRequired = process.env.ALSREC_REQUIRE_NATIVE === '1';

/** True when the native tests should run (and, under ALSREC_REQUIRE_NATIVE=1, fail if it does not load). */
export function nativeTestsRun(): boolean {
  return nativeRequired || nativeAvailable();
}

/** The backends a suite runs against: 'ts' always, 'native' when {@link nativeTestsRun}. */
export function testedBackends(): ReadonlyArray<'ts' | 'native'> {
  return nativeTestsRun() ? ['ts', 'native'] : ['ts'];
}

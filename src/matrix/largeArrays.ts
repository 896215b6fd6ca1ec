/**
 * Typed arrays for per-event and per-entry columns (millions of elements), allocated with a hint
 * that their pages be 2 MiB ones.
 *
 * A fresh array's pages are faulted in on first write. On a VM whose kernel reports free pages to
 * the host (Firecracker's free page reporting) that costs about 5 ms per MB with 4 KiB pages —
 * more than the work done on the memory — and 2 MiB pages cut it by about a third (160 MB of
 * fresh columns filled in 0.65-0.89 s plain, 0.44-0.59 s advised, alternating runs). The advice
 * comes from the native addon (madvise(MADV_HUGEPAGE) on the array's aligned interior, before any
 * write), installed when the addon loads (the CLI loads it before reading data); without the
 * addon, or off Linux, these are plain typed arrays. Small arrays are plain.
 */
/** Arrays smaller than this are not advised (few whole 2 MiB pages fit inside them). */
const ADVISE_MIN_BYTES = 8 << 20;

/** Advises a view's pages; returns the bytes advised. */
export type HugePageAdviser = (view: Int32Array | Float32Array | Float64Array) => number;

let advise: HugePageAdviser | null = null;

/**
 * Installs the adviser: the native addon's loader calls this once it has loaded (so this module,
 * which the browser demo also bundles, imports nothing of Node). Until then arrays are plain.
 * @example setHugePageAdviser((view) => addon.adviseHugePages(view));
 */
export function setHugePageAdviser(adviser: HugePageAdviser | null): void {
  advise = adviser;
}

function advised<T extends Int32Array | Float32Array | Float64Array>(array: T): T {
  if (advise !== null && array.byteLength >= ADVISE_MIN_BYTES) advise(array);
  return array;
}

/**
 * A zeroed Int32Array of `length`, huge-page advised when large.
 * @example const codes = largeInt32Array(10_000_000);
 */
export function largeInt32Array(length: number): Int32Array {
  return advised(new Int32Array(length));
}

/**
 * A zeroed Float32Array of `length`, huge-page advised when large.
 * @example const data = largeFloat32Array(10_000_000);
 */
export function largeFloat32Array(length: number): Float32Array {
  return advised(new Float32Array(length));
}

/**
 * A zeroed Float64Array of `length`, huge-page advised when large.
 * @example const times = largeFloat64Array(10_000_000);
 */
export function largeFloat64Array(length: number): Float64Array {
  return advised(new Float64Array(length));
}

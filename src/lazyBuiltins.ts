/**
 * Node built-ins that cost start-up time, loaded on first use. `node:crypto` compiles about
 * twenty internal modules and the stream stack; a model file's checksum or a temporary file name
 * needs it, `import('alsrec')` does not (issue 10, "Fast start"). `require` of a built-in is
 * synchronous and cached, so the callers stay synchronous.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * `node:crypto`, loaded on the first call.
 * @example
 * const hash = nodeCrypto().createHash('sha256');
 */
export function nodeCrypto(): typeof import('node:crypto') {
  return require('node:crypto') as typeof import('node:crypto');
}

let fullGc: (() => void) | null = null;

/**
 * A full garbage collection, for the rare place that drops gigabytes held by JS objects V8 would
 * collect only much later: the parallel parser's shared regions once their rows are copied out
 * (about 1 GB on synth-100m, which otherwise stayed resident through training: peak RSS 4.83
 * against 3.9 GiB). V8 has no such call without `--expose-gc`, so the flag is set once and `gc`
 * read from a fresh context (as Node's own tests do); the caller's globals are untouched.
 * @example collectGarbage();
 */
export function collectGarbage(): void {
  if (fullGc === null) {
    (require('node:v8') as typeof import('node:v8')).setFlagsFromString('--expose-gc');
    fullGc = (require('node:vm') as typeof import('node:vm')).runInNewContext('gc') as () => void;
  }
  fullGc();
}

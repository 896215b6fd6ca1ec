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

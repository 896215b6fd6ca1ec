/**
 * The package version (package.json, found next to dist/ or src/), read once. The model file's
 * INFO section, `/health` and `alsrec --version` report it.
 */
import { readFileSync } from 'node:fs';

let cached: string | undefined;

/**
 * @example packageVersion(); // '0.1.0'
 */
export function packageVersion(): string {
  cached ??= (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return cached;
}

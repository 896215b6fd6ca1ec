import { readFileSync } from 'node:fs';
import { nativeInfo } from '../als/native/addon.js';

/** The version in package.json (found next to dist/ or src/). */
export function packageVersion(): string {
  const url = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}

/**
 * What `alsrec --version` prints: the package version and the native build the loader picks.
 *
 * @example
 * versionLine(); // '0.1.0 (native v4, prebuild)' or '0.1.0 (TypeScript backend: no native build loads)'
 */
export function versionLine(): string {
  const info = nativeInfo();
  return `${packageVersion()} (${info === null ? 'TypeScript backend: no native build loads' : `native ${info.variant}, ${info.source}`})`;
}

import { nativeInfo } from '../als/native/addon.js';
import { packageVersion } from '../packageVersion.js';

export { packageVersion };

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

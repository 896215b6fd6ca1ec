// The resolve hook behind forbidModules.mjs (module customization hooks, Node >= 20.6).
// The built entry points are bundles (scripts/bundle-entries.mjs): a file in dist/bundle/ holds
// several source modules, listed in dist/bundle/sources.json as paths of their per-file twins in
// dist/. A bundle file is forbidden when any module it holds is, so the patterns keep naming
// dist/ paths whichever way the code is laid out.
import { readFileSync } from 'node:fs';

let forbidden = [];
const bundleSources = new Map();

export function initialize(patterns) {
  forbidden = patterns.map((p) => new RegExp(p));
}

/** The per-file URLs that `url` stands for: itself, or the modules a bundle file holds. */
function modulesOf(url) {
  const match = /^(.*\/dist\/)bundle\/([^/]+\.js)$/.exec(url);
  if (match === null) return [url];
  const [, dist, file] = match;
  if (!bundleSources.has(dist)) {
    bundleSources.set(dist, JSON.parse(readFileSync(new URL('bundle/sources.json', dist), 'utf8')));
  }
  return (bundleSources.get(dist)[file] ?? []).map((path) => `${dist}${path}`);
}

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  for (const url of modulesOf(resolved.url)) {
    if (forbidden.some((p) => p.test(url))) {
      const via = url === resolved.url ? '' : ` (bundled in ${resolved.url})`;
      throw new Error(`forbidden module ${url}${via} imported by ${context.parentURL ?? 'the entry point'}`);
    }
  }
  return resolved;
}

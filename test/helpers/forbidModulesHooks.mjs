// The resolve hook behind forbidModules.mjs (module customization hooks, Node >= 20.6).
let forbidden = [];

export function initialize(patterns) {
  forbidden = patterns.map((p) => new RegExp(p));
}

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (forbidden.some((p) => p.test(resolved.url))) {
    throw new Error(`forbidden module ${resolved.url} imported by ${context.parentURL ?? 'the entry point'}`);
  }
  return resolved;
}

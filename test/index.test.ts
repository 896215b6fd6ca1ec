/**
 * The core entry point stays light: `import 'alsrec'` (data, matrix, ALS, evaluation) loads no
 * server, progress bar, zip reader or CLI parser, and not the native addon until a fit asks for it.
 * The server is `alsrec/serve`. Each case imports the built package (dist/, through its
 * package.json "exports") in a fresh Node process and lists the CommonJS modules it loaded
 * (every third-party dependency here is CommonJS, and so is the addon's `require`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../', import.meta.url));

/** Imports `specifier` from the package folder and returns the modules in require.cache. */
function modulesLoadedBy(specifier: string): { exports: string[]; loaded: string[] } {
  expect(existsSync(`${root}dist/index.js`), 'dist/ is missing: run npm run build').toBe(true);
  const script = [
    "import { createRequire } from 'node:module';",
    `const m = await import(${JSON.stringify(specifier)});`,
    'const loaded = Object.keys(createRequire(import.meta.url).cache);',
    'process.stdout.write(JSON.stringify({ exports: Object.keys(m), loaded }));',
  ].join('\n');
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  return JSON.parse(out) as { exports: string[]; loaded: string[] };
}

const packagesIn = (paths: string[]) => [...new Set(paths.flatMap((p) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(p)?.[1] ?? []))].sort();

describe("import 'alsrec'", () => {
  it('loads no third-party package and not the native addon', () => {
    const { exports, loaded } = modulesLoadedBy('alsrec');
    expect(exports).toContain('ALS');
    expect(exports).not.toContain('createServer');
    expect(packagesIn(loaded)).toEqual([]);
    expect(loaded.filter((p) => p.endsWith('.node'))).toEqual([]);
  });

  it("'alsrec' and 'alsrec/serve' share one copy of the core (the bundles' shared chunks)", () => {
    // createServer tells a model from a holder with `instanceof ALS` and maps UnknownIdError to
    // 404 with `instanceof`: a second copy of the core inside 'alsrec/serve' would break both.
    const script = [
      "const { ALS, interactionsFromEvents } = await import('alsrec');",
      "const { createServer } = await import('alsrec/serve');",
      "const events = [{ user: 'u-7f3a', item: '85123A' }, { user: 'u-7f3a', item: '00123' }, { user: '00123', item: '00123' }];",
      "const model = await new ALS({ factors: 2, iterations: 2, backend: 'ts' }).fit(interactionsFromEvents(events));",
      'const app = createServer(model);',
      "const known = await app.inject({ url: '/users/u-7f3a/recommendations?n=1' });",
      "const unknown = await app.inject({ url: '/users/123/recommendations' });",
      'await app.close();',
      'process.stdout.write(JSON.stringify({ known: [known.statusCode, known.json().userId], unknown: [unknown.statusCode, unknown.json().message] }));',
    ].join('\n');
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ known: [200, 'u-7f3a'], unknown: [404, 'Unknown user id "123"'] });
  });

  it("'alsrec/serve' gives createServer, and does load Fastify (so the check above can see it)", () => {
    const { exports, loaded } = modulesLoadedBy('alsrec/serve');
    expect(exports).toContain('createServer');
    expect(packagesIn(loaded)).toEqual(expect.arrayContaining(['fastify', '@fastify/swagger', '@fastify/swagger-ui']));
  });
});

#!/usr/bin/env node
// The npm `install` hook. What it does depends on what fits this platform:
//   - a prebuild fits (prebuilds/linux-x64/ from the npm package, glibc Linux on x86-64): nothing to
//     build; the loader (src/als/native/addon.ts) picks the best x86-64 level at run time;
//   - no prebuild fits (a git checkout, another OS or CPU architecture, musl): compile from source
//     with cmake-js into build/Release/: on x86-64 the three levels alsrec_native_v2/_v3/_v4.node
//     (so run-time dispatch works as with the prebuilds), elsewhere one -march=native
//     alsrec_native.node;
//   - ALSREC_BUILD_FROM_SOURCE=1: compile alsrec_native.node with -march=native (for this machine
//     only; the loader prefers it) even when a prebuild fits.
// The addon is optional: if the toolchain is missing or the build fails, this prints one warning
// line and exits 0, and alsrec uses its pure-TypeScript backend.
//
// `--prebuild` (`npm run prebuilds`, run by `npm pack` through prepack) instead builds the three
// x86-64 levels and copies them, stripped, into prebuilds/linux-x64/ for the npm package; any
// failure there is an error (exit 1). (Not named `prebuild`: npm would run that before every
// `npm run build`.)
//
// Environment:
//   ALSREC_SKIP_NATIVE=1        do not build
//   ALSREC_BUILD_FROM_SOURCE=1  build -march=native from source (see above)
//   ALSREC_VERBOSE=1            show the full cmake-js output
// The full log of the last build is kept in build/native-build.log.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const fallbackNotice = 'the pure-TypeScript backend will be used';

const makePrebuilds = process.argv.includes('--prebuild');

function warnAndExit(reason) {
  if (makePrebuilds) {
    console.error(`alsrec: prebuilds not made: ${reason}`);
    process.exit(1);
  }
  console.warn(`alsrec: native addon not built (${reason}); ${fallbackNotice}`);
  process.exit(0);
}

/** glibc Linux: the prebuilds are linked against glibc; musl (Alpine) gets a source build. */
function isGlibcLinux() {
  if (process.platform !== 'linux') return false;
  const header = process.report?.getReport?.().header;
  return typeof header?.glibcVersionRuntime === 'string';
}

/** The prebuilt folder for this platform, when it holds at least one addon and the libc fits. */
function fittingPrebuild() {
  const dir = join(root, 'prebuilds', `${process.platform}-${process.arch}`);
  if (!existsSync(dir) || !readdirSync(dir).some((f) => f.endsWith('.node'))) return null;
  return process.platform === 'linux' && !isGlibcLinux() ? null : dir;
}

if (makePrebuilds && !(process.platform === 'linux' && process.arch === 'x64' && isGlibcLinux())) {
  warnAndExit(`prebuilds are made on glibc Linux x64, not ${process.platform}-${process.arch}`);
}
if (process.env.ALSREC_SKIP_NATIVE === '1' && !makePrebuilds) warnAndExit('ALSREC_SKIP_NATIVE=1');
const fromSource = process.env.ALSREC_BUILD_FROM_SOURCE === '1' && !makePrebuilds;
const prebuild = fittingPrebuild();
if (prebuild !== null && !fromSource && !makePrebuilds) {
  console.log(`alsrec: using the prebuilt native addon (${prebuild}); set ALSREC_BUILD_FROM_SOURCE=1 to compile for this CPU`);
  process.exit(0);
}

let cmakeJs;
try {
  cmakeJs = createRequire(import.meta.url).resolve('cmake-js/bin/cmake-js');
} catch {
  warnAndExit('cmake-js is not installed');
}

const cmake = spawnSync('cmake', ['--version'], { encoding: 'utf8' });
if (cmake.error || cmake.status !== 0) warnAndExit('cmake not found on PATH');

// cmake-js needs Node's C headers only to locate node_api.h. Unless package.json declares
// binary.napi_versions (then it uses the node-api-headers package), it downloads them from
// nodejs.org; point it at the headers installed with this Node instead so the build works offline.
const env = { ...process.env };
const nodePrefix = dirname(dirname(process.execPath));
if (!env.npm_config_nodedir && existsSync(join(nodePrefix, 'include', 'node', 'node_api.h'))) {
  env.npm_config_nodedir = nodePrefix;
}

const x64 = process.arch === 'x64';
const variants = fromSource || !x64 ? ['native'] : ['v2', 'v3', 'v4'];
const outputs = variants.map((v) => join(root, 'build', 'Release', v === 'native' ? 'alsrec_native.node' : `alsrec_native_${v}.node`));
const verbose = process.env.ALSREC_VERBOSE === '1';
let log = '';
// `cmake-js build` keeps an existing configuration, so configure explicitly with this run's
// variants first (re-running configure on an existing cache only updates ALSREC_VARIANTS).
const steps = [
  ['configure', '--directory', root, `--CDALSREC_VARIANTS=${variants.join(';')}`],
  ['build', '--directory', root, '--parallel', String(availableParallelism())],
];
let failed = null;
for (const step of steps) {
  const run = spawnSync(process.execPath, [cmakeJs, ...step], {
    cwd: root,
    env,
    encoding: 'utf8',
    stdio: verbose ? 'inherit' : 'pipe',
    maxBuffer: 64 * 1024 * 1024,
  });
  log += `${run.stdout ?? ''}${run.stderr ?? ''}`;
  if (run.error || run.status !== 0) {
    failed = run.error?.message ?? `cmake-js ${step[0]} exited with status ${run.status}`;
    break;
  }
}
if (!verbose) {
  try {
    mkdirSync(join(root, 'build'), { recursive: true });
    writeFileSync(join(root, 'build', 'native-build.log'), log);
  } catch {
    // The log is a convenience; an unwritable build/ must not fail the install.
  }
}
if (failed !== null || !outputs.every((o) => existsSync(o))) {
  const firstError = log.split('\n').find((line) => /error|not found|fatal/i.test(line))?.trim();
  const reason = firstError ?? failed ?? 'an expected addon file is missing';
  warnAndExit(`${reason.slice(0, 200)}; see build/native-build.log`);
}
if (!makePrebuilds) {
  console.log(`alsrec: native addon built (${outputs.join(', ')})`);
  process.exit(0);
}

// Strip the static symbol tables and debug sections for the package (about 12% of each file);
// the unstripped builds stay in build/Release.
const target = join(root, 'prebuilds', 'linux-x64');
rmSync(target, { recursive: true, force: true });
mkdirSync(target, { recursive: true });
for (const output of outputs) {
  const copy = join(target, basename(output));
  const strip = spawnSync('strip', ['--strip-unneeded', '-o', copy, output], { encoding: 'utf8' });
  if (strip.error || strip.status !== 0) copyFileSync(output, copy);
  console.log(`alsrec: prebuild ${copy}`);
}

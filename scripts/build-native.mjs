#!/usr/bin/env node
// The npm `install` hook: builds the native addon (build/Release/alsrec_native.node) with cmake-js.
// The addon is optional: if the toolchain is missing or the build fails, this prints one warning
// line and exits 0, and alsrec uses its pure-TypeScript backend.
//
// Environment:
//   ALSREC_SKIP_NATIVE=1   do not build
//   ALSREC_PORTABLE=1      build for x86-64 AVX2+FMA instead of -march=native (see CMakeLists.txt)
//   ALSREC_VERBOSE=1       show the full cmake-js output
// The full log of the last build is kept in build/native-build.log.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const fallbackNotice = 'the pure-TypeScript backend will be used';

function warnAndExit(reason) {
  console.warn(`alsrec: native addon not built (${reason}); ${fallbackNotice}`);
  process.exit(0);
}

if (process.env.ALSREC_SKIP_NATIVE === '1') warnAndExit('ALSREC_SKIP_NATIVE=1');

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

const args = [cmakeJs, 'compile', '--directory', root, '--parallel', String(availableParallelism())];
if (process.env.ALSREC_PORTABLE === '1') args.push('--CDALSREC_PORTABLE=ON');
const verbose = process.env.ALSREC_VERBOSE === '1';
const build = spawnSync(process.execPath, args, {
  cwd: root,
  env,
  encoding: 'utf8',
  stdio: verbose ? 'inherit' : 'pipe',
  maxBuffer: 64 * 1024 * 1024,
});

const log = `${build.stdout ?? ''}${build.stderr ?? ''}`;
if (!verbose) {
  try {
    mkdirSync(join(root, 'build'), { recursive: true });
    writeFileSync(join(root, 'build', 'native-build.log'), log);
  } catch {
    // The log is a convenience; an unwritable build/ must not fail the install.
  }
}
const output = join(root, 'build', 'Release', 'alsrec_native.node');
if (build.error || build.status !== 0 || !existsSync(output)) {
  const firstError = log.split('\n').find((line) => /error|not found|fatal/i.test(line))?.trim();
  const reason = build.error?.message ?? firstError ?? `cmake-js exited with status ${build.status}`;
  warnAndExit(`${reason.slice(0, 200)}; see build/native-build.log`);
}
console.log(`alsrec: native addon built (${output})`);

#!/usr/bin/env bash
# The npm package works with no compiler and no install script: `npm pack` (which makes the
# prebuilds through prepack), check what the tarball holds, install it into a fresh project with
# --ignore-scripts and a PATH on which neither cmake nor a C++ compiler can be found, then fit a
# small model there and require the native backend at the best x86-64 level this CPU has.
# Used by .ci/run (glibc Linux x64 only).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

cd "$root"
npm pack --pack-destination "$scratch" --json >"$scratch/pack.out" 2>"$scratch/pack.log" || { tail -30 "$scratch/pack.log"; exit 1; }
# The lifecycle scripts (prepack, prepare) print on the same stdout: keep the JSON array at the end.
node -e "
const out = require('fs').readFileSync('$scratch/pack.out', 'utf8');
const start = out.startsWith('[') ? 0 : out.lastIndexOf('\n[') + 1;
require('fs').writeFileSync('$scratch/pack.json', out.slice(start));
"
tarball=$(node -e "const p = require('$scratch/pack.json')[0]; console.log(require('path').join('$scratch', p.filename))")

# Contents: the three prebuilds, no build debris, no test data, no sources of the tests, <= 8 MB.
node -e "
const [p] = require('$scratch/pack.json');
const files = p.files.map((f) => f.path);
const fail = (m) => { console.error('check-packed-install: ' + m); process.exit(1); };
for (const v of ['v2', 'v3', 'v4']) {
  if (!files.includes('prebuilds/linux-x64/alsrec_native_' + v + '.node')) fail('the tarball lacks the ' + v + ' prebuild');
}
const debris = files.filter((f) => /^(build|build-[^/]*|test|data|node_modules|docs|bench|src)\//.test(f) || /\.(alsrec|log|tsbuildinfo)$/.test(f) || /^(u\.data|ratings\.(csv|dat))$/.test(f.split('/').pop()));
if (debris.length > 0) fail('unexpected files in the tarball: ' + debris.slice(0, 10).join(', '));
if (!files.includes('LICENSE')) fail('the tarball lacks LICENSE');
const mb = p.size / 2 ** 20;
console.log('tarball ' + p.filename + ': ' + files.length + ' files, ' + mb.toFixed(2) + ' MB packed, ' + (p.unpackedSize / 2 ** 20).toFixed(2) + ' MB unpacked');
if (mb > 8) fail('the tarball is ' + mb.toFixed(2) + ' MB (limit 8 MB)');
"

# The CPU's best level, read from /proc/cpuinfo (independently of the addon's own check).
expected=$(node -e "
const flags = new Set((require('fs').readFileSync('/proc/cpuinfo', 'utf8').match(/^flags\s*:(.*)$/m) || ['', ''])[1].trim().split(/\s+/));
const has = (...f) => f.every((x) => flags.has(x));
console.log(has('avx512f', 'avx512bw', 'avx512dq', 'avx512vl') ? 'v4' : has('avx2', 'fma', 'bmi2') ? 'v3' : 'v2');
")

# A PATH with node alone: no cmake, no g++, no cc.
mkdir -p "$scratch/bin" "$scratch/app"
ln -s "$(command -v node)" "$scratch/bin/node"
npm_cli=$(node -p "require('path').join(require('path').dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js')")
[ -f "$npm_cli" ] || npm_cli="$(npm prefix -g)/lib/node_modules/npm/bin/npm-cli.js"
cd "$scratch/app"
echo '{ "name": "consumer", "version": "1.0.0", "private": true, "type": "module" }' >package.json
PATH="$scratch/bin" "$BASH" -c 'for t in cmake g++ c++ cc gcc; do if command -v "$t" >/dev/null 2>&1; then echo "check-packed-install: $t is still on PATH"; exit 1; fi; done'
PATH="$scratch/bin" node "$npm_cli" install --ignore-scripts --no-audit --no-fund --prefer-offline "$tarball" >"$scratch/install.log" 2>&1 || { tail -30 "$scratch/install.log"; exit 1; }
[ ! -d node_modules/alsrec/build ] || { echo "check-packed-install: an install step ran (node_modules/alsrec/build exists)"; exit 1; }

cat >fit.mjs <<'EOF'
import { ALS, buildInteractions, nativeInfo } from 'alsrec';
// 60 users x 40 movies in two blocks; the TS backend's top-3 is the reference.
const users = [], items = [];
for (let u = 0; u < 60; u++) for (let i = 0; i < 40; i++) if ((u < 30) === (i < 20) && (u * 7 + i) % 3 !== 0) { users.push(u + 1); items.push(i + 1); }
const n = users.length;
const data = buildInteractions({ users: Int32Array.from(users), items: Int32Array.from(items), ratings: new Float32Array(n).fill(4), timestamps: new Float64Array(n) });
const model = await new ALS({ factors: 8, iterations: 5, backend: 'auto' }).fit(data);
const reference = await new ALS({ factors: 8, iterations: 5, backend: 'ts' }).fit(data);
const top = (m) => m.recommend(1, { n: 3 }).map((r) => r.itemId);
console.log(JSON.stringify({ backend: model.backend, native: nativeInfo(), top: top(model), tsTop: top(reference) }));
EOF
out=$(PATH="$scratch/bin" node fit.mjs)
echo "fit in the consumer project: $out"
node -e "
const r = JSON.parse(process.argv[1]);
const fail = (m) => { console.error('check-packed-install: ' + m); process.exit(1); };
if (r.backend !== 'native') fail('the fit ran on the ' + r.backend + ' backend');
if (r.native === null || r.native.variant !== '$expected' || r.native.source !== 'prebuild') fail('expected the $expected prebuild, got ' + JSON.stringify(r.native));
if (r.top.join() !== r.tsTop.join()) fail('the native top-3 ' + r.top + ' differs from the TS backend\'s ' + r.tsTop);
console.log('check-packed-install: OK (native ' + r.native.variant + ' from the prebuild, no compiler on PATH, --ignore-scripts)');
" "$out"

# export-demo from the installed package: the shipped browser bundle is used (esbuild is a
# devDependency, so it is not installed here) and the site has every file.
cat >demo.mjs <<'EOF'
import { ALS, buildInteractions } from 'alsrec';
const users = [], items = [];
for (let u = 0; u < 30; u++) for (let i = 0; i < 20; i++) if ((u < 15) === (i < 10) && (u + i) % 3 !== 0) { users.push(u + 1); items.push(i + 1); }
const n = users.length;
const data = buildInteractions({ users: Int32Array.from(users), items: Int32Array.from(items), ratings: new Float32Array(n).fill(4), timestamps: new Float64Array(n) });
await (await new ALS({ factors: 4, iterations: 3 }).fit(data)).save('demo.alsrec');
EOF
PATH="$scratch/bin" node demo.mjs
[ ! -d node_modules/esbuild ] || { echo "check-packed-install: esbuild was installed with the package"; exit 1; }
PATH="$scratch/bin" node node_modules/alsrec/dist/cli/main.js export-demo --model demo.alsrec --out site >"$scratch/demo.log" 2>&1 || { cat "$scratch/demo.log"; exit 1; }
for f in index.html dashboard.css demo.js model.json model.bin README.md; do
  [ -s "site/$f" ] || { echo "check-packed-install: export-demo did not write site/$f"; exit 1; }
done
echo "check-packed-install: export-demo OK from the installed package ($(du -sb site | cut -f1) bytes)"

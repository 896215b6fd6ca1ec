#!/usr/bin/env bash
# Builds binding.gyp (the second build file, kept working) with node-gyp, in a scratch copy so
# that build/ stays the cmake-js build, and checks the result loads and exports the kernels.
# Uses the node-gyp that ships with npm, against this Node's own headers (no download).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

cp -r "$root/binding.gyp" "$root/native" "$scratch/"
mkdir -p "$scratch/node_modules"
cp -r "$root/node_modules/node-addon-api" "$scratch/node_modules/"

gyp="$(npm prefix -g)/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js"
nodedir=$(npm config get nodedir 2>/dev/null || true)
if [ -z "$nodedir" ] || [ "$nodedir" = "undefined" ] || [ ! -d "$nodedir/include/node" ]; then
  nodedir=$(dirname "$(dirname "$(command -v node)")")
fi
[ -f "$nodedir/include/node/node_api.h" ] || { echo "check-node-gyp: no Node headers under $nodedir/include/node"; exit 1; }

echo "node-gyp build of binding.gyp (nodedir $nodedir)"
(cd "$scratch" && node "$gyp" rebuild --nodedir="$nodedir" -j 2 >"$scratch/node-gyp.log" 2>&1) || { tail -30 "$scratch/node-gyp.log"; exit 1; }
node -e "
const addon = require('$scratch/build/Release/alsrec_native.node');
for (const f of ['halfSweepCG', 'halfSweepCholesky', 'topN', 'gram']) {
  if (typeof addon[f] !== 'function') { console.error('node-gyp build lacks ' + f); process.exit(1); }
}
console.log('node-gyp build OK: exports ' + Object.keys(addon).join(', '));
"

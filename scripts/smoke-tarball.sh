#!/usr/bin/env bash
# Smoke test of the package as users get it: `npm pack` (which builds dist/), check the tarball's
# file list, install it into a fresh project next to effect, @effect/platform and @effect/platform-node (our
# lock), then compile scripts/smoke-tarball/main.ts there with tsc (strict, NodeNext, declarations
# checked) and run it with node. Fails if a file the package needs is missing or a type does not resolve.
#
# Usage: bash scripts/smoke-tarball.sh   (KEEP=1 keeps the temporary project)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/effect-instantly-smoke.XXXXXX")"
if [[ "${KEEP:-}" == "1" ]]; then echo "smoke: keeping $work"; else trap 'rm -rf "$work"' EXIT; fi

cd "$root"
npm pack --loglevel=warn --pack-destination "$work"
tarball="$(ls "$work"/*.tgz)"
echo "smoke: packed $(basename "$tarball") ($(du -k "$tarball" | cut -f1) KiB)"

# Every file the package points at must be in the tarball, and nothing but dist, README, LICENSE,
# and package.json. An export whose module is not in src/ yet is reported, not failed.
tar -tzf "$tarball" | node --input-type=module -e '
  import { existsSync, readFileSync } from "node:fs"
  const files = new Set(readFileSync(0, "utf8").trim().split("\n").map((f) => f.replace(/^package\//, "")))
  const pkg = JSON.parse(readFileSync("package.json", "utf8"))
  const problems = []
  const need = (file, why) => files.has(file.replace(/^\.\//, "")) || problems.push(`${file} (${why}) is not in the tarball`)
  need(pkg.types, "types")
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    if (typeof target === "string") { need(target, subpath); continue }
    const src = target.default.replace(/^\.\/dist\//, "src/").replace(/\.js$/, ".ts")
    if (!existsSync(src)) { console.log(`smoke: exports["${subpath}"] skipped: ${src} does not exist yet`); continue }
    for (const file of Object.values(target)) need(file, `exports["${subpath}"]`)
  }
  const allowed = /^(dist\/.+|README\.md|LICENSE|package\.json)$/
  for (const file of files) if (!allowed.test(file)) problems.push(`${file} should not be in the tarball`)
  if (problems.length > 0) { console.error(problems.map((p) => `smoke: ${p}`).join("\n")); process.exit(1) }
  console.log(`smoke: ${files.size} files in the tarball, every export present`)
'

locked() { node -p "require('./package-lock.json').packages['node_modules/$1'].version"; }
deps=("$tarball")
for dep in effect @effect/platform @effect/platform-node typescript @types/node; do deps+=("$dep@$(locked "$dep")"); done

# @effect/platform-node's declarations import "ws" without shipping its types; the smoke project checks
# library declarations (skipLibCheck off), as a strict user's project may.
deps+=("@types/ws@^8")

cp scripts/smoke-tarball/main.ts scripts/smoke-tarball/tsconfig.json "$work/"
cd "$work"
echo '{ "name": "smoke", "private": true, "type": "module" }' >package.json
npm install --no-audit --no-fund --prefer-offline --loglevel=error "${deps[@]}" >/dev/null
if [[ -e node_modules/effect-instantly/node_modules/effect ]]; then
  echo "smoke: effect-instantly brought its own copy of effect" >&2
  exit 1
fi
npx --no-install tsc -p tsconfig.json
node build/main.js

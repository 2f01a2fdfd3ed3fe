#!/usr/bin/env bash
# Smoke test of the package as users get it: the packed tarball (scripts/tarball.sh: `npm pack`, its file list
# checked), installed into a fresh project next to effect, @effect/platform and @effect/platform-node (our
# lock), then compile scripts/smoke-tarball/main.ts there with tsc (strict, NodeNext, declarations
# checked) and run it with node (it also runs the command line, `npx effect-instantly`, against the emulator),
# and the command line's help. Fails if a file the package needs is missing or a type does not resolve.
#
# Usage: bash scripts/smoke-tarball.sh   (KEEP=1 keeps the temporary project; TARBALL=<path> skips packing)
set -euo pipefail
source "$(dirname "$0")/tarball.sh"
work_dir smoke
tarball="$(pack_tarball "$work")"

deps=("$tarball")
for dep in effect @effect/platform @effect/platform-node typescript @types/node; do deps+=("$dep@$(locked "$dep")"); done

# @effect/platform-node's declarations import "ws" without shipping its types; the smoke project checks
# library declarations (skipLibCheck off), as a strict user's project may.
deps+=("@types/ws@^8")

cp "$root"/scripts/smoke-tarball/main.ts "$root"/scripts/smoke-tarball/tsconfig.json "$work/"
cd "$work"
empty_project "$work" smoke
npm install --no-audit --no-fund --prefer-offline --loglevel=error "${deps[@]}" >/dev/null
check_tree
npx --no-install tsc -p tsconfig.json
node build/main.js
# The bin from the tarball, on the @effect/cli it brings and the @effect/platform-node installed beside it.
npx --no-install effect-instantly --help >help.txt
grep -q "leads remove-from-subsequence" help.txt
npx --no-install effect-instantly --version
echo "smoke: npx effect-instantly --help lists the commands"

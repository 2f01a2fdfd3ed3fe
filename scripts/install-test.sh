#!/usr/bin/env bash
# The README's install, as a new user runs it today: the packed tarball (scripts/tarball.sh) installed into an
# empty project with exactly the commands of the README's "Install" block (read from README.md; the package name
# `effect-instantly` becomes the tarball's path, as the package is not on npm yet), resolved against the live npm
# registry. Then every examples/ file the README shows verbatim is copied there with
# scripts/install-test/main.ts, type-checked with tsc (strict, NodeNext), and run: the emulator example with
# vitest, the ManagedRuntime and metrics examples by main.ts with node. So the README's install line and its
# examples cannot drift from what works.
#
# Usage: bash scripts/install-test.sh   (KEEP=1 keeps the temporary project; TARBALL=<path> skips packing)
set -euo pipefail
source "$(dirname "$0")/tarball.sh"
work_dir install
tarball="$(pack_tarball "$work")"

# The commands of the README's install block, one per line, each `npm install` and plain words.
mapfile -t commands < <(node --input-type=module -e '
  import { readFileSync } from "node:fs"
  const block = /^## Install\n\n```sh\n([\s\S]*?)```/m.exec(readFileSync(process.argv[1], "utf8"))?.[1]
  const lines = (block ?? "").trim().split("\n").filter((line) => line !== "")
  const bad = lines.filter((line) => !/^npm install( [\w@^./-]+)+$/.test(line))
  if (lines.length === 0 || bad.length > 0) {
    console.error(`install: README.md needs a \`\`\`sh block of npm install commands under "## Install"; got ${JSON.stringify(lines)}`)
    process.exit(1)
  }
  console.log(lines.join("\n"))
' "$root/README.md")

# The README's examples, and the program that runs them.
node --input-type=module -e '
  import { copyFileSync, readdirSync, readFileSync } from "node:fs"
  const [root, work] = process.argv.slice(1)
  const readme = readFileSync(`${root}/README.md`, "utf8")
  const shown = readdirSync(`${root}/examples`).filter((file) =>
    readme.includes("```ts\n" + readFileSync(`${root}/examples/${file}`, "utf8") + "```"))
  for (const file of shown) copyFileSync(`${root}/examples/${file}`, `${work}/${file}`)
  console.log(`install: the README shows ${shown.join(", ")}`)
' "$root" "$work"
cp "$root"/scripts/install-test/main.ts "$root"/scripts/install-test/tsconfig.json "$work/"

cd "$work"
empty_project "$work" install
for command in "${commands[@]}"; do
  echo "install: $command"
  read -ra words <<<"$command"
  for i in "${!words[@]}"; do [[ "${words[$i]}" == "effect-instantly" ]] && words[i]="$tarball"; done
  npm_config_audit=false npm_config_fund=false npm_config_loglevel=error "${words[@]}"
done
check_tree
npm ls --depth=0

# The user's compiler, from our lock: this checks our package, not TypeScript's next release.
npm install --no-audit --no-fund --prefer-offline --loglevel=error -D "typescript@$(locked typescript)" \
  "@types/node@$(locked @types/node)"
npx --no-install tsc -p tsconfig.json
npx --no-install vitest run --reporter=dot
node dist/main.js

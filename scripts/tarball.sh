# The package as users get it, for the tests that install it into a fresh project (scripts/smoke-tarball.sh,
# scripts/install-test.sh). Sourced, not run:
#
#   source "$(dirname "$0")/tarball.sh"
#   work_dir smoke                    # sets $work: a temporary directory, removed on exit (kept with KEEP=1)
#   tarball="$(pack_tarball "$work")" # the checked tarball
#   locked typescript                 # a version from our package-lock.json
#   empty_project "$work" smoke       # package.json of an empty ESM project named smoke
#   check_tree                        # after installing: one copy of effect, and a valid tree
#
# pack_tarball runs `npm pack` (which builds dist/), unless TARBALL names a tarball already packed: .ci/run packs
# once for both tests. Either way it checks the tarball's file list against package.json.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

work_dir() {
  work="$(mktemp -d "${TMPDIR:-/tmp}/effect-instantly-$1.XXXXXX")"
  if [[ "${KEEP:-}" == "1" ]]; then echo "$1: keeping $work"; else trap 'rm -rf "$work"' EXIT; fi
}

pack_tarball() {
  local tarball="${TARBALL:-}"
  if [[ -z "$tarball" ]]; then
    (cd "$root" && npm pack --loglevel=warn --pack-destination "$1" >/dev/null)
    tarball="$(ls "$1"/*.tgz)"
  fi
  echo "tarball: $(basename "$tarball") ($(du -k "$tarball" | cut -f1) KiB)" >&2
  check_files "$tarball" >&2
  echo "$tarball"
}

# Every file the package points at must be in the tarball, and nothing but dist, README, LICENSE and
# package.json. An export whose module is not in src/ yet is reported, not failed.
check_files() {
  tar -tzf "$1" | (cd "$root" && node --input-type=module -e '
    import { existsSync, readFileSync } from "node:fs"
    const files = new Set(readFileSync(0, "utf8").trim().split("\n").map((f) => f.replace(/^package\//, "")))
    const pkg = JSON.parse(readFileSync("package.json", "utf8"))
    const problems = []
    const need = (file, why) => files.has(file.replace(/^\.\//, "")) || problems.push(`${file} (${why}) is not in the tarball`)
    need(pkg.types, "types")
    for (const [subpath, target] of Object.entries(pkg.exports)) {
      if (typeof target === "string") { need(target, subpath); continue }
      const src = target.default.replace(/^\.\/dist\//, "src/").replace(/\.js$/, ".ts")
      if (!existsSync(src)) { console.log(`tarball: exports["${subpath}"] skipped: ${src} does not exist yet`); continue }
      for (const file of Object.values(target)) need(file, `exports["${subpath}"]`)
    }
    const allowed = /^(dist\/.+|README\.md|LICENSE|package\.json)$/
    for (const file of files) if (!allowed.test(file)) problems.push(`${file} should not be in the tarball`)
    if (problems.length > 0) { console.error(problems.map((p) => `tarball: ${p}`).join("\n")); process.exit(1) }
    console.log(`tarball: ${files.size} files, every export present`)
  ')
}

locked() { (cd "$root" && node -p "require('./package-lock.json').packages['node_modules/$1'].version"); }

empty_project() { echo "{ \"name\": \"$2\", \"private\": true, \"type\": \"module\" }" >"$1/package.json"; }

# In the project installed: one copy of effect (ours is a peer), and nothing missing or invalid in the tree.
check_tree() {
  if [[ -e node_modules/effect-instantly/node_modules/effect ]]; then
    echo "effect-instantly brought its own copy of effect" >&2
    return 1
  fi
  npm ls --all >/dev/null || { echo "npm ls: the installed tree is missing or invalid packages (above)" >&2; return 1; }
}

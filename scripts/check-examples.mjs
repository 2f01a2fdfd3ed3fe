// Type-checks every ```ts example in the JSDoc of src/, wherever it stands, with the project's strict
// tsconfig: TypeDoc (the second step of `npm run docs`) renders the examples but does not check them.
// Each example becomes a module in docs/jsdoc-examples/, named after the file and line it comes from,
// and imports the package by name: `effect-instantly` and its subpaths resolve to src/ through
// package.json's `exports`.
//
// Usage: node scripts/check-examples.mjs   (the first step of `npm run docs`)
import { execFileSync } from "node:child_process"
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { join, relative } from "node:path"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("..", import.meta.url))
const srcDir = join(root, "src")
const outDir = join(root, "docs", "jsdoc-examples")
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"))

/** `{ "effect-instantly": ["<root>/src/index.ts"], "effect-instantly/emulator": [...] }` from `exports`. */
const paths = Object.fromEntries(
  Object.entries(pkg.exports)
    .filter(([, target]) => typeof target === "object" && target.default.startsWith("./dist/"))
    .map(([subpath, target]) => [
      join(pkg.name, subpath),
      [join(srcDir, target.default.replace(/^\.\/dist\//, "").replace(/\.js$/, ".ts"))]
    ])
)

/** The ```ts blocks of the JSDoc comments in `text`, with the line each starts on. */
const examplesOf = (text) =>
  [...text.matchAll(/\/\*\*[\s\S]*?\*\//g)].flatMap((comment) => {
    const firstLine = text.slice(0, comment.index).split("\n").length
    const lines = comment[0].split("\n").map((line) => line.replace(/^\s*\*(?: |$)/, ""))
    const found = []
    let start = -1
    lines.forEach((line, i) => {
      if (start < 0 && /^```(ts|typescript)\s*$/.test(line.trim())) start = i
      else if (start >= 0 && line.trim() === "```") {
        found.push({ line: firstLine + start, code: lines.slice(start + 1, i).join("\n") })
        start = -1
      }
    })
    return found
  })

rmSync(outDir, { recursive: true, force: true })
mkdirSync(outDir, { recursive: true })

const files = readdirSync(srcDir, { recursive: true }).filter((file) => file.endsWith(".ts")).sort()
let count = 0
for (const file of files) {
  for (const example of examplesOf(readFileSync(join(srcDir, file), "utf8"))) {
    const name = `${file.replaceAll("/", "-").replace(/\.ts$/, "")}.L${example.line}.ts`
    writeFileSync(join(outDir, name), `// From src/${file}:${example.line}\n${example.code}\nexport {}\n`)
    count++
  }
}

writeFileSync(
  join(outDir, "tsconfig.json"),
  JSON.stringify(
    {
      extends: relative(outDir, join(root, "tsconfig.json")),
      compilerOptions: { noEmit: true, noUnusedLocals: false, noUnusedParameters: false, paths, plugins: [] },
      include: ["*.ts"]
    },
    null,
    2
  )
)

const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc")
try {
  execFileSync(process.execPath, [tsc, "-p", join(outDir, "tsconfig.json")], { stdio: "inherit" })
} catch {
  console.error(`check-examples: the examples above do not type-check (see ${relative(root, outDir)}/)`)
  process.exit(1)
}
console.log(`check-examples: ${count} examples from ${files.length} modules type-check`)

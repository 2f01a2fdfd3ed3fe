// Checks the API reference `npm run docs` generated (docs/api): it documents what users import, completely,
// and nothing else. Every operation of Leads and Subsequences, every property of the spec's Lead (from
// the OpenAPI document when ../shared has it, else from test/fixtures/openapi-leads.json), every layer
// constructor, and no page for a module users cannot import.
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"

const root = new URL("../docs/api/effect-instantly/", import.meta.url).pathname
const read = (file) => readFileSync(join(root, file), "utf8")
const problems = []
const section = (text, heading) => {
  const start = text.indexOf(`\n### ${heading}\n`)
  if (start < 0) return undefined
  const next = text.indexOf("\n### ", start + 5)
  return text.slice(start, next < 0 ? undefined : next)
}
const need = (text, heading, members, where) => {
  const body = section(text, heading)
  if (body === undefined) return problems.push(`${where}: no section ${heading}`)
  for (const member of members) {
    const escaped = member.replaceAll("_", "\\_")
    if (!body.includes(`##### ${escaped}`)) problems.push(`${where}: ${heading} lacks ${member}`)
    else {
      // A member must say something: a line of prose after its signature block.
      const at = body.indexOf(`##### ${escaped}`)
      const end = body.indexOf("\n##### ", at + 6)
      const text = body.slice(at, end < 0 ? undefined : end).replace(/```[\s\S]*?```/g, "")
      if (!/\n[A-Z`(][^\n|]{10,}/.test(text)) problems.push(`${where}: ${heading}.${member} has no description`)
    }
  }
}

const main = read("README.md")
const specPath = new URL("../../shared/reference/instantly-openapi.json", import.meta.url).pathname
const spec = existsSync(specPath)
  ? JSON.parse(readFileSync(specPath, "utf8"))
  : JSON.parse(readFileSync(new URL("../test/fixtures/openapi-leads.json", import.meta.url), "utf8"))
const leadFields = Object.keys(spec.components.schemas.Lead.properties)
if (leadFields.length !== 50) problems.push(`the spec's Lead has ${leadFields.length} properties, expected 50`)
need(main, "Lead", leadFields, "effect-instantly")
need(main, "Leads", [
  "removeFromSubsequence",
  "moveToSubsequence",
  "get",
  "list",
  "findByEmail",
  "inSubsequence",
  "removeManyFromSubsequence",
  "Default"
], "effect-instantly")
need(main, "Subsequences", ["get", "Default"], "effect-instantly")
need(main, "InstantlyClient", ["make", "layer", "layerConfig"], "effect-instantly")
const limiter = read("namespaces/RateLimiter.md")
for (const name of ["layer", "layerRedis", "layerRedisConfig", "make", "makeRedis"]) {
  if (!limiter.includes(`\n### ${name}`)) problems.push(`RateLimiter: no ${name}`)
}
const emulator = read("emulator.md")
need(emulator, "InstantlyEmulator", ["layerClient()", "layerServer()", "make()"], "effect-instantly/emulator")
const node = read("node/namespaces/InstantlyHttpClient.md")
for (const name of ["layer", "layerWith()"]) if (!node.includes(`\n### ${name}`)) problems.push(`node: no ${name}`)

// Only public entry points: no page for internal modules or the emulator's building blocks.
const pages = readdirSync(root, { recursive: true }).map(String)
for (const page of pages) {
  if (/internal|^emulator\//i.test(page)) problems.push(`a page for a module users cannot import: ${page}`)
}
for (const page of pages.filter((p) => p.endsWith(".md"))) {
  const text = read(page)
  if (text.startsWith("***")) problems.push(`${page} starts with *** instead of its content`)
  if (text.trim() === "") problems.push(`${page} is empty`)
}

if (problems.length > 0) {
  console.error(problems.map((p) => `check-reference: ${p}`).join("\n"))
  process.exit(1)
}
console.log(
  `check-reference: ${pages.length} pages; Lead's ${leadFields.length} fields, every operation and layer documented`
)

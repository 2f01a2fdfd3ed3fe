// The API reference, `npm run docs`: TypeDoc, as Markdown (typedoc-plugin-markdown), of what users can import:
// one page per entry point of package.json's `exports`, each named by its import path. See
// scripts/typedoc-plugin.mjs for what it trims and enforces.
import { readFileSync } from "node:fs"

const pkg = JSON.parse(readFileSync(new URL("package.json", import.meta.url), "utf8"))

/** `src/index.ts`, `src/InstantlyEmulator.ts`, ...: the sources of the subpaths of `exports`. */
const entryPoints = Object.values(pkg.exports)
  .filter((target) => typeof target === "object" && target.default.startsWith("./dist/"))
  .map((target) => target.default.replace(/^\.\/dist\//, "src/").replace(/\.js$/, ".ts"))

/** @type {Partial<import("typedoc").TypeDocOptions & import("typedoc-plugin-markdown").PluginOptions>} */
export default {
  entryPoints,
  tsconfig: "tsconfig.build.json",
  out: "docs/api",
  plugin: ["typedoc-plugin-markdown", "./scripts/typedoc-plugin.mjs"],
  readme: "none",
  excludeInternal: true,
  excludePrivate: true,
  disableSources: true,
  // The emulator's option and state types are aliases of types in src/emulator/, which users cannot import:
  // documented by name only until InstantlyEmulator.ts re-exports them (see the report of issue 12).
  intentionallyNotExported: ["ApiKey", "ConnectionDropped", "Counters", "FaultOptions", "GenerateOptions"],
  treatWarningsAsErrors: true,
  outputFileStrategy: "modules",
  entryFileName: "README.md",
  hideBreadcrumbs: true,
  hidePageHeader: true,
  useCodeBlocks: true,
  parametersFormat: "table",
  interfacePropertiesFormat: "table",
  classPropertiesFormat: "list",
  typeDeclarationFormat: "table",
  tableColumnSettings: { hideDefaults: true, hideInherited: true, hideSources: true }
}

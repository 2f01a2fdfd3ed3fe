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
  // Every export, member and field users can reach must say what it is.
  validation: { notExported: true, invalidLink: true, notDocumented: true },
  requiredToBeDocumented: ["Variable", "Function", "Class", "Interface", "TypeAlias", "Method", "Accessor"],
  // The cases of `RemovalOutcome.$match`, a type Effect's `Data.taggedEnum` generates: each case is documented
  // on `RemovalOutcome` itself.
  intentionallyNotDocumented: [
    "effect-instantly.RemovalOutcome.__type.$match.__type.Cases.__type.Removed",
    "effect-instantly.RemovalOutcome.__type.$match.__type.Cases.__type.NotFound",
    "effect-instantly.RemovalOutcome.__type.$match.__type.Cases.__type.InvalidId",
    "effect-instantly.RemovalOutcome.__type.$match.__type.Cases.__type.Duplicate",
    "effect-instantly.RemovalOutcome.__type.$match.__type.Cases.__type.Failed"
  ],
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

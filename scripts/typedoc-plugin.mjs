// A TypeDoc plugin for Effect-style code (see typedoc.config.mjs):
// - names each entry point's page by its import path (`effect-instantly`, `effect-instantly/emulator`),
//   from package.json's `exports`;
// - drops the members a class inherits from Effect's own classes (`pipe`, `[TypeId]`, `annotations`, ...),
//   but keeps the layers of an `Effect.Service` (`Default`, `DefaultWithoutDependencies`);
// - drops constructors: services are not built with `new`, and a Schema class's fields are its properties;
// - prints no "Inherited from", "Extends" or property default: for `Schema.Class` and `Effect.Service` these are
//   the whole class expression, source code and all, and a field's schema;
// - describes the layers an `Effect.Service` generates (`Default`, `DefaultWithoutDependencies`), which have no
//   source of their own to carry a comment;
// - fails on an export without `@since`, as @effect/docgen did.
import { readFileSync } from "node:fs"
import { Comment, Converter, ReflectionKind } from "typedoc"

const keep = new Set(["Default", "DefaultWithoutDependencies"])
const layerDescriptions = {
  Default: "The service's layer, with the services it depends on included: it needs only what the class's " +
    "description says (for the operations of this package, an `InstantlyClient`).",
  DefaultWithoutDependencies: "The service's layer without the services it depends on: provide them yourself."
}
const exported = ReflectionKind.Class | ReflectionKind.Interface | ReflectionKind.TypeAlias |
  ReflectionKind.Variable | ReflectionKind.Function | ReflectionKind.Enum | ReflectionKind.Namespace

/** `{ "index": "effect-instantly", "InstantlyEmulator": "effect-instantly/emulator" }` from `exports`. */
const importPaths = () => {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"))
  return new Map(
    Object.entries(pkg.exports)
      .filter(([, target]) => typeof target === "object" && target.default.startsWith("./dist/"))
      .map(([subpath, target]) => [
        target.default.replace(/^\.\/dist\//, "").replace(/\.js$/, ""),
        subpath === "." ? pkg.name : `${pkg.name}/${subpath.replace(/^\.\//, "")}`
      ])
  )
}

const since = (reflection) =>
  [reflection.comment, ...(reflection.signatures ?? []).map((signature) => signature.comment)]
    .some((comment) => comment?.getTag("@since") !== undefined)

/** @param {import("typedoc").Application} app */
export const load = (app) => {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    const project = context.project
    const names = importPaths()
    for (const module of project.getChildrenByKind(ReflectionKind.Module)) {
      module.name = names.get(module.name) ?? module.name
    }
    for (const reflection of Object.values(project.reflections)) {
      if (!project.getReflectionById(reflection.id)) continue // removed with its parent
      const member = reflection.parent?.kindOf(ReflectionKind.ClassOrInterface)
      if (
        member &&
        (reflection.kindOf(ReflectionKind.Constructor) || (reflection.flags.isExternal && !keep.has(reflection.name)))
      ) {
        project.removeReflection(reflection)
      }
    }
  })
  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
    for (const reflection of Object.values(context.project.reflections)) {
      reflection.inheritedFrom = undefined
      if (keep.has(reflection.name) && reflection.parent?.kindOf(ReflectionKind.Class) && !reflection.hasComment()) {
        reflection.comment = new Comment([{ kind: "text", text: layerDescriptions[reflection.name] }])
      }
      // A Schema class's field "defaults" to its schema (`= Schema.String`), which is no default at all.
      if (reflection.kindOf(ReflectionKind.Property)) reflection.defaultValue = undefined
      for (const signature of reflection.signatures ?? []) signature.inheritedFrom = undefined
      if (reflection.kindOf(ReflectionKind.Class)) reflection.extendedTypes = reflection.typeHierarchy = undefined
      if (
        reflection.kindOf(exported) && reflection.parent?.kindOf(ReflectionKind.SomeModule | ReflectionKind.Project) &&
        !since(reflection)
      ) {
        app.logger.error(`${reflection.getFriendlyFullName()} has no @since`)
      }
    }
  }, -100) // after TypeDoc's own plugins, which fill these in
}

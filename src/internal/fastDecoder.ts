/**
 * A fast decoder for the happy path, compiled from a schema's AST: for input the schema accepts it
 * builds the same value as `Schema.decodeUnknown(schema, { errors: "all" })`, without the parser's
 * Either/Effect plumbing and issue bookkeeping; for anything else it gives up (`Invalid`), so the caller
 * falls back to the schema and gets the schema's exact errors.
 *
 * It follows `effect/ParseResult` node by node (the same checks in the same order, the same output
 * objects) and calls the schema's own functions wherever the schema has them: refinement filters,
 * transformation and declaration decoders, property signature transformations, constructor defaults.
 * Three shortcuts keep it fast, each equivalent to what it replaces:
 *
 * - `Schema.DateTimeUtc` (recognised by identity) is `DateTime.unsafeMake` on a string, as its decoder is.
 * - A struct whose property transformations each keep their key (`optionalWith`, `optionalToRequired`)
 *   is decoded in one pass, key by key, instead of encoded side, transformation, type side; a type side
 *   equal to the encoded side's type is not checked again (a decoded value always satisfies it).
 * - A `Schema.Class` whose constructor only assigns its fields (checked once, on a probe instance) is
 *   built by assigning the decoded fields to an object with the class's prototype, as its constructor
 *   would, constructor defaults included.
 *
 * Structs, classes and unions are compiled to JavaScript source (`new Function`) with each key's name
 * as a literal, so property reads and writes are named accesses that V8 caches and objects keep fast
 * properties (a loop's `input[name]` is a megamorphic lookup, and more than a dozen keys added by a
 * keyed store turn an object into a dictionary). Where code cannot be generated (a content security
 * policy, a worker runtime that forbids it), the same checks run as loops over closures.
 *
 * Nodes it does not handle (suspended, template literals, enums, tuples with fixed elements, unions that
 * narrow by a literal key, symbol keys, non-string index keys) make `compile` return `undefined`; a
 * decoder or filter that answers with an effect that is not an `Either` makes that input `Invalid`.
 *
 * @since 0.2.0
 * @internal
 */
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"
import * as IsoTimestamp from "./isoTimestamp.js"

/**
 * What a compiled decoder returns when the input is not on the happy path.
 *
 * @since 0.2.0
 * @category Constants
 * @internal
 */
export const Invalid: unique symbol = Symbol.for("effect-instantly/internal/fastDecoder/Invalid")

type Parser = (input: unknown) => unknown

/**
 * An annotation for a transformation (`transformOrFail`): a predicate on its encoded side's decoded value
 * that holds only where the transformation's decode would return that value unchanged, so the fast
 * decoder skips the call there (e.g. a timestamp already in its canonical form).
 *
 * @since 0.2.0
 * @category Annotations
 * @internal
 */
export const IdentityWhen: unique symbol = Symbol.for("effect-instantly/internal/fastDecoder/IdentityWhen")

/**
 * The parsers that only check their input and return it unchanged (keywords, literals, unions of them),
 * with the check as JavaScript source over a variable, for generated code to inline.
 */
const checks = new WeakMap<Parser, (variable: string) => string>()

/** `parser`, known to be the check `source` (see `checks`). */
const checking = (source: (variable: string) => string, parser: Parser): Parser => {
  checks.set(parser, source)
  return parser
}

/** Whether generated code may be used (`setCodeGeneration`, for the tests of the loops). */
let codeGeneration = true

/**
 * Turns code generation off (or on again) for the decoders compiled afterwards, which then run as
 * loops over closures, as where `new Function` is forbidden.
 *
 * @since 0.2.0
 * @category Testing
 * @internal
 */
export const setCodeGeneration = (enabled: boolean): void => {
  codeGeneration = enabled
}

/**
 * A function compiled from `body`, with `bindings` in scope (name -> value); `undefined` when code
 * generation is off or forbidden.
 */
const generate = <F>(bindings: Record<string, unknown>, body: ReadonlyArray<string>): F | undefined => {
  if (!codeGeneration) return undefined
  try {
    const names = Object.keys(bindings)
    const factory = new Function(...names, `"use strict"\nreturn function(input) {\n${body.join("\n")}\n}`)
    return factory(...names.map((name) => bindings[name])) as F
  } catch {
    return undefined
  }
}

/** `value = parser(value)` as generated code, failing the decode on `Invalid`; `parsers` holds the parser at `index`. */
const parseInto = (parser: Parser, ref: string): string => {
  const check = checks.get(parser)
  return check === undefined
    ? `value = ${ref}(value); if (value === Invalid) return Invalid`
    : `if (!(${check("value")})) return Invalid`
}

/** A JavaScript literal of `value` that is `===` to it, if there is one. */
const literalSource = (value: AST.LiteralValue): string | undefined =>
  typeof value === "string" || typeof value === "boolean" || value === null
    ? JSON.stringify(value)
    : typeof value === "number" && Number.isFinite(value) && !Object.is(value, -0)
    ? String(value)
    : undefined

const options: AST.ParseOptions = { errors: "all" }

const rightPrototype = Object.getPrototypeOf(Either.right(undefined)) as object

/** The value of a synchronous parse result, or `Invalid` for a failure or an effect that is not an `Either`. */
const fromResult = (result: unknown): unknown =>
  typeof result === "object" && result !== null && Object.getPrototypeOf(result) === rightPrototype
    ? (result as Either.Right<unknown, unknown>).right
    : Invalid

const hasOwn = (input: object, key: PropertyKey): boolean => Object.prototype.hasOwnProperty.call(input, key)

const isRecord = (input: unknown): input is Record<PropertyKey, unknown> =>
  typeof input === "object" && input !== null && !Array.isArray(input)

const dateTimeUtcAST = Schema.DateTimeUtc.ast

/**
 * The epoch milliseconds of an ISO string ending in `Z`, as `Date.parse` reads it: by arithmetic in the form
 * Instantly sends (`YYYY-MM-DDTHH:mm:ss.sssZ`), by `Date.parse` otherwise.
 */
const parseIsoMillis = (text: string): number => IsoTimestamp.canonicalMillis(text) ?? Date.parse(text)

/** The prototype of `DateTime.Utc` values, and how `DateTime` adds their cache of calendar parts. */
const utcPrototype = Object.getPrototypeOf(DateTime.unsafeMake(0)) as object
const partsUtc: PropertyDescriptor = { value: undefined, enumerable: false, writable: true }

/** The `DateTime.Utc` of `millis`, built as `DateTime`'s own constructor builds it (without a `Date`). */
const utcOf = (millis: number): DateTime.Utc => {
  const self = Object.create(utcPrototype) as { epochMillis: number }
  self.epochMillis = millis
  Object.defineProperty(self, "partsUtc", partsUtc)
  return self as unknown as DateTime.Utc
}

/** The same own keys with the same descriptors, and the same prototype. */
const sameShape = (a: object, b: object): boolean =>
  Object.getPrototypeOf(a) === Object.getPrototypeOf(b) &&
  JSON.stringify(Object.getOwnPropertyDescriptors(a)) === JSON.stringify(Object.getOwnPropertyDescriptors(b)) &&
  Reflect.ownKeys(a).join() === Reflect.ownKeys(b).join()

/** `utcOf` where it builds what `DateTime` does in this version of effect (checked once), else `DateTime`'s. */
const makeUtc: (millis: number) => DateTime.Utc = sameShape(utcOf(1), DateTime.unsafeMake(1))
  ? utcOf
  : (millis) => DateTime.unsafeFromDate(new Date(millis))

/**
 * `Schema.DateTimeUtc`: a string, made a `DateTime.Utc` by `DateTime.unsafeMake` (which throws on a bad
 * date). A string ending in `Z` has a zone, so `unsafeMake` reads it as `new Date(input)` does, which
 * is `Date.parse`: the same epoch milliseconds, here without its zone-sniffing regular expression.
 */
const dateTimeUtc: Parser = (input) => {
  if (typeof input !== "string") return Invalid
  if (input.charCodeAt(input.length - 1) === 90) {
    const millis = parseIsoMillis(input)
    return Number.isNaN(millis) ? Invalid : makeUtc(millis)
  }
  try {
    return DateTime.unsafeMake(input)
  } catch {
    return Invalid
  }
}

/** Whether a union member would be picked by a literal-valued key (`ParseResult`'s search tree): not handled. */
const hasLiteralKey = (member: AST.AST): boolean => {
  const encoded = AST.encodedAST(member)
  if (AST.isTypeLiteral(encoded)) {
    return encoded.propertySignatures.some((ps) => !ps.isOptional && AST.isLiteral(AST.encodedAST(ps.type)))
  }
  if (AST.isTupleType(encoded)) {
    return encoded.elements.some((e) => !e.isOptional && AST.isLiteral(AST.encodedAST(e.type)))
  }
  return false
}

/** Whether two lists of AST nodes are the same nodes in the same order. */
const sameMembers = (a: ReadonlyArray<AST.AST>, b: ReadonlyArray<AST.AST>): boolean =>
  a.length === b.length && a.every((node, i) => node === b[i])

/** The members of a union with nested unions spliced in, in order (the first that succeeds wins either way). */
const flatten = (types: ReadonlyArray<AST.AST>): Array<AST.AST> =>
  types.flatMap((member) => AST.isUnion(member) ? flatten(member.types) : [member])

const union = (ast: AST.Union): Parser | undefined => {
  const members = flatten(ast.types)
  if (members.some(hasLiteralKey)) return undefined
  const parsers: Array<Parser | undefined> = []
  const literals: Array<AST.LiteralValue> = []
  for (const member of members) {
    if (AST.isLiteral(member)) {
      parsers.push(undefined)
      literals.push(member.literal)
    } else {
      const parser = go(member)
      if (parser === undefined) return undefined
      parsers.push(parser)
      literals.push(null)
    }
  }
  // Each member as generated code: a check that returns the input, or a parser whose success returns.
  const sources = members.map((_, i) => {
    const parser = parsers[i]
    if (parser === undefined) {
      const literal = literalSource(literals[i]!)
      return literal === undefined ? undefined : { check: (v: string) => `${v} === ${literal}` }
    }
    const check = checks.get(parser)
    return check === undefined ? { parse: i } : { check }
  })
  if (sources.every((source) => source !== undefined && "check" in source)) {
    const checks = sources as ReadonlyArray<{ readonly check: (v: string) => string }>
    const source = (v: string) => `(${checks.map(({ check }) => check(v)).join(" || ")})`
    const parser = generate<Parser>({ Invalid }, [`return ${source("input")} ? input : Invalid`])
    if (parser !== undefined) return checking(source, parser)
  }
  if (sources.every((source) => source !== undefined)) {
    const body = sources.map((source) =>
      "check" in source!
        ? `if (${source.check("input")}) return input`
        : `value = parsers[${source.parse}](input); if (value !== Invalid) return value`
    )
    const parser = generate<Parser>({ Invalid, parsers }, ["let value", ...body, "return Invalid"])
    if (parser !== undefined) return parser
  }
  const count = members.length
  return (input) => {
    for (let i = 0; i < count; i++) {
      const parser = parsers[i]
      if (parser === undefined) {
        if (input === literals[i]) return input
        continue
      }
      const value = parser(input)
      if (value !== Invalid) return value
    }
    return Invalid
  }
}

const typeLiteral = (ast: AST.TypeLiteral): Parser | undefined => {
  if (ast.propertySignatures.length === 0 && ast.indexSignatures.length === 0) {
    return (input) => input === null || input === undefined ? Invalid : input
  }
  const names: Array<string> = []
  const optional: Array<boolean> = []
  const parsers: Array<Parser> = []
  for (const ps of ast.propertySignatures) {
    const parser = go(ps.type)
    if (typeof ps.name !== "string" || parser === undefined) return undefined
    names.push(ps.name)
    optional.push(ps.isOptional)
    parsers.push(parser)
  }
  const expected = new Set<string>(names)
  const indexParsers: Array<Parser> = []
  for (const is of ast.indexSignatures) {
    const parser = go(is.type)
    if (is.parameter._tag !== "StringKeyword" || parser === undefined) return undefined
    indexParsers.push(parser)
  }
  const count = names.length
  const body = ["if (!isRecord(input)) return Invalid", "const output = {}", "let value"]
  names.forEach((name, i) => {
    const key = JSON.stringify(name)
    const parse = parseInto(parsers[i]!, `parsers[${i}]`)
    body.push(
      optional[i]
        ? `if (hasOwn(input, ${key})) { value = input[${key}]; ${parse}; output[${key}] = value }`
        : `value = input[${key}]; ${parse}; output[${key}] = value`
    )
  })
  if (indexParsers.length > 0) {
    body.push(
      "for (const parser of indexParsers) for (const key of Object.keys(input)) {",
      "value = parser(input[key]); if (value === Invalid) return Invalid; if (!expected.has(key)) output[key] = value }"
    )
  }
  body.push("return output")
  const generated = generate<Parser>({ Invalid, isRecord, hasOwn, parsers, indexParsers, expected }, body)
  if (generated !== undefined) return generated
  return (input) => {
    if (!isRecord(input)) return Invalid
    const output: Record<string, unknown> = {}
    for (let i = 0; i < count; i++) {
      const name = names[i]!
      if (optional[i] && !hasOwn(input, name)) continue
      const value = parsers[i]!(input[name])
      if (value === Invalid) return Invalid
      output[name] = value
    }
    for (const parser of indexParsers) {
      for (const key of Object.keys(input)) {
        const value = parser(input[key])
        if (value === Invalid) return Invalid
        if (!expected.has(key)) output[key] = value
      }
    }
    return output
  }
}

/** One key of a struct decoded in one pass: encoded side, its property transformation, type side. */
interface Field {
  readonly name: string
  /** Whether `Object.prototype` has a property of that name (then presence needs `hasOwn`). */
  readonly inherited: boolean
  readonly optional: boolean
  readonly parse: Parser
  readonly transform: AST.PropertySignatureTransformation | undefined
  readonly toOptional: boolean
  /** The type side's check, unless the decoded value is known to pass it. */
  readonly check: Parser | undefined
  /**
   * Whether the check can be skipped when the transformation kept the parsed value as it was: the type
   * side is the encoded side's type without `undefined`, which that value (if not `undefined`) satisfies.
   */
  readonly checkChangedOnly: boolean
}

/**
 * A struct with property transformations that each keep their key, decoded key by key into
 * `make()`: per key, what `ParseResult` does over the encoded side, the transformation, then the type
 * side. `undefined` when the struct is not of that shape.
 */
const fusedStruct = (
  ast: AST.Transformation,
  prototype: object | null,
  defaults: ReadonlyArray<readonly [string, () => unknown]> = []
): ((input: unknown) => Record<string, unknown> | typeof Invalid) | undefined => {
  const { from, to, transformation } = ast
  if (
    !AST.isTypeLiteral(from) || !AST.isTypeLiteral(to) || !AST.isTypeLiteralTransformation(transformation) ||
    from.indexSignatures.length > 0 || to.indexSignatures.length > 0 ||
    from.propertySignatures.length !== to.propertySignatures.length ||
    transformation.propertySignatureTransformations.some((pst) => pst.from !== pst.to)
  ) return undefined
  const fields: Array<Field> = []
  for (let i = 0; i < to.propertySignatures.length; i++) {
    const toPs = to.propertySignatures[i]!
    const fromPs = from.propertySignatures[i]!
    if (typeof toPs.name !== "string" || fromPs.name !== toPs.name) return undefined
    const parse = go(fromPs.type)
    if (parse === undefined) return undefined
    const transform = transformation.propertySignatureTransformations.find((pst) => pst.from === toPs.name)
    const fromType = AST.typeAST(fromPs.type)
    const checked = transform !== undefined || toPs.type !== fromType
    const check = checked ? go(toPs.type) : undefined
    if (checked && check === undefined) return undefined
    fields.push({
      name: toPs.name,
      inherited: toPs.name in Object.prototype,
      optional: fromPs.isOptional,
      parse,
      transform,
      toOptional: toPs.isOptional,
      check,
      checkChangedOnly: sameMembers(flatten([toPs.type]), flatten([fromType]).filter((m) => !AST.isUndefinedKeyword(m)))
    })
  }
  return generatedStruct(fields, prototype, defaults) ?? ((input) => {
    if (!isRecord(input)) return Invalid
    const output: Record<string, unknown> = prototype === null ? {} : Object.create(prototype)
    for (const field of fields) {
      const name = field.name
      let value = input[name]
      // Encoded side: an optional key that is absent stays absent; any other is parsed (absent: `undefined`).
      let kept = (value !== undefined && !field.inherited) || hasOwn(input, name) || !field.optional
      if (kept) {
        value = field.parse(value)
        if (value === Invalid) return Invalid
      }
      let unchanged = false
      if (field.transform !== undefined) {
        const o = field.transform.decode(kept ? Option.some(value) : Option.none())
        const transformed = Option.isSome(o) ? o.value : undefined
        unchanged = kept && transformed === value && value !== undefined
        kept = Option.isSome(o)
        value = transformed
      }
      // Type side: the same for the transformed value.
      if (!kept && field.toOptional) continue
      if (field.check !== undefined && !(unchanged && field.checkChangedOnly)) {
        value = field.check(value)
        if (value === Invalid) return Invalid
      }
      output[name] = value
    }
    for (const [key, defaultValue] of defaults) {
      if (output[key] === undefined) output[key] = defaultValue()
    }
    return output
  })
}

/**
 * The loop of `fusedStruct` as generated code: one block per key, its name a literal and its flags
 * folded; then the constructor defaults, as `classDecoder` applies them.
 */
const generatedStruct = (
  fields: ReadonlyArray<Field>,
  prototype: object | null,
  defaults: ReadonlyArray<readonly [string, () => unknown]>
): ((input: unknown) => Record<string, unknown> | typeof Invalid) | undefined => {
  const body = [
    "if (!isRecord(input)) return Invalid",
    prototype === null ? "const output = {}" : "const output = Object.create(prototype)",
    "let value, kept, unchanged, o"
  ]
  fields.forEach((field, i) => {
    const key = JSON.stringify(field.name)
    body.push(`k${i}: {`, `value = input[${key}]`)
    // Encoded side: an optional key that is absent stays absent; any other is parsed (absent: `undefined`).
    if (field.optional) {
      body.push(
        `kept = ${field.inherited ? "" : "value !== undefined || "}hasOwn(input, ${key})`,
        `if (kept) { ${parseInto(field.parse, `fields[${i}].parse`)} }`
      )
    } else {
      body.push("kept = true", parseInto(field.parse, `fields[${i}].parse`))
    }
    if (field.transform !== undefined) {
      body.push(
        `o = fields[${i}].transform.decode(kept ? Option.some(value) : Option.none())`,
        "if (Option.isSome(o)) { unchanged = kept && o.value === value && value !== undefined; kept = true; " +
          "value = o.value } else { unchanged = false; kept = false; value = undefined }"
      )
    } else {
      body.push("unchanged = false")
    }
    // Type side: the same for the transformed value.
    if (field.toOptional) body.push(`if (!kept) break k${i}`)
    if (field.check !== undefined) {
      const check = parseInto(field.check, `fields[${i}].check`)
      body.push(field.checkChangedOnly ? `if (!unchanged) { ${check} }` : check)
    }
    body.push(`output[${key}] = value`, "}")
  })
  defaults.forEach(([key], i) => {
    body.push(`if (output[${JSON.stringify(key)}] === undefined) output[${JSON.stringify(key)}] = defaults[${i}][1]()`)
  })
  body.push("return output")
  return generate({ Invalid, isRecord, hasOwn, Option, fields, prototype, defaults }, body)
}

const transformation = (ast: AST.Transformation): Parser | undefined => {
  if (ast === dateTimeUtcAST) return dateTimeUtc
  const kind = ast.transformation
  if (AST.isTypeLiteralTransformation(kind)) {
    const fused = fusedStruct(ast, null)
    if (fused !== undefined) return fused
  }
  const from = go(ast.from)
  const to = go(ast.to)
  if (from === undefined || to === undefined) return undefined
  switch (kind._tag) {
    case "ComposeTransformation":
      return (input) => {
        const a = from(input)
        return a === Invalid ? Invalid : to(a)
      }
    case "FinalTransformation": {
      const identityWhen = ast.annotations[IdentityWhen] as ((a: unknown) => boolean) | undefined
      if (identityWhen !== undefined) {
        return (input) => {
          const a = from(input)
          if (a === Invalid) return Invalid
          const b = identityWhen(a) ? a : fromResult(kind.decode(a, options, ast, input))
          return b === Invalid ? Invalid : to(b)
        }
      }
      return (input) => {
        const a = from(input)
        if (a === Invalid) return Invalid
        const b = fromResult(kind.decode(a, options, ast, input))
        return b === Invalid ? Invalid : to(b)
      }
    }
    case "TypeLiteralTransformation": {
      const psts = kind.propertySignatureTransformations
      return (input) => {
        const a = from(input) as Record<PropertyKey, unknown> | typeof Invalid
        if (a === Invalid) return Invalid
        for (const pst of psts) {
          const o = pst.decode(hasOwn(a, pst.from) ? Option.some(a[pst.from]) : Option.none())
          delete a[pst.from]
          if (Option.isSome(o)) a[pst.to] = o.value
        }
        return to(a)
      }
    }
  }
}

const go = (ast: AST.AST): Parser | undefined => {
  switch (ast._tag) {
    case "StringKeyword":
      return checking((v) => `typeof ${v} === "string"`, (input) => typeof input === "string" ? input : Invalid)
    case "NumberKeyword":
      return checking((v) => `typeof ${v} === "number"`, (input) => typeof input === "number" ? input : Invalid)
    case "BooleanKeyword":
      return checking((v) => `typeof ${v} === "boolean"`, (input) => typeof input === "boolean" ? input : Invalid)
    case "UndefinedKeyword":
      return checking((v) => `${v} === undefined`, (input) => input === undefined ? input : Invalid)
    case "UnknownKeyword":
    case "AnyKeyword":
      return checking(() => "true", (input) => input)
    case "Literal": {
      const literal = ast.literal
      const parser: Parser = (input) => input === literal ? input : Invalid
      const source = literalSource(literal)
      return source === undefined ? parser : checking((v) => `${v} === ${source}`, parser)
    }
    case "Union":
      return union(ast)
    case "Refinement": {
      const from = go(ast.from)
      if (from === undefined) return undefined
      return (input) => {
        const a = from(input)
        return a === Invalid || Option.isSome(ast.filter(a, options, ast)) ? Invalid : a
      }
    }
    case "Declaration": {
      const decode = ast.decodeUnknown(...ast.typeParameters)
      return (input) => fromResult(decode(input, options, ast))
    }
    case "TupleType": {
      if (ast.elements.length > 0 || ast.rest.length !== 1) return undefined
      const rest = go(ast.rest[0]!.type)
      if (rest === undefined) return undefined
      return (input) => {
        if (!Array.isArray(input)) return Invalid
        const output: Array<unknown> = new Array(input.length)
        for (let i = 0; i < input.length; i++) {
          const value = rest(input[i])
          if (value === Invalid) return Invalid
          output[i] = value
        }
        return output
      }
    }
    case "TypeLiteral":
      return typeLiteral(ast)
    case "Transformation":
      return transformation(ast)
    default:
      return undefined
  }
}

/** A `Schema.Class`: its constructor and fields. */
interface ClassSchema {
  new(props: Record<string, unknown>, options: true): object
  readonly fields: Schema.Struct.Fields
  readonly ast: AST.AST
}

const isClassSchema = (schema: unknown): schema is ClassSchema =>
  typeof schema === "function" && "fields" in schema && "ast" in schema &&
  AST.isTransformation(schema.ast as AST.AST) && AST.isDeclaration((schema.ast as AST.Transformation).to)

/** The constructor defaults of a class's fields, as its constructor applies them (`lazilyMergeDefaults`). */
const constructorDefaults = (fields: Schema.Struct.Fields): Array<readonly [string, () => unknown]> =>
  Object.entries(fields).flatMap(([key, field]) => {
    if (!Schema.isPropertySignature(field)) return []
    const ast = field.ast
    const defaultValue = ast._tag === "PropertySignatureDeclaration" ? ast.defaultValue : ast.to.defaultValue
    return defaultValue === undefined ? [] : [[key, defaultValue] as const]
  })

/**
 * A `Schema.Class` built without its constructor, when that constructor only assigns the fields
 * (with defaults): a probe instance made from no fields holds exactly the defaulted keys.
 */
const classDecoder = (schema: ClassSchema): Parser | undefined => {
  const outer = schema.ast as AST.Transformation
  if (!AST.isTransformation(outer.from)) return undefined
  const defaults = constructorDefaults(schema.fields)
  const probe = new schema({}, true)
  if (
    Object.getPrototypeOf(probe) !== schema.prototype ||
    Reflect.ownKeys(probe).join("\u0000") !== defaults.map(([key]) => key).join("\u0000")
  ) return undefined
  return fusedStruct(outer.from, schema.prototype as object, defaults)
}

/**
 * Compiles `schema` into a decoder that returns what `Schema.decodeUnknown(schema, { errors: "all" })`
 * would succeed with, or `Invalid` whenever that would not be a plain success; `undefined` when the
 * schema uses a node this module does not handle.
 *
 * @since 0.2.0
 * @category Constructors
 * @internal
 */
export const compile = <A, I>(
  schema: Schema.Schema<A, I, never>
): ((input: unknown) => A | typeof Invalid) | undefined => {
  try {
    return ((isClassSchema(schema) ? classDecoder(schema) : undefined) ?? go(schema.ast)) as
      | ((input: unknown) => A | typeof Invalid)
      | undefined
  } catch {
    // A class whose constructor throws on the probe, say: the schema decodes it.
    return undefined
  }
}

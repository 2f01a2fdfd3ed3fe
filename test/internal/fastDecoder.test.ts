/**
 * The generic fast decoder on small schemas, for the shapes `Lead` does not have: classes whose
 * constructor does more than assign fields, renamed keys, effectful decoders, and the nodes it leaves
 * to the schema.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as FastDecoder from "../../src/internal/fastDecoder.js"

/** `FastDecoder.compile`, with code generation on or off (the loops used where `new Function` is forbidden). */
const compileWith = (generate: boolean) => <A, I>(schema: Schema.Schema<A, I>) => {
  FastDecoder.setCodeGeneration(generate)
  try {
    return FastDecoder.compile(schema)
  } finally {
    FastDecoder.setCodeGeneration(true)
  }
}

describe.each([["generated code", true], ["loops", false]] as const)("FastDecoder.compile, %s", (_, generate) => {
  const compile = compileWith(generate)

  /** Fast and schema agree on `input`: the same value (prototype included), or the schema fails and fast gives up. */
  const expectAgrees = <A, I>(schema: Schema.Schema<A, I>, input: unknown) => {
    const fast = compile(schema)
    expect(fast).toBeDefined()
    const result = Schema.decodeUnknownEither(schema, { errors: "all" })(input)
    const value = fast!(input)
    if (Either.isRight(result)) expect(value).toStrictEqual(result.right)
    else expect(value).toBe(FastDecoder.Invalid)
    return value
  }

  class Plain extends Schema.Class<Plain>("Plain")({
    a: Schema.String,
    b: Schema.optionalWith(Schema.Number, { default: () => 7 }),
    c: Schema.optional(Schema.Boolean).pipe(Schema.withConstructorDefault(() => true))
  }) {}

  class WithInitializer extends Schema.Class<WithInitializer>("WithInitializer")({ a: Schema.String }) {
    readonly shout = this.a.toUpperCase()
  }

  describe("schemas", () => {
    it("a class: defaults and constructor defaults applied as its constructor does", () => {
      for (const input of [{ a: "x" }, { a: "x", b: 1, c: false }, { a: "x", c: undefined }, { a: 1 }, null]) {
        expectAgrees(Plain, input)
      }
      expect(expectAgrees(Plain, { a: "x" })).toBeInstanceOf(Plain)
    })

    it("a class whose constructor does more than assign its fields is built by its constructor", () => {
      expect(expectAgrees(WithInitializer, { a: "x" })).toMatchObject({ shout: "X" })
    })

    it("renamed keys, refinements and records decode as with the schema", () => {
      const schema = Schema.Struct({
        renamed: Schema.propertySignature(Schema.String).pipe(Schema.fromKey("wire_name")),
        positive: Schema.Number.pipe(Schema.positive()),
        tags: Schema.Record({ key: Schema.String, value: Schema.Array(Schema.Number) })
      })
      expectAgrees(schema, { wire_name: "x", positive: 1, tags: { a: [1, 2] } })
      expectAgrees(schema, { wire_name: "x", positive: -1, tags: {} })
      expectAgrees(schema, { renamed: "x", positive: 1, tags: {} })
    })

    it("keys that need quoting in code, or that Object.prototype has, decode as with the schema", () => {
      const schema = Schema.Struct({
        "quote\"d\\key\n": Schema.String,
        toString: Schema.optional(Schema.Number),
        "with default": Schema.optionalWith(Schema.String, { default: () => "made" })
      })
      for (
        const input of [
          { "quote\"d\\key\n": "x" },
          { "quote\"d\\key\n": "x", toString: 1, "with default": "given" },
          { "quote\"d\\key\n": 1 },
          { toString: 1 }
        ]
      ) expectAgrees(schema, input)
    })

    it("a decoder that answers with an effect is left to the schema", () => {
      const schema = Schema.transformOrFail(Schema.String, Schema.Number, {
        strict: true,
        decode: (s) => Effect.succeed(s.length),
        encode: (n) => ParseResult.succeed(String(n))
      })
      expect(compile(schema)!("abc")).toBe(FastDecoder.Invalid)
    })

    it("nodes it does not handle leave the whole schema to the schema decoder", () => {
      const tagged = Schema.Union(
        Schema.Struct({ _tag: Schema.Literal("a"), a: Schema.String }),
        Schema.Struct({ _tag: Schema.Literal("b") })
      )
      expect(compile(tagged)).toBeUndefined()
      expect(compile(Schema.suspend(() => Schema.String))).toBeUndefined()
      expect(compile(Schema.TemplateLiteral("id-", Schema.Number))).toBeUndefined()
    })
  })
})

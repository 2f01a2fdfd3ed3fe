/**
 * Checks `src/Lead.ts` against the OpenAPI extract in `test/fixtures/openapi-leads.json`, property by property,
 * so that re-extracting a changed spec shows up as failing tests.
 */
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { ErrorEnvelope } from "../src/InstantlyError.js"
import {
  type AnyKnownEnum,
  describeValue,
  EnrichmentStatus,
  enumEntries,
  EsgCode,
  EspCode,
  InterestStatus,
  LastStepFields,
  Lead,
  LeadStatus,
  MoveToSubsequenceRequest,
  RemoveFromSubsequenceRequest,
  StatusSummary,
  StatusSummarySubsequenceFields,
  UploadMethod,
  VerificationStatus
} from "../src/Lead.js"

// -----------------------------------------------------------------------------
// The fixture, decoded with a schema for the parts of OpenAPI we read
// -----------------------------------------------------------------------------

interface SpecSchema {
  readonly $ref?: string | undefined
  readonly type?: string | ReadonlyArray<string> | undefined
  readonly format?: string | undefined
  readonly enum?: ReadonlyArray<string | number> | undefined
  readonly "x-enumDescriptions"?: { readonly [value: string]: string } | undefined
  readonly example?: unknown
  readonly properties?: { readonly [key: string]: SpecSchema } | undefined
  readonly required?: ReadonlyArray<string> | undefined
}

const SpecSchema: Schema.Schema<SpecSchema> = Schema.Struct({
  $ref: Schema.optional(Schema.String),
  type: Schema.optional(Schema.Union(Schema.String, Schema.Array(Schema.String))),
  format: Schema.optional(Schema.String),
  enum: Schema.optional(Schema.Array(Schema.Union(Schema.String, Schema.Number))),
  "x-enumDescriptions": Schema.optional(Schema.Record({ key: Schema.String, value: Schema.String })),
  example: Schema.optional(Schema.Unknown),
  properties: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.suspend(() => SpecSchema) })),
  required: Schema.optional(Schema.Array(Schema.String))
})

const JsonContent = Schema.Struct({ "application/json": Schema.Struct({ schema: SpecSchema }) })

const Operation = Schema.Struct({
  operationId: Schema.String,
  parameters: Schema.optional(Schema.Array(Schema.Struct({
    in: Schema.String,
    name: Schema.String,
    required: Schema.optional(Schema.Boolean)
  }))),
  requestBody: Schema.optional(Schema.Struct({ required: Schema.optional(Schema.Boolean), content: JsonContent })),
  responses: Schema.Record({ key: Schema.String, value: Schema.Struct({ content: Schema.optional(JsonContent) }) })
})

const Fixture = Schema.Struct({
  openapi: Schema.String,
  info: Schema.Struct({ title: Schema.String, version: Schema.String }),
  paths: Schema.Record({ key: Schema.String, value: Schema.Record({ key: Schema.String, value: Operation }) }),
  components: Schema.Struct({ schemas: Schema.Struct({ Lead: SpecSchema }) })
})

const fixture = Schema.decodeUnknownSync(Fixture)(
  JSON.parse(readFileSync(fileURLToPath(new URL("./fixtures/openapi-leads.json", import.meta.url)), "utf8"))
)
const LeadSpec = fixture.components.schemas.Lead
const specProperties = Object.entries(LeadSpec.properties ?? {})
const specRequired = new Set(LeadSpec.required ?? [])

const types = (schema: SpecSchema): ReadonlyArray<string> =>
  schema.type === undefined ? [] : typeof schema.type === "string" ? [schema.type] : schema.type
const isNullable = (schema: SpecSchema) => types(schema).includes("null")

const exampleOf = (schema: SpecSchema): unknown =>
  schema.example !== undefined
    ? schema.example
    : Object.fromEntries(Object.entries(schema.properties ?? {}).map(([key, value]) => [key, exampleOf(value)]))

/** A value of the wrong JSON type for a spec schema (null excluded: nullability is checked separately). */
const wrongTypeFor = (schema: SpecSchema): unknown => {
  const [type] = types(schema).filter((type) => type !== "null")
  switch (type) {
    case "string":
      return 42
    case "number":
      return "42"
    case "boolean":
      return "true"
    case "object":
      return "not an object"
    default:
      throw new Error(`no wrong value for spec type ${String(type)}`)
  }
}

const minimalLead: Record<string, unknown> = Object.fromEntries(
  specProperties.filter(([name]) => specRequired.has(name)).map(([name, schema]) => [name, exampleOf(schema)])
)

const decode = Schema.decodeUnknownEither(Lead)
const encode = Schema.encodeSync(Lead)

const decodeField = (name: string, value: unknown): Either.Either<unknown, ParseResult.ParseError> =>
  Either.map(decode({ ...minimalLead, [name]: value }), (lead) => (lead as unknown as Record<string, unknown>)[name])

const failurePaths = (error: ParseResult.ParseError) =>
  ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => issue.path.join("."))

/** Our constants for every spec property with an `enum`. */
const enums: Record<string, AnyKnownEnum> = {
  status: LeadStatus,
  lt_interest_status: InterestStatus,
  verification_status: VerificationStatus,
  enrichment_status: EnrichmentStatus,
  esp_code: EspCode,
  esg_code: EsgCode,
  upload_method: UploadMethod
}

// -----------------------------------------------------------------------------
// Tests
// -----------------------------------------------------------------------------

describe("Lead conforms to components.schemas.Lead", () => {
  it("has exactly the spec's properties", () => {
    expect(specProperties).toHaveLength(50)
    expect(Object.keys(Lead.fields).sort()).toStrictEqual(specProperties.map(([name]) => name).sort())
  })

  it("the minimal lead (required properties only) decodes", () => {
    expect(specRequired.size).toBe(10)
    expect(Either.isRight(decode(minimalLead))).toBe(true)
  })

  describe.each(specProperties)("%s", (name, spec) => {
    const required = specRequired.has(name)
    const nullable = isNullable(spec)
    const example = exampleOf(spec)

    it(`is ${required ? "required" : "optional (missing decodes as null)"}`, () => {
      expect(Lead.fields).toHaveProperty(name)
      const { [name]: _, ...without } = { ...minimalLead, [name]: example }
      const result = decode(without)
      if (required) {
        expect(Either.isLeft(result)).toBe(true)
        if (Either.isLeft(result)) {
          expect(failurePaths(result.left)).toStrictEqual([name])
        }
      } else {
        expect(Either.getOrThrow(result)[name as keyof Lead]).toBeNull()
      }
    })

    it(
      nullable
        ? "accepts null and encodes it as null"
        : required
        ? "rejects null"
        : "accepts null but encodes it by omitting the key",
      () => {
        const result = decodeField(name, null)
        if (!nullable && required) {
          expect(Either.isLeft(result)).toBe(true)
          return
        }
        expect(Either.getOrThrow(result)).toBeNull()
        const encoded: Record<string, unknown> = encode(Either.getOrThrow(decode({ ...minimalLead, [name]: null })))
        if (nullable) {
          expect(encoded).toHaveProperty(name, null)
        } else {
          expect(encoded).not.toHaveProperty(name)
        }
        // and a missing key encodes the same way
        const withoutKey = Object.fromEntries(Object.entries(minimalLead).filter(([key]) => key !== name))
        expect(Object.hasOwn(encode(Either.getOrThrow(decode(withoutKey))), name)).toBe(nullable)
      }
    )

    const dateTime = spec.format === "date-time"
    it(`decodes its example ${dateTime ? "to a DateTime" : "(not a DateTime)"} and round-trips`, () => {
      const decoded = Either.getOrThrow(decodeField(name, example))
      expect(DateTime.isDateTime(decoded)).toBe(dateTime)
      const encoded: Record<string, unknown> = encode(Either.getOrThrow(decode({ ...minimalLead, [name]: example })))
      expect(encoded[name]).toStrictEqual(example)
    })

    it(`rejects a value of the wrong type (spec type ${JSON.stringify(spec.type)})`, () => {
      const result = decodeField(name, wrongTypeFor(spec))
      expect(Either.isLeft(result)).toBe(true)
      if (Either.isLeft(result)) {
        expect(failurePaths(result.left).every((path) => path === name)).toBe(true)
      }
    })

    if (spec.enum !== undefined) {
      it("is an open enum whose constants match the spec's values and descriptions", () => {
        const known = enums[name]
        expect(known, `no constants for enum property ${name}`).toBeDefined()
        if (known === undefined) return
        const specValues = spec.enum ?? []
        for (const value of specValues) {
          expect(Either.getOrThrow(decodeField(name, value))).toBe(value)
        }
        const entries = enumEntries(known)
        expect(entries.map((entry) => entry.value).sort()).toStrictEqual([...specValues].sort())
        expect(
          Object.fromEntries(entries.map((entry) => [String(entry.value), entry.description]))
        ).toStrictEqual(spec["x-enumDescriptions"])
        for (const entry of entries) {
          expect((known as unknown as Record<string, unknown>)[entry.name]).toBe(entry.value)
          expect(describeValue(known, entry.value as never)).toStrictEqual(Option.some(entry.description))
        }
        const unknown = typeof specValues[0] === "number" ? 987654 : "not-in-the-spec"
        expect(Either.getOrThrow(decodeField(name, unknown))).toBe(unknown)
        expect(describeValue(known, unknown as never)).toStrictEqual(Option.none())
      })
    }
  })

  it("every enum property has constants, and every constants table is an enum property", () => {
    const specEnums = specProperties.filter(([, spec]) => spec.enum !== undefined).map(([name]) => name)
    expect(specEnums.sort()).toStrictEqual(Object.keys(enums).sort())
  })

  describe("nested objects", () => {
    const nested = (name: string) => LeadSpec.properties?.[name] ?? {}
    const lastStepSpec = nested("status_summary").properties?.["lastStep"] ?? {}
    const cases = [
      ["status_summary", StatusSummary, nested("status_summary")],
      ["status_summary.lastStep", LastStepFields, lastStepSpec],
      ["status_summary_subseq", StatusSummarySubsequenceFields, nested("status_summary_subseq")]
    ] as const

    /** Decodes a lead with `value` at `path` (dot separated) and returns what decoding put there. */
    const decodeAt = (path: string, value: unknown) => {
      const keys = path.split(".")
      const input = structuredClone(minimalLead)
      let target: Record<string, unknown> = input
      for (const key of keys.slice(0, -1)) {
        target = (target[key] ??= {}) as Record<string, unknown>
      }
      target[keys[keys.length - 1]!] = value
      return Either.map(decode(input), (lead) => {
        let current: unknown = lead
        for (const key of keys) current = (current as Record<string, unknown> | undefined)?.[key]
        return { lead, value: current }
      })
    }

    describe.each(cases)("%s", (path, schema, spec) => {
      it("has exactly the spec's keys, none required", () => {
        expect(Object.keys(schema.fields).sort()).toStrictEqual(Object.keys(spec.properties ?? {}).sort())
        expect(spec.required ?? []).toStrictEqual([])
        expect(Either.getOrThrow(decodeAt(path, {})).value).toStrictEqual({})
      })

      const subProperties = Object.entries(spec.properties ?? {})
      it.each(subProperties)("%s: the example decodes, round-trips and keeps its key", (key, sub) => {
        const example = exampleOf(sub)
        const decoded = Either.getOrThrow(decodeAt(`${path}.${key}`, example))
        expect(DateTime.isDateTime(decoded.value)).toBe(sub.format === "date-time")
        // unknown keys are dropped, so surviving an encode proves the schema knows the key
        let encoded: unknown = encode(decoded.lead)
        for (const segment of [...path.split("."), key]) encoded = (encoded as Record<string, unknown>)[segment]
        expect(encoded).toStrictEqual(example)
        if (sub.properties === undefined) {
          expect(Either.isLeft(decodeAt(`${path}.${key}`, wrongTypeFor(sub)))).toBe(true)
        }
      })
    })
  })
})

describe("the lead operations in the spec", () => {
  const operation = (path: string, method: string, operationId: string) => {
    const op = fixture.paths[path]?.[method]
    expect(op?.operationId).toBe(operationId)
    return op!
  }
  const ops = [
    ["/api/v2/leads/subsequence/remove", "post", "removeLeadFromSubsequence", RemoveFromSubsequenceRequest.fields],
    ["/api/v2/leads/subsequence/move", "post", "moveLeadToSubsequence", MoveToSubsequenceRequest.fields],
    ["/api/v2/leads/{id}", "get", "getLead", undefined]
  ] as const

  describe.each(ops)("%s %s (%s)", (path, method, operationId, body) => {
    it(body === undefined ? "takes the id in the path and no body" : "requires exactly the body keys we send", () => {
      const op = operation(path, method, operationId)
      if (body === undefined) {
        expect(op.requestBody).toBeUndefined()
        expect(op.parameters).toStrictEqual([{ in: "path", name: "id", required: true }])
      } else {
        expect(op.requestBody?.required).toBe(true)
        const schema = op.requestBody?.content["application/json"].schema
        expect([...(schema?.required ?? [])].sort()).toStrictEqual(Object.keys(body).sort())
        expect(Object.keys(schema?.properties ?? {}).sort()).toStrictEqual(Object.keys(body).sort())
      }
    })

    it("declares 200 Lead and the 401/402/404/429 error envelope", () => {
      const op = operation(path, method, operationId)
      expect(Object.keys(op.responses).sort()).toStrictEqual(["200", "401", "402", "404", "429"])
      expect(op.responses["200"]?.content?.["application/json"].schema.$ref).toBe("#/components/schemas/Lead")
      for (const status of ["401", "402", "404", "429"]) {
        const schema = op.responses[status]?.content?.["application/json"].schema ?? {}
        const envelopeKeys = Object.keys(ErrorEnvelope.fields).sort()
        expect(Object.keys(schema.properties ?? {}).sort(), status).toStrictEqual(envelopeKeys)
        expect([...(schema.required ?? [])].sort(), status).toStrictEqual(envelopeKeys)
        const example = exampleOf(schema) as { statusCode: unknown }
        expect(Schema.decodeUnknownSync(ErrorEnvelope)(example)).toStrictEqual(example)
        expect(example.statusCode).toBe(Number(status))
        for (const [key, property] of Object.entries(schema.properties ?? {})) {
          const broken = { ...example, [key]: wrongTypeFor(property) }
          expect(Either.isLeft(Schema.decodeUnknownEither(ErrorEnvelope)(broken)), `${status} ${key}`).toBe(true)
        }
      }
    })
  })
})

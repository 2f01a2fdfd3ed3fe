import { describe, expect, expectTypeOf, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FastCheck from "effect/FastCheck"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { execFileSync } from "node:child_process"
import { existsSync, readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { ErrorEnvelope } from "../src/InstantlyError.js"
import {
  describeValue,
  EnrichmentStatus,
  EsgCode,
  EspCode,
  InterestStatus,
  Lead,
  LeadId,
  LeadStatus,
  MoveToSubsequenceRequest,
  RemoveFromSubsequenceRequest,
  SubsequenceId,
  type UnknownEnumValue,
  UploadMethod,
  VerificationStatus
} from "../src/Lead.js"

// -----------------------------------------------------------------------------
// Fixtures
// -----------------------------------------------------------------------------

const fixturePath = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))
const readJson = (path: string): unknown => JSON.parse(readFileSync(path, "utf8"))

interface SpecSchema {
  readonly type?: string | ReadonlyArray<string> | undefined
  readonly format?: string | undefined
  readonly example?: unknown
  readonly properties?: { readonly [key: string]: SpecSchema } | undefined
  readonly required?: ReadonlyArray<string> | undefined
}

const SpecSchema: Schema.Schema<SpecSchema> = Schema.Struct({
  type: Schema.optional(Schema.Union(Schema.String, Schema.Array(Schema.String))),
  format: Schema.optional(Schema.String),
  example: Schema.optional(Schema.Unknown),
  properties: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.suspend(() => SpecSchema) })),
  required: Schema.optional(Schema.Array(Schema.String))
})

const LeadSpec = Schema.decodeUnknownSync(
  Schema.Struct({ components: Schema.Struct({ schemas: Schema.Struct({ Lead: SpecSchema }) }) })
)(readJson(fixturePath("openapi-leads.json"))).components.schemas.Lead

const specProperties = Object.entries(LeadSpec.properties ?? {})
const specRequired = new Set(LeadSpec.required ?? [])

/** The spec's example for a property; objects without one are built from their properties' examples. */
const exampleOf = (schema: SpecSchema): unknown =>
  schema.example !== undefined
    ? schema.example
    : Object.fromEntries(Object.entries(schema.properties ?? {}).map(([key, value]) => [key, exampleOf(value)]))

const specExample = exampleOf(LeadSpec) as Record<string, unknown>
const minimalLead = Object.fromEntries(Object.entries(specExample).filter(([key]) => specRequired.has(key)))

const seed = readJson(fixturePath("lead-seed-example.json")) as Record<string, unknown>

const decodeEither = Schema.decodeUnknownEither(Lead)
const encode = Schema.encodeSync(Lead)

/** The paths (`["status_summary", "lastStep"]`) a decoding failure reports. */
const failurePaths = (input: unknown): ReadonlyArray<string> => {
  const result = decodeEither(input)
  if (Either.isRight(result)) {
    throw new Error("expected decoding to fail")
  }
  return ParseResult.ArrayFormatter.formatErrorSync(result.left).map((issue) => issue.path.join("."))
}

// -----------------------------------------------------------------------------
// Tests
// -----------------------------------------------------------------------------

describe("Lead", () => {
  describe("the seed page's example response", () => {
    it.effect("decodes with the expected values", () =>
      Effect.gen(function*() {
        const lead = yield* Schema.decodeUnknown(Lead)(seed)
        expect(lead).toBeInstanceOf(Lead)
        expect(lead.id).toBe("019cc043-9cfe-773d-89ef-f0307b5667de")
        expect(lead.organization).toBe("019cc043-9cff-7f4c-88ba-3c161f82ff62")
        expect(DateTime.isDateTime(lead.timestamp_created)).toBe(true)
        expect(DateTime.formatIso(lead.timestamp_created)).toBe("2026-03-05T23:09:42.527Z")
        expect(DateTime.toEpochMillis(lead.timestamp_updated)).toBe(Date.UTC(2026, 2, 5, 23, 9, 42, 527))
        expect(lead.status).toBe(LeadStatus.Active)
        expect(lead.email).toBe("example@example.com")
        expect(lead.first_name).toBe("John")
        expect(lead.company_domain).toBe("example.com")
        expect(lead.email_open_count).toBe(0)
        expect(lead.status_summary.lastStep?.stepID).toBe("019cc043-9d00-75e0-9e83-1926965ab998")
        expect(lead.status_summary.lastStep?.from).toBe("campaign")
        expect(lead.status_summary.domain_complete).toBe(true)
        const subsequenceExecuted = lead.status_summary_subseq?.timestampExecuted
        expect(subsequenceExecuted && DateTime.formatIso(subsequenceExecuted)).toBe("2026-03-05T23:09:42.528Z")
        expect(lead.payload).toStrictEqual(seed["payload"])
        expect(lead.lt_interest_status).toBe(InterestStatus.Interested)
        expect(lead.verification_status).toBe(VerificationStatus.Verified)
        expect(lead.enrichment_status).toBe(EnrichmentStatus.Enriched)
        expect(lead.upload_method).toBe(UploadMethod.Manual)
        expect(lead.esp_code).toBe(EspCode.Google)
        expect(lead.esg_code).toBe(EsgCode.Barracuda)
        expect(lead.is_website_visitor).toBe(true)
        expect(lead.timestamp_last_touch && DateTime.formatIso(lead.timestamp_last_touch)).toBe(
          "2026-03-05T23:09:42.528Z"
        )
        expect("job_title" in seed).toBe(false)
        expect(lead.job_title).toBeNull()
      }))

    it.effect("encodes back to the input (plus job_title: null)", () =>
      Effect.gen(function*() {
        const lead = yield* Schema.decodeUnknown(Lead)(seed)
        const encoded = yield* Schema.encode(Lead)(lead)
        expect(encoded).toStrictEqual({ ...seed, job_title: null })
        expect(JSON.parse(JSON.stringify(encoded))).toStrictEqual({ ...seed, job_title: null })
      }))
  })

  it.effect("decodes the spec's own example, built from every property's example", () =>
    Effect.gen(function*() {
      expect(Object.keys(specExample)).toHaveLength(50)
      const lead = yield* Schema.decodeUnknown(Lead)(specExample)
      expect(lead.job_title).toBe("Head of Growth")
      expect(lead.payload?.["jobTitle"]).toBe("Head of Growth")
      expect(lead.status_summary.lastStep?.timestamp_executed).toStrictEqual(DateTime.unsafeMake(0))
      expect(yield* Schema.encode(Lead)(lead)).toStrictEqual(specExample)
    }))

  it.effect("decodes a lead with only the required fields, with null for every other property", () =>
    Effect.gen(function*() {
      expect(Object.keys(minimalLead).sort()).toStrictEqual([...specRequired].sort())
      const lead = yield* Schema.decodeUnknown(Lead)(minimalLead)
      const optional = specProperties.map(([name]) => name).filter((name) => !specRequired.has(name))
      expect(optional).toHaveLength(40)
      for (const name of optional) {
        expect(lead[name as keyof Lead], name).toBeNull()
      }
    }))

  it.effect("decodes an empty status_summary and an empty lastStep", () =>
    Effect.gen(function*() {
      const empty = yield* Schema.decodeUnknown(Lead)({ ...minimalLead, status_summary: {} })
      expect(empty.status_summary).toStrictEqual({})
      const emptyStep = yield* Schema.decodeUnknown(Lead)({ ...minimalLead, status_summary: { lastStep: {} } })
      expect(emptyStep.status_summary).toStrictEqual({ lastStep: {} })
    }))

  describe("what Instantly and proxies really send", () => {
    it.effect("RFC 3339 timestamps with a lowercase t and z decode, top-level and nested", () =>
      Effect.gen(function*() {
        const lead = yield* Schema.decodeUnknown(Lead)({
          ...minimalLead,
          timestamp_created: "2026-03-05t23:09:42.527z",
          timestamp_last_reply: "2026-03-05t23:09:42z",
          status_summary: { lastStep: { timestamp_executed: "2026-03-05t23:09:42.527z" } },
          status_summary_subseq: { timestampExecuted: "2026-03-05t23:09:42.527z" }
        })
        const at = DateTime.unsafeMake("2026-03-05T23:09:42.527Z")
        expect(lead.timestamp_created).toStrictEqual(at)
        expect(lead.timestamp_last_reply).toStrictEqual(DateTime.unsafeMake("2026-03-05T23:09:42Z"))
        expect(lead.status_summary.lastStep?.timestamp_executed).toStrictEqual(at)
        expect(lead.status_summary_subseq?.timestampExecuted).toStrictEqual(at)
        // Encoded back in the usual form.
        expect(Schema.encodeSync(Lead)(lead).timestamp_created).toBe("2026-03-05T23:09:42.527Z")
      }))

    it.effect.each([
      "2024-02-29T12:00:00.000Z",
      "2000-02-29T00:00:00.000Z",
      "2026-12-31T23:59:59.999Z",
      "0099-01-31T00:00:00.000Z"
    ])(
      "%s, a real instant in Instantly's usual form, decodes to that instant",
      (text) =>
        Effect.gen(function*() {
          const lead = yield* Schema.decodeUnknown(Lead)({ ...minimalLead, timestamp_updated: text })
          expect(DateTime.toEpochMillis(lead.timestamp_updated)).toBe(Date.parse(text))
        })
    )

    it.effect.each([
      ["a day the month does not have", "2026-02-31T23:09:42Z"],
      ["February 29 of a year that is not leap, in Instantly's usual form", "2026-02-29T12:00:00.000Z"],
      ["February 29 of a century that is not leap", "1900-02-29T12:00:00.000Z"],
      ["April 31, in the usual form", "2026-04-31T00:00:00.000Z"],
      ["month 00, in the usual form", "2026-00-10T00:00:00.000Z"],
      ["a minute past 59, in the usual form", "2026-03-05T23:60:00.000Z"],
      ["a letter among the digits, in the usual form", "2026-03-05T23:09:4x.527Z"],
      ["an hour past 23", "2026-03-05T24:00:00Z"],
      ["a date without a time", "2026-03-05"],
      ["no offset", "2026-03-05T23:09:42"],
      ["a date in words", "March 5, 2026"]
    ])(
      "a timestamp with %s fails to decode, naming the field, rather than becoming another instant",
      ([, text]) =>
        Effect.gen(function*() {
          const error = yield* Effect.flip(Schema.decodeUnknown(Lead)({ ...minimalLead, timestamp_updated: text }))
          expect(ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => issue.path.join("."))).toEqual([
            "timestamp_updated"
          ])
        })
    )

    it.effect("status_summary.lastStep keeps the time of its step under either spelling too", () =>
      Effect.gen(function*() {
        const at = "2026-03-05T23:09:42.527Z"
        const lead = yield* Schema.decodeUnknown(Lead)({
          ...minimalLead,
          status_summary: { lastStep: { stepID: "0_1_0", timestampExecuted: at } }
        })
        expect(lead.status_summary.lastStep).toStrictEqual({
          stepID: "0_1_0",
          timestamp_executed: DateTime.unsafeMake(at)
        })
        expect(Schema.encodeSync(Lead)(lead).status_summary.lastStep).toStrictEqual({
          stepID: "0_1_0",
          timestamp_executed: at
        })
      }))

    it.effect("status_summary_subseq keeps the time of its step under either spelling", () =>
      Effect.gen(function*() {
        const at = "2026-03-05T23:09:42.527Z"
        const decodeSummary = (summary: object) =>
          Effect.map(
            Schema.decodeUnknown(Lead)({ ...minimalLead, status_summary_subseq: summary }),
            (lead) => lead.status_summary_subseq
          )
        const snake = yield* decodeSummary({ from: "subsequence", timestamp_executed: at })
        expect(snake).toStrictEqual({ from: "subsequence", timestampExecuted: DateTime.unsafeMake(at) })
        const camel = yield* decodeSummary({ timestampExecuted: at })
        expect(camel).toStrictEqual({ timestampExecuted: DateTime.unsafeMake(at) })
        // Both sent: the spec's spelling wins; the result encodes with the spec's key only.
        const both = yield* decodeSummary({ timestampExecuted: at, timestamp_executed: "2020-01-01T00:00:00Z" })
        expect(both).toStrictEqual({ timestampExecuted: DateTime.unsafeMake(at) })
        const lead = yield* Schema.decodeUnknown(Lead)({
          ...minimalLead,
          status_summary_subseq: { timestamp_executed: at }
        })
        expect(Schema.encodeSync(Lead)(lead).status_summary_subseq).toStrictEqual({ timestampExecuted: at })
      }))
  })

  describe("open enums and unknown fields", () => {
    const unexpected = {
      ...seed,
      status: 7,
      lt_interest_status: 12345,
      verification_status: 99,
      enrichment_status: 5,
      esp_code: 4242,
      esg_code: 77,
      upload_method: "zapier",
      brand_new_field: { nested: true },
      status_summary: {
        lastStep: { from: "campaign", stepID: "0_1_0", timestamp_executed: "2026-03-05T23:09:42.528Z", extra: 1 },
        domain_complete: false,
        another_new_flag: "x"
      },
      status_summary_subseq: { from: "subsequence", extra: [1, 2] }
    }

    it.effect("decode undocumented enum values and ignore extra fields, top-level and nested", () =>
      Effect.gen(function*() {
        const lead = yield* Schema.decodeUnknown(Lead)(unexpected)
        expect(lead.status).toBe(7)
        expect(lead.lt_interest_status).toBe(12345)
        expect(lead.verification_status).toBe(99)
        expect(lead.enrichment_status).toBe(5)
        expect(lead.esp_code).toBe(4242)
        expect(lead.esg_code).toBe(77)
        expect(lead.upload_method).toBe("zapier")
        expect("brand_new_field" in lead).toBe(false)
        expect(lead.status_summary).toStrictEqual({
          lastStep: { from: "campaign", stepID: "0_1_0", timestamp_executed: DateTime.unsafeMake(1772752182528) },
          domain_complete: false
        })
        expect(lead.status_summary_subseq).toStrictEqual({ from: "subsequence" })
        const encoded = yield* Schema.encode(Lead)(lead)
        expect(encoded.status).toBe(7)
        expect(encoded.upload_method).toBe("zapier")
        expect("brand_new_field" in encoded).toBe(false)
      }))

    it("known values keep their literal; describeValue knows the spec's descriptions only", () => {
      const lead = Schema.decodeUnknownSync(Lead)({ ...seed, status: -2, upload_method: "website-visitor" })
      expect(lead.status).toBe(LeadStatus.Unsubscribed)
      expect(lead.upload_method).toBe(UploadMethod.WebsiteVisitor)
      expect(describeValue(LeadStatus, lead.status)).toStrictEqual(Option.some("Unsubscribed"))
      expect(describeValue(UploadMethod, "website-visitor")).toStrictEqual(Option.some("Website Visitor"))
      expect(describeValue(InterestStatus, 0)).toStrictEqual(Option.some("Out of Office"))
      expect(describeValue(EnrichmentStatus, -1)).toStrictEqual(Option.some("Enrichment data not available"))
      expect(describeValue(EspCode, 12)).toStrictEqual(Option.some("Web.de"))
      expect(describeValue(LeadStatus, 7)).toStrictEqual(Option.none())
      expect(describeValue(InterestStatus, 12345)).toStrictEqual(Option.none())
      expect(describeValue(UploadMethod, "zapier")).toStrictEqual(Option.none())
    })

    it("constants are typed as literals and known values narrow", () => {
      expect(LeadStatus.Active).toBe(1)
      expect(LeadStatus.Skipped).toBe(-3)
      expect(InterestStatus.NoShow).toBe(-4)
      expect(UploadMethod.WebsiteVisitor).toBe("website-visitor")
      expectTypeOf(LeadStatus.Active).toEqualTypeOf<1>()
      expectTypeOf(InterestStatus.OutOfOffice).toEqualTypeOf<0>()
      expectTypeOf(UploadMethod.Api).toEqualTypeOf<"api">()
      expectTypeOf<Lead["status"]>().toEqualTypeOf<LeadStatus>()
      expectTypeOf<Lead["esp_code"]>().toEqualTypeOf<EspCode | null>()
      expectTypeOf<Lead["email"]>().toEqualTypeOf<string | null>()
      expectTypeOf<Lead["job_title"]>().toEqualTypeOf<string | null>()
      expectTypeOf<Lead["timestamp_created"]>().toEqualTypeOf<DateTime.Utc>()
      expectTypeOf<Lead["timestamp_last_open"]>().toEqualTypeOf<DateTime.Utc | null>()
      expectTypeOf<Lead["upload_method"]>().toEqualTypeOf<
        "manual" | "api" | "website-visitor" | UnknownEnumValue<string> | null
      >()
      // no field may silently be `any` (generic helpers lose their types easily)
      type IsAny<T> = 0 extends (1 & T) ? true : false
      type AnyFields<T> = { [K in keyof T]-?: IsAny<T[K]> extends true ? K : never }[keyof T]
      expectTypeOf<AnyFields<Lead>>().toEqualTypeOf<never>()
      expectTypeOf<AnyFields<typeof Lead.Encoded>>().toEqualTypeOf<never>()
      const lead = Schema.decodeUnknownSync(Lead)({ ...seed, status: 2 })
      if (lead.status === LeadStatus.Paused) {
        // an undocumented (branded) number may also be 2, so `===` narrows to the literal or the brand
        expectTypeOf(lead.status).toEqualTypeOf<2 | UnknownEnumValue<number>>()
        expect(describeValue(LeadStatus, lead.status)).toStrictEqual(Option.some("Paused"))
      } else {
        expect.unreachable("status 2 should decode as LeadStatus.Paused")
      }
    })
  })

  describe("payload", () => {
    it.effect("keeps object and array values the docs forbid", () =>
      Effect.gen(function*() {
        const payload = { a: "x", n: 1, b: false, z: null, nested: { k: 1, deep: [true] }, list: [1, "two", null] }
        const lead = yield* Schema.decodeUnknown(Lead)({ ...seed, payload })
        expect(lead.payload).toStrictEqual(payload)
        expect((yield* Schema.encode(Lead)(lead)).payload).toStrictEqual(payload)
      }))

    it.effect("decodes null and a missing payload as null", () =>
      Effect.gen(function*() {
        expect((yield* Schema.decodeUnknown(Lead)({ ...seed, payload: null })).payload).toBeNull()
        expect((yield* Schema.decodeUnknown(Lead)(minimalLead)).payload).toBeNull()
      }))

    it("rejects a payload that is not an object", () => {
      expect(failurePaths({ ...seed, payload: "vars" })).toContain("payload")
    })
  })

  describe("schema-breaking bodies fail with a ParseError naming the field", () => {
    it.effect("a string status", () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(Schema.decodeUnknown(Lead)({ ...seed, status: "active" }))
        expect(ParseResult.isParseError(error)).toBe(true)
        expect(error.message).toContain(`["status"]`)
        expect(new Set(failurePaths({ ...seed, status: "active" }))).toStrictEqual(new Set(["status"]))
      }))

    it.effect("a missing id", () =>
      Effect.gen(function*() {
        const { id: _, ...withoutId } = seed
        const error = yield* Effect.flip(Schema.decodeUnknown(Lead)(withoutId))
        expect(ParseResult.isParseError(error)).toBe(true)
        expect(error.message).toContain(`["id"]`)
        expect(error.message).toContain("is missing")
        expect(failurePaths(withoutId)).toStrictEqual(["id"])
      }))

    it.effect("a bad timestamp, top-level and nested", () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(Schema.decodeUnknown(Lead)({ ...seed, timestamp_created: "not a date" }))
        expect(error.message).toContain(`["timestamp_created"]`)
        expect(failurePaths({ ...seed, timestamp_created: "not a date" })).toStrictEqual(["timestamp_created"])
        const nested = { ...seed, status_summary: { lastStep: { timestamp_executed: "yesterday-ish" } } }
        expect(failurePaths(nested)).toContain("status_summary.lastStep.timestamp_executed")
        expect(failurePaths({ ...seed, last_step_timestamp_executed: 1234 })).toContain("last_step_timestamp_executed")
      }))

    it("not an object at all", () => {
      expect(Either.isLeft(decodeEither(null))).toBe(true)
      expect(Either.isLeft(decodeEither([]))).toBe(true)
      expect(Either.isLeft(decodeEither("lead"))).toBe(true)
    })
  })

  describe("request and error schemas", () => {
    it("LeadId and SubsequenceId accept UUIDs (v7 included) and nothing else", () => {
      const uuid = "019cc043-e399-7fdb-86d6-bb0d304b0776"
      expect(Schema.decodeUnknownSync(LeadId)(uuid)).toBe(uuid)
      expect(Schema.decodeUnknownSync(SubsequenceId)(uuid)).toBe(uuid)
      expect(Schema.decodeUnknownSync(LeadId)("F9CC070D-8DBA-4341-B847-F083C358E460")).toBeTypeOf("string")
      for (const bad of ["not-a-uuid", "", "019cc043-e399-7fdb-86d6-bb0d304b077", ` ${uuid}`, 42, null]) {
        expect(Either.isLeft(Schema.decodeUnknownEither(LeadId)(bad)), String(bad)).toBe(true)
        expect(Either.isLeft(Schema.decodeUnknownEither(SubsequenceId)(bad)), String(bad)).toBe(true)
      }
      expectTypeOf<LeadId>().not.toEqualTypeOf<SubsequenceId>()
      expectTypeOf<LeadId>().toExtend<string>()
    })

    it.effect("request bodies encode to the wire keys", () =>
      Effect.gen(function*() {
        const id = yield* Schema.decodeUnknown(LeadId)("019cc043-e399-7fdb-86d6-bb0d304b0776")
        const subsequenceId = yield* Schema.decodeUnknown(SubsequenceId)("019cc043-9d00-75e0-9e83-1929decb0201")
        expect(yield* Schema.encode(RemoveFromSubsequenceRequest)({ id })).toStrictEqual({ id })
        expect(yield* Schema.encode(MoveToSubsequenceRequest)({ id, subsequence_id: subsequenceId })).toStrictEqual({
          id,
          subsequence_id: subsequenceId
        })
        const badBody = yield* Effect.flip(Schema.decodeUnknown(MoveToSubsequenceRequest)({ id, subsequence_id: "x" }))
        expect(badBody.message).toContain(`["subsequence_id"]`)
      }))

    it("ErrorEnvelope decodes Instantly's error bodies", () => {
      const body = { statusCode: 429, error: "Too Many Requests", message: "Rate limit exceeded" }
      expect(Schema.decodeUnknownSync(ErrorEnvelope)(body)).toStrictEqual(body)
      expect(Either.isLeft(Schema.decodeUnknownEither(ErrorEnvelope)({ message: "nope" }))).toBe(true)
    })
  })

  it("round-trips arbitrary leads: decode(encode(x)) equals x", () => {
    const equivalence = Schema.equivalence(Lead)
    const sample = Schema.decodeUnknownSync(Lead)(seed)
    // the equivalence must see nested and DateTime differences, or the property below proves nothing
    expect(equivalence(sample, new Lead({ ...sample, email: "other@example.com" }))).toBe(false)
    expect(equivalence(sample, new Lead({ ...sample, timestamp_created: DateTime.unsafeMake(0) }))).toBe(false)
    expect(equivalence(sample, new Lead({ ...sample, status_summary: {} }))).toBe(false)
    FastCheck.assert(
      FastCheck.property(Arbitrary.make(Lead), (lead) => {
        const encoded = encode(lead)
        const decoded = Schema.decodeUnknownSync(Lead)(encoded)
        expect(decoded).toBeInstanceOf(Lead)
        expect(equivalence(decoded, lead)).toBe(true)
        expect(encode(decoded)).toStrictEqual(encoded)
      }),
      { numRuns: 200 }
    )
  })

  it("Arbitrary generates both documented and undocumented enum values", () => {
    const statuses = FastCheck.sample(Arbitrary.make(Lead), 300).map((lead) => lead.status)
    const known = statuses.filter((status) => Option.isSome(describeValue(LeadStatus, status)))
    expect(known.length).toBeGreaterThan(0)
    expect(known.length).toBeLessThan(statuses.length)
  })

  it("every arbitrary lead survives the JSON wire: its encoded JSON decodes and re-encodes unchanged", () => {
    FastCheck.assert(
      FastCheck.property(Arbitrary.make(Lead), (lead) => {
        const wire = JSON.parse(JSON.stringify(encode(lead)))
        expect(JSON.parse(JSON.stringify(encode(Schema.decodeUnknownSync(Lead)(wire))))).toStrictEqual(wire)
      }),
      { numRuns: 200 }
    )
  })

  const sourceSpec = fileURLToPath(new URL("../../shared/reference/instantly-openapi.json", import.meta.url))

  it.skipIf(!existsSync(sourceSpec))("the OpenAPI fixture is in sync with ../shared/reference", () => {
    const script = fixturePath("extract-openapi.mjs")
    const regenerated = execFileSync(process.execPath, [script, sourceSpec, "--stdout"], { encoding: "utf8" })
    expect(readFileSync(fixturePath("openapi-leads.json"), "utf8")).toBe(regenerated)
    // and independently of the script: the parts we test against are verbatim copies
    const source = readJson(sourceSpec) as any
    const fixture = readJson(fixturePath("openapi-leads.json")) as any
    expect(fixture.components.schemas.Lead).toStrictEqual(source.components.schemas.Lead)
    expect(fixture.paths["/api/v2/leads/subsequence/remove"].post).toStrictEqual(
      source.paths["/api/v2/leads/subsequence/remove"].post
    )
    expect(fixture.paths["/api/v2/leads/subsequence/move"].post).toStrictEqual(
      source.paths["/api/v2/leads/subsequence/move"].post
    )
    expect(fixture.paths["/api/v2/leads/{id}"].get).toStrictEqual(source.paths["/api/v2/leads/{id}"].get)
    expect(fixture.openapi).toBe(source.openapi)
    expect(fixture.info.version).toBe(source.info.version)
  })
})

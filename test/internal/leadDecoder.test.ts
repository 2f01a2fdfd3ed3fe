/**
 * The fast `Lead` decoder against the schema, which stays the source of truth: on every input, either
 * both succeed with identical leads, or the schema fails and the fast decoder gives up (so the caller
 * falls back to the schema and its exact errors).
 */
import { describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as FastCheck from "effect/FastCheck"
import * as Schema from "effect/Schema"
import * as FastDecoder from "../../src/internal/fastDecoder.js"
import { decode as generated } from "../../src/internal/leadDecoder.js"
import { Lead } from "../../src/Lead.js"
import spec from "../fixtures/openapi-leads.json" with { type: "json" }
import { seed } from "../utils/Client.js"

const schemaDecode = Schema.decodeUnknownEither(Lead, { errors: "all" })
const encode = Schema.encodeSync(Lead)

/** Two leads are the same: class, own keys in the same order, and every field (timestamps as instants). */
const expectIdentical = (fast: Lead, schema: Lead) => {
  expect(Object.getPrototypeOf(fast)).toBe(Object.getPrototypeOf(schema))
  expect(Reflect.ownKeys(fast)).toStrictEqual(Reflect.ownKeys(schema))
  for (const key of Object.keys(Lead.fields) as Array<keyof Lead>) {
    const [a, b] = [fast[key], schema[key]]
    if (DateTime.isDateTime(b)) {
      expect(DateTime.isDateTime(a) && DateTime.isUtc(a) && DateTime.Equivalence(a, b)).toBe(true)
    }
    expect(a).toStrictEqual(b)
  }
}

/** The same decoder compiled where code cannot be generated (a content security policy): its loops. */
FastDecoder.setCodeGeneration(false)
const compiledLoops = FastDecoder.compile(Lead)!
FastDecoder.setCodeGeneration(true)
const loops = (json: unknown): Lead | undefined => {
  const lead = compiledLoops(json)
  return lead === FastDecoder.Invalid ? undefined : lead
}

describe.each([["generated code", generated], ["loops (no new Function)", loops]] as const)("leadDecoder.decode, %s", (
  _,
  decode
) => {
  /** What the schema decides is what the fast decoder decides: the same lead, or no lead at all. */
  const expectAgrees = (input: unknown) => {
    const fast = decode(input)
    const result = schemaDecode(input)
    if (Either.isRight(result)) {
      expect(fast, "the schema decodes this input, so the fast path must too").toBeDefined()
      expectIdentical(fast!, result.right)
    } else {
      expect(fast).toBeUndefined()
    }
    return result
  }

  const encodedLeads = Arbitrary.make(Lead).map(encode)

  /** An example lead from the spec's property examples (all properties, as documented). */
  const specLead = Object.fromEntries(
    Object.entries(spec.components.schemas.Lead.properties).map((
      [key, property]
    ) => [key, "example" in property ? property.example : {}])
  )

  describe("on the seed, arbitrary leads and edits", () => {
    it("decodes the seed and the spec's example exactly as the schema does", () => {
      expect(Either.isRight(expectAgrees(seed))).toBe(true)
      expect(Either.isRight(expectAgrees(specLead))).toBe(true)
      expect(decode(seed)).toBeInstanceOf(Lead)
    })

    it("agrees with the schema on arbitrary leads, as encoded and after the JSON wire", () => {
      FastCheck.assert(
        FastCheck.property(encodedLeads, (encoded) => {
          expect(Either.isRight(expectAgrees(encoded))).toBe(true)
          expect(Either.isRight(expectAgrees(JSON.parse(JSON.stringify(encoded))))).toBe(true)
        }),
        { numRuns: 300 }
      )
    })

    it("agrees with the schema when any field is replaced, added or removed, valid or not", () => {
      const keys = [...Object.keys(Lead.fields), "extra_field"]
      const anyValue = FastCheck.oneof(
        FastCheck.jsonValue(),
        FastCheck.constantFrom(undefined, null, Number.NaN, Infinity, "2026-13-01T00:00:00.000Z", "yesterday"),
        FastCheck.date({ noInvalidDate: true }).map((date) => date.toISOString()),
        FastCheck.constantFrom(
          { lastStep: { timestamp_executed: "not a date" } },
          { timestampExecuted: 7 },
          { nested: { object: true } },
          [1, "two"]
        )
      )
      const edit = FastCheck.tuple(
        FastCheck.constantFrom(...keys),
        FastCheck.option(anyValue, { nil: "remove" as const })
      )
      FastCheck.assert(
        FastCheck.property(encodedLeads, FastCheck.array(edit, { minLength: 1, maxLength: 3 }), (encoded, edits) => {
          const input: Record<string, unknown> = JSON.parse(JSON.stringify(encoded))
          for (const [key, value] of edits) {
            if (value === "remove") delete input[key]
            else input[key] = value
          }
          expectAgrees(input)
        }),
        { numRuns: 1_000 }
      )
    })

    describe("tolerates what the schema tolerates", () => {
      it.each([
        ["unknown enum values", {
          status: 42,
          upload_method: "carrier-pigeon",
          esp_code: 4242,
          lt_interest_status: -99
        }],
        ["fields Instantly adds later", { added_later: { deeply: ["nested"] }, another: 1 }],
        ["nulls in every optional field", { campaign: null, email: null, payload: null, status_summary_subseq: null }],
        ["an empty status summary", { status_summary: {} }],
        ["payload values the docs forbid (objects, arrays)", { payload: { list: [1, 2], obj: { a: 1 }, n: 1.5 } }],
        ["timestamps in other RFC 3339 forms", {
          timestamp_created: "2026-03-05T23:09:42Z",
          timestamp_updated: "2026-03-05 23:09:42.5+01:30",
          timestamp_last_open: "2026-03-05t23:09:42.527z"
        }],
        ["day 29 to 31 and far years", {
          timestamp_created: "2024-02-29T12:00:00.000Z",
          timestamp_updated: "0099-12-31T23:59:59.999Z"
        }]
      ])("%s", (_, fields) => {
        expect(Either.isRight(expectAgrees({ ...seed, ...fields }))).toBe(true)
      })

      it.each([
        ["a date without a time", { timestamp_last_open: "2026-03-05" }],
        ["a day the month does not have", { timestamp_created: "2026-02-31T23:09:42Z" }],
        ["an hour past 23", { timestamp_created: "2026-03-05T24:00:00Z" }],
        ["no offset", { timestamp_created: "2026-03-05T23:09:42" }],
        ["a date in words", { timestamp_created: "March 5, 2026" }]
      ])("refuses %s, as the schema does", (_, fields) => {
        expect(Either.isLeft(expectAgrees({ ...seed, ...fields }))).toBe(true)
      })

      it("missing optional keys become null", () => {
        const required = ["id", "timestamp_created", "timestamp_updated", "organization", "status", "email_open_count"]
          .concat(["email_reply_count", "email_click_count", "company_domain", "status_summary"])
        const minimal = Object.fromEntries(required.map((key) => [key, (seed as Record<string, unknown>)[key]]))
        expect(Either.isRight(expectAgrees(minimal))).toBe(true)
        expect(decode(minimal)?.email).toBeNull()
        expect(decode(minimal)?.status_summary_subseq).toBeNull()
      })
    })

    describe("gives up where the schema fails, so the caller gets the schema's errors", () => {
      it.each([
        ["a wrong type", { id: 1 }],
        ["a number as a string", { email_open_count: "3" }],
        ["a boolean as a string", { is_website_visitor: "yes" }],
        ["a non-finite number", { email_open_count: Infinity }],
        ["a string enum given a number", { upload_method: 1 }],
        ["a bad timestamp", { timestamp_created: "not a date" }],
        ["an impossible month", { timestamp_updated: "2026-13-01T00:00:00.000Z" }],
        ["a bad nested timestamp", { status_summary: { lastStep: { timestamp_executed: "soon" } } }],
        ["a missing required key", { id: undefined }],
        ["a payload that is not an object", { payload: "text" }]
      ])("%s", (_, fields) => {
        expect(Either.isLeft(expectAgrees({ ...seed, ...fields }))).toBe(true)
      })

      it.each([null, [], "lead", 42])("not an object: %j", (input) => {
        expect(Either.isLeft(expectAgrees(input))).toBe(true)
      })
    })
  })
})

import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { InstantlyClient, Lead, Leads } from "../src/index.js"
import seed from "./fixtures/lead-seed-example.json" with { type: "json" }
import * as MockHttp from "./utils/MockHttp.js"
import { spanText, withRecordedSpans } from "./utils/Spans.js"

const apiKey = "sk_live_SECRET-KEY-456"
const leadId = "019cc043-e399-7fdb-86d6-bb0d304b0776"
const subsequenceId = "019cc043-9d00-75e0-9e83-1929decb0201"

const TestLayer = (replies: ReadonlyArray<MockHttp.Reply> = [{ status: 200, json: seed }]) =>
  Leads.Default.pipe(
    Layer.provide(InstantlyClient.layer({ apiKey: Redacted.make(apiKey) })),
    Layer.provideMerge(MockHttp.layer(replies))
  )

const sent = Effect.map(MockHttp.MockHttp, (mock) => mock.requests)

/** What every request carries, and what a POST with a JSON body adds. */
const getHeaders = { authorization: `Bearer ${apiKey}`, accept: "application/json" }
const postHeaders = { ...getHeaders, "content-type": "application/json" }

describe("Leads", () => {
  describe("sends exactly the documented request", () => {
    it.effect("removeFromSubsequence: POST /api/v2/leads/subsequence/remove {\"id\"}", () =>
      Effect.gen(function*() {
        const leads = yield* Leads
        const lead = yield* leads.removeFromSubsequence(leadId)
        expect(lead).toBeInstanceOf(Lead)
        const requests = yield* sent
        expect(requests).toHaveLength(1)
        expect(requests[0]).toMatchObject({
          method: "POST",
          url: "https://api.instantly.ai/api/v2/leads/subsequence/remove",
          body: `{"id":"${leadId}"}`
        })
        expect(requests[0]?.headers).toMatchObject(postHeaders)
      }).pipe(Effect.provide(TestLayer())))

    it.effect("moveToSubsequence: POST /api/v2/leads/subsequence/move {\"id\",\"subsequence_id\"}", () =>
      Effect.gen(function*() {
        const leads = yield* Leads
        yield* leads.moveToSubsequence({ id: leadId, subsequence_id: subsequenceId })
        const [request] = yield* sent
        expect(request).toMatchObject({
          method: "POST",
          url: "https://api.instantly.ai/api/v2/leads/subsequence/move"
        })
        expect(JSON.parse(request?.body ?? "")).toEqual({ id: leadId, subsequence_id: subsequenceId })
        expect(request?.headers).toMatchObject(postHeaders)
      }).pipe(Effect.provide(TestLayer())))

    it.effect("get: GET /api/v2/leads/{id} with no body", () =>
      Effect.gen(function*() {
        const leads = yield* Leads
        yield* leads.get(leadId)
        const [request] = yield* sent
        expect(request).toMatchObject({
          method: "GET",
          url: `https://api.instantly.ai/api/v2/leads/${leadId}`,
          body: undefined
        })
        expect(request?.headers["content-type"]).toBeUndefined()
        expect(request?.headers).toMatchObject(getHeaders)
      }).pipe(Effect.provide(TestLayer())))
  })

  it.effect("answers the decoded Lead of the seed page's example", () =>
    Effect.gen(function*() {
      const leads = yield* Leads
      const lead = yield* leads.removeFromSubsequence(leadId)
      expect(lead.id).toBe("019cc043-9cfe-773d-89ef-f0307b5667de")
      expect(lead.email).toBe("example@example.com")
      expect(DateTime.formatIso(lead.timestamp_created)).toBe("2026-03-05T23:09:42.527Z")
      expect(lead.subsequence_id).toBe("019cc043-9d00-75e0-9e83-1929decb0201")
      expect(lead.job_title).toBeNull()
    }).pipe(Effect.provide(TestLayer())))

  describe("validates input before anything is sent", () => {
    const invalid = [
      ["removeFromSubsequence", (leads: Leads) => leads.removeFromSubsequence("not-a-uuid"), "id"],
      ["removeFromSubsequence (empty)", (leads: Leads) => leads.removeFromSubsequence(""), "id"],
      ["get", (leads: Leads) => leads.get("../../admin"), ""],
      [
        "moveToSubsequence (bad id)",
        (leads: Leads) => leads.moveToSubsequence({ id: "x", subsequence_id: subsequenceId }),
        "id"
      ],
      [
        "moveToSubsequence (bad subsequence_id)",
        (leads: Leads) => leads.moveToSubsequence({ id: leadId, subsequence_id: "nope" }),
        "subsequence_id"
      ],
      // Callers without types: never a synchronous throw or a defect, an error in the error channel.
      ["moveToSubsequence (null)", (leads: Leads) => leads.moveToSubsequence(null as never), ""],
      ["moveToSubsequence (a string)", (leads: Leads) => leads.moveToSubsequence(leadId as never), ""],
      ["removeFromSubsequence (undefined)", (leads: Leads) => leads.removeFromSubsequence(undefined as never), "id"],
      ["get (a number)", (leads: Leads) => leads.get(42 as never), ""]
    ] as const
    for (const [name, call, field] of invalid) {
      it.effect(name, () =>
        Effect.gen(function*() {
          const leads = yield* Leads
          const error = yield* Effect.flip(Effect.suspend(() => call(leads)))
          expect(error._tag).toBe("InstantlyInvalidInputError")
          if (field !== "") expect(error.message).toContain(`${field}:`)
          expect(yield* sent).toHaveLength(0)
        }).pipe(Effect.provide(TestLayer())))
    }
  })

  it.effect("runs each operation in a span named for it, with the lead id and no API key", () =>
    Effect.gen(function*() {
      const leads = yield* Leads
      const [, spans] = yield* withRecordedSpans(
        Effect.all([
          leads.removeFromSubsequence(leadId),
          leads.moveToSubsequence({ id: leadId, subsequence_id: subsequenceId }),
          leads.get(leadId)
        ])
      )
      const names = spans.map((span) => span.name)
      expect(names).toEqual(
        expect.arrayContaining(["Leads.removeFromSubsequence", "Leads.moveToSubsequence", "Leads.get"])
      )
      for (const name of ["Leads.removeFromSubsequence", "Leads.moveToSubsequence", "Leads.get"]) {
        expect(spans.find((span) => span.name === name)?.attributes.get("instantly.lead_id")).toBe(leadId)
      }
      const http = spans.filter((span) => span.name.startsWith("http.client"))
      expect(http).toHaveLength(3)
      expect(http[0]?.attributes.get("http.request.header.authorization")).toBe("<redacted>")
      for (const span of spans) expect(spanText(span)).not.toContain(apiKey)
    }).pipe(Effect.provide(TestLayer())))

  it.effect("is catchable by tag", () =>
    Effect.gen(function*() {
      const leads = yield* Leads
      const result = yield* leads.removeFromSubsequence(leadId).pipe(
        Effect.map(() => "removed"),
        Effect.catchTag("InstantlyNotFoundError", (error) => Effect.succeed(`gone: ${error.message}`))
      )
      expect(result).toBe("gone: Resource not found")
    }).pipe(Effect.provide(TestLayer([{
      status: 404,
      json: { statusCode: 404, error: "Not Found", message: "Resource not found" }
    }]))))
})

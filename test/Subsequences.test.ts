import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { InstantlyClient, Subsequence, Subsequences } from "../src/index.js"
import { apiKey, status, subsequence } from "./utils/Client.js"
import * as MockHttp from "./utils/MockHttp.js"
import { spanText, withRecordedSpans } from "./utils/Spans.js"

const TestLayer = (replies: ReadonlyArray<MockHttp.Reply> = [{ status: 200, json: subsequence }]) =>
  Subsequences.Default.pipe(
    Layer.provide(InstantlyClient.layer({ apiKey: Redacted.make(apiKey) })),
    Layer.provideMerge(MockHttp.layer(replies))
  )

const sent = Effect.map(MockHttp.MockHttp, (mock) => mock.requests)

describe("Subsequences.get", () => {
  it.effect("sends GET /api/v2/subsequences/{id} with no body, and answers the decoded Subsequence", () =>
    Effect.gen(function*() {
      const answer = yield* (yield* Subsequences).get(subsequence.id)
      expect(answer).toBeInstanceOf(Subsequence)
      expect(answer.parent_campaign).toBe(subsequence.parent_campaign)
      const requests = yield* sent
      expect(requests).toHaveLength(1)
      expect(requests[0]).toMatchObject({
        method: "GET",
        url: `https://api.instantly.ai/api/v2/subsequences/${subsequence.id}`,
        body: undefined
      })
      expect(requests[0]?.headers).toMatchObject({ authorization: `Bearer ${apiKey}`, accept: "application/json" })
    }).pipe(Effect.provide(TestLayer())))

  it.effect("an id that is not a UUID fails as InstantlyInvalidInputError, and nothing is sent", () =>
    Effect.gen(function*() {
      const subsequences = yield* Subsequences
      for (const id of ["", "follow-up", "../leads/list"]) {
        const error = yield* Effect.flip(subsequences.get(id))
        expect(error).toMatchObject({ _tag: "InstantlyInvalidInputError", operation: "getSubsequence" })
      }
      expect(yield* sent).toHaveLength(0)
    }).pipe(Effect.provide(TestLayer())))

  it.effect("an unknown subsequence is InstantlyNotFoundError", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip((yield* Subsequences).get(subsequence.id))
      expect(error).toMatchObject({ _tag: "InstantlyNotFoundError", status: 404 })
    }).pipe(Effect.provide(TestLayer([status(404)]))))

  it.effect("runs in a span Subsequences.get with the id, and no API key", () =>
    Effect.gen(function*() {
      const [, spans] = yield* withRecordedSpans((yield* Subsequences).get(subsequence.id))
      const span = spans.find((s) => s.name === "Subsequences.get")
      expect(span?.attributes.get("instantly.subsequence_id")).toBe(subsequence.id)
      for (const s of spans) expect(spanText(s)).not.toContain(apiKey)
    }).pipe(Effect.provide(TestLayer())))
})

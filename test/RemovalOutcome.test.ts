import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import {
  addToSummary,
  emptySummary,
  InstantlyAuthError,
  InstantlyTransportError,
  Lead,
  RemovalOutcome,
  summarize
} from "../src/index.js"
import { leadId, seed } from "./utils/Client.js"

const lead = Schema.decodeUnknownSync(Lead)(seed)
const request = { method: "POST", path: "/api/v2/leads/subsequence/remove" }
const outcomes: ReadonlyArray<RemovalOutcome> = [
  RemovalOutcome.Removed({ index: 0, id: leadId, lead }),
  RemovalOutcome.NotFound({ index: 1, id: leadId }),
  RemovalOutcome.InvalidId({ index: 2, id: "x", message: "Expected a Universally Unique Identifier" }),
  RemovalOutcome.Duplicate({ index: 3, id: leadId, first: 0 }),
  RemovalOutcome.Failed({
    index: 4,
    id: leadId,
    error: new InstantlyAuthError({ ...request, status: 403, message: "API key lacks the required scope" })
  }),
  RemovalOutcome.Failed({
    index: 5,
    id: leadId,
    error: new InstantlyAuthError({ ...request, status: 401, message: "Invalid API key" })
  }),
  RemovalOutcome.Failed({
    index: 6,
    id: leadId,
    error: new InstantlyTransportError({ ...request, reason: "Timeout", message: "No response within 30s" })
  }),
  RemovalOutcome.Removed({ index: 7, id: leadId, lead })
]

const expected = {
  total: 8,
  byKind: { Removed: 2, NotFound: 1, InvalidId: 1, Duplicate: 1, Failed: 3 },
  byError: { InstantlyAuthError: 2, InstantlyTransportError: 1 }
}

describe("RemovalOutcome", () => {
  it("is a tagged enum users can match on", () => {
    const described = outcomes.map(RemovalOutcome.$match({
      Removed: ({ lead }) => `removed ${lead.email}`,
      NotFound: () => "not found",
      InvalidId: ({ id }) => `invalid ${id}`,
      Duplicate: ({ first }) => `duplicate of ${first}`,
      Failed: ({ error }) => error._tag
    }))
    expect(described.slice(0, 5)).toEqual([
      "removed example@example.com",
      "not found",
      "invalid x",
      "duplicate of 0",
      "InstantlyAuthError"
    ])
    expect(outcomes.filter(RemovalOutcome.$is("Failed"))).toHaveLength(3)
  })

  it("addToSummary counts by kind and the failures by error tag, leaving the summary given alone", () => {
    expect(outcomes.reduce(addToSummary, emptySummary)).toEqual(expected)
    expect(emptySummary).toEqual({
      total: 0,
      byKind: { Removed: 0, NotFound: 0, InvalidId: 0, Duplicate: 0, Failed: 0 },
      byError: {}
    })
  })

  it.effect("summarize runs a stream of outcomes into the same summary, and fails as the stream does", () =>
    Effect.gen(function*() {
      expect(yield* summarize(Stream.fromIterable(outcomes))).toEqual(expected)
      const failing = Stream.concat(Stream.fromIterable(outcomes), Stream.fail("input broke" as const))
      expect(yield* Effect.flip(summarize(failing))).toBe("input broke")
    }))
})

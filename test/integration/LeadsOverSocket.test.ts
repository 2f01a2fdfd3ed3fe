/**
 * The real `Leads` and `InstantlyClient` over a real socket, through `NodeHttpClient.layerUndici` and
 * through `InstantlyHttpClient.layer`, against `InstantlyEmulator.layerServer` on 127.0.0.1, end to end,
 * for every operation, error status and fault.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { type InstantlyError, Lead, Leads } from "../../src/index.js"
import { InstantlyEmulator, type InstantlyEmulatorServerOptions } from "../../src/InstantlyEmulator.js"
import { emulator, layer, leadsWith, send, socketTransports } from "../utils/Emulator.js"

const unknownId = "019cc043-e399-7fdb-86d6-bb0d304b0776"
const subsequenceId = "019cc099-0000-7000-8000-000000000001" // in no workspace

const firstLead = Effect.flatMap(InstantlyEmulator, (emulator) => Effect.map(emulator.leads, (leads) => leads[0]!))

const failure = <R>(self: Effect.Effect<Lead, InstantlyError, R>) => Effect.flip(self)

describe.each(socketTransports)("Leads over a %s, against layerServer on 127.0.0.1", (transport) => {
  const overSocket = (options: InstantlyEmulatorServerOptions = {}) => Effect.provide(layer(transport, options))

  it.effect("serves on a free loopback port, and two emulators get two ports", () =>
    Effect.gen(function*() {
      const { url } = yield* InstantlyEmulator
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      const other = yield* Effect.provide(InstantlyEmulator, InstantlyEmulator.layerServer())
      expect(other.url).not.toBe(url)
    }).pipe(overSocket()))

  it.effect("remove, then get: the lead is out of its subsequence when read back", () =>
    Effect.gen(function*() {
      const leads = yield* Leads
      const lead = yield* firstLead
      expect((yield* leads.get(lead.id)).subsequence_id).toBe(lead.subsequence_id)
      expect(lead.subsequence_id).not.toBeNull()
      const removed = yield* leads.removeFromSubsequence(lead.id)
      expect(removed.subsequence_id).toBeNull()
      const readBack = yield* leads.get(lead.id)
      expect(readBack.subsequence_id).toBeNull()
      expect(readBack.status_summary_subseq).toBeNull()
      expect(readBack.timestamp_added_subsequence).toBeNull()
      expect(Schema.encodeSync(Lead)(readBack)).toEqual(Schema.encodeSync(Lead)(removed))
    }).pipe(overSocket()))

  it.effect("move, then get: the lead is in the new subsequence", () =>
    Effect.gen(function*() {
      const leads = yield* Leads
      const lead = yield* firstLead
      const [, other] = yield* (yield* InstantlyEmulator).subsequences
      yield* leads.removeFromSubsequence(lead.id)
      const moved = yield* leads.moveToSubsequence({ id: lead.id, subsequence_id: other!.id })
      expect(moved.subsequence_id).toBe(other!.id)
      expect((yield* leads.get(lead.id)).subsequence_id).toBe(other!.id)
      const counters = yield* (yield* InstantlyEmulator).counters
      expect(counters.operations).toEqual({
        removeFromSubsequence: 1,
        moveToSubsequence: 1,
        get: 1,
        list: 0,
        getSubsequence: 0
      })
    }).pipe(overSocket()))

  describe("each error status, as the tagged error a caller catches", () => {
    it.effect("401: an unknown key", () =>
      Effect.gen(function*() {
        const error = yield* failure(Effect.flatMap(Leads, (leads) => leads.get(unknownId)))
        expect(error).toMatchObject({ _tag: "InstantlyAuthError", status: 401, message: "Invalid API key" })
      }).pipe(Effect.provide(leadsWith("not-a-key").pipe(Layer.provideMerge(emulator(transport))))))

    it.effect("403: a key without an update scope", () =>
      Effect.gen(function*() {
        const lead = yield* firstLead
        const error = yield* failure(Effect.flatMap(Leads, (leads) => leads.removeFromSubsequence(lead.id)))
        expect(error).toMatchObject({ _tag: "InstantlyAuthError", status: 403 })
        expect(error.message).toContain("leads:update")
      }).pipe(Effect.provide(
        leadsWith("reader").pipe(
          Layer.provideMerge(emulator(transport, { apiKeys: [{ key: "reader", scopes: ["leads:read"] }] }))
        )
      )))

    it.effect("402: no active paid plan", () =>
      Effect.gen(function*() {
        const lead = yield* firstLead
        const error = yield* failure(Effect.flatMap(Leads, (leads) => leads.removeFromSubsequence(lead.id)))
        expect(error).toMatchObject({
          _tag: "InstantlyPaymentRequiredError",
          status: 402,
          message: "Workspace does not have an active paid plan"
        })
      }).pipe(overSocket({ paidPlan: false })))

    it.effect("404: an unknown lead, for remove, move and get", () =>
      Effect.gen(function*() {
        const leads = yield* Leads
        for (
          const call of [
            leads.removeFromSubsequence(unknownId),
            leads.moveToSubsequence({ id: unknownId, subsequence_id: subsequenceId }),
            leads.get(unknownId)
          ]
        ) {
          expect(yield* failure(call)).toMatchObject({
            _tag: "InstantlyNotFoundError",
            status: 404,
            message: "Resource not found"
          })
        }
      }).pipe(overSocket()))

    it.effect("429: over the workspace's limit, with the server's Retry-After", () =>
      Effect.gen(function*() {
        const leads = yield* Leads
        const lead = yield* firstLead
        yield* leads.get(lead.id)
        yield* leads.get(lead.id)
        const error = yield* failure(leads.get(lead.id))
        expect(error).toMatchObject({ _tag: "InstantlyRateLimitError", status: 429, message: "Rate limit exceeded" })
        expect(error._tag === "InstantlyRateLimitError" && Option.map(error.retryAfter, Duration.toMillis)).toEqual(
          Option.some(1_000)
        )
        expect((yield* (yield* InstantlyEmulator).counters).rateLimited).toBe(1)
      }).pipe(overSocket({ rateLimit: { perSecond: 2 } })))

    it.effect("400 and 405 (which Leads never provokes), on the wire", () =>
      Effect.gen(function*() {
        const bad = yield* send("POST", "/api/v2/leads/subsequence/move", { body: "{\"id\":\"x\"}" })
        expect(bad).toMatchObject({
          status: 400,
          body: { statusCode: 400, error: "Bad Request", message: "body must have required property 'subsequence_id'" }
        })
        const wrongMethod = yield* send("DELETE", "/api/v2/leads/subsequence/remove")
        expect(wrongMethod).toMatchObject({ status: 405, headers: { allow: "POST" } })
      }).pipe(overSocket()))
  })

  describe("injected faults, as the client meets them over a socket", () => {
    it.effect("500/502/503: InstantlyServerError with the status", () =>
      Effect.gen(function*() {
        const leads = yield* Leads
        const lead = yield* firstLead
        const statuses = []
        for (let i = 0; i < 6; i++) {
          const error = yield* failure(leads.get(lead.id))
          expect(error._tag).toBe("InstantlyServerError")
          statuses.push("status" in error ? error.status : 0)
        }
        expect(statuses).toEqual([502, 502, 500, 500, 503, 500])
      }).pipe(overSocket({ faults: { serverError: 1, seed: 1 } })))

    it.effect("a dropped connection: InstantlyTransportError, and the next request is served", () =>
      Effect.gen(function*() {
        const leads = yield* Leads
        const lead = yield* firstLead
        const results = []
        for (let i = 0; i < 8; i++) results.push(yield* Effect.either(leads.get(lead.id)))
        const tags = results.map((r) => r._tag === "Left" ? r.left._tag : "ok")
        const counters = yield* (yield* InstantlyEmulator).counters
        expect(tags.filter((t) => t === "InstantlyTransportError")).toHaveLength(counters.faults.dropped)
        expect(tags.filter((t) => t === "ok")).toHaveLength(8 - counters.faults.dropped)
        expect(counters.faults.dropped).toBeGreaterThan(0)
        expect(counters.faults.dropped).toBeLessThan(8)
      }).pipe(overSocket({ faults: { dropConnection: 0.5, seed: 2 } })))

    it.effect("a 200 whose body is cut off mid-way (the socket closes): InstantlyTransportError, as on a network", () =>
      Effect.gen(function*() {
        const leads = yield* Leads
        const lead = yield* firstLead
        const truncated = yield* failure(leads.get(lead.id))
        expect(truncated._tag).toBe("InstantlyTransportError")
        expect(truncated._tag === "InstantlyTransportError" && truncated.reason).toBe("Transport")
        const counters = yield* (yield* InstantlyEmulator).counters
        expect(counters.faults).toMatchObject({ truncated: 1, nonJson: 0 })
      }).pipe(overSocket({ faults: { truncatedBody: 1 } })))

    it.effect("a non-JSON 200: InstantlyDecodeError", () =>
      Effect.gen(function*() {
        const error = yield* failure(Effect.flatMap(firstLead, (lead) => Effect.flatMap(Leads, (l) => l.get(lead.id))))
        expect(error).toMatchObject({ _tag: "InstantlyDecodeError", status: 200 })
      }).pipe(overSocket({ faults: { nonJsonBody: 1 } })))

    it.live("a response that never ends: the caller's timeout fires, and the server closes regardless", () =>
      Effect.gen(function*() {
        const lead = yield* firstLead
        const exit = yield* Effect.exit(Effect.timeout(Effect.flatMap(Leads, (l) => l.get(lead.id)), "200 millis"))
        expect(Exit.isFailure(exit) && Cause.isTimeoutException(Cause.squash(exit.cause))).toBe(true)
        expect((yield* (yield* InstantlyEmulator).counters).faults.neverEnded).toBe(1)
      }).pipe(overSocket({ faults: { neverEnds: 1 } })))

    it.live("added latency holds the answer back for real", () =>
      Effect.gen(function*() {
        const lead = yield* firstLead
        const [elapsed] = yield* Effect.timed(Effect.flatMap(Leads, (l) => l.get(lead.id)))
        expect(Duration.toMillis(elapsed)).toBeGreaterThanOrEqual(150)
      }).pipe(overSocket({ faults: { latency: { min: "150 millis", max: "150 millis" } } })))
  })
})

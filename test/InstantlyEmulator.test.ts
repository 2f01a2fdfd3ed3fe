import { describe, expect, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as DateTime from "effect/DateTime"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as TestClock from "effect/TestClock"
import * as Faults from "../src/emulator/Faults.js"
import { generate } from "../src/emulator/Generate.js"
import {
  ErrorEnvelope,
  InterestStatus,
  Lead,
  LeadFilter,
  Leads,
  LeadStatus,
  Subsequence,
  Subsequences
} from "../src/index.js"
import { InstantlyEmulator, type InstantlyEmulatorOptions } from "../src/InstantlyEmulator.js"
import { layer, send } from "./utils/Emulator.js"

const encode = (lead: Lead) => Schema.encodeSync(Lead)(lead)
const removePath = "/api/v2/leads/subsequence/remove"
const movePath = "/api/v2/leads/subsequence/move"
const unknownId = "019cc043-e399-7fdb-86d6-bb0d304b0776"
const newSubsequence = "019cc099-0000-7000-8000-000000000001" // in no workspace
const noOperations = { removeFromSubsequence: 0, moveToSubsequence: 0, get: 0, list: 0, getSubsequence: 0 }
const june = Date.UTC(2026, 5, 1, 12, 0, 0)

/** The first lead of the default workspace (always in a subsequence) and one that is in none. */
const seeded = Effect.gen(function*() {
  const leads = yield* (yield* InstantlyEmulator).leads
  return {
    inOne: leads[0]!,
    inNone: leads.find((lead) => lead.subsequence_id === null)!
  }
})

const stored = (id: string) =>
  Effect.flatMap(InstantlyEmulator, (emulator) => Effect.map(emulator.lead(id), Option.getOrThrow))

const withEmulator = (options: InstantlyEmulatorOptions = {}) => Effect.provide(layer("in-process", options))

describe("InstantlyEmulator (in-process)", () => {
  describe("operations", () => {
    it.effect("remove clears subsequence_id, status_summary_subseq, timestamp_added_subsequence; bumps timestamp_updated", () =>
      Effect.gen(function*() {
        const { inOne } = yield* seeded
        yield* TestClock.setTime(june)
        const removed = yield* (yield* Leads).removeFromSubsequence(inOne.id)
        expect(removed.subsequence_id).toBeNull()
        expect(removed.status_summary_subseq).toBeNull()
        expect(removed.timestamp_added_subsequence).toBeNull()
        expect(DateTime.toEpochMillis(removed.timestamp_updated)).toBe(june)
        // Nothing else changed, and the workspace holds what was answered.
        expect(inOne.subsequence_id !== null && inOne.status_summary_subseq !== null).toBe(true)
        const { status_summary_subseq: _, ...rest } = encode(inOne)
        expect(encode(removed)).toEqual({
          ...rest,
          subsequence_id: null,
          timestamp_added_subsequence: null,
          timestamp_updated: "2026-06-01T12:00:00.000Z"
        })
        expect(encode(yield* stored(inOne.id))).toEqual(encode(removed))
      }).pipe(withEmulator()))

    it.effect("remove of a lead in no subsequence answers it unchanged (our assumption), timestamp_updated too", () =>
      Effect.gen(function*() {
        const { inNone } = yield* seeded
        yield* TestClock.setTime(june)
        const answered = yield* (yield* Leads).removeFromSubsequence(inNone.id)
        expect(encode(answered)).toEqual(encode(inNone))
        expect(encode(yield* stored(inNone.id))).toEqual(encode(inNone))
      }).pipe(withEmulator()))

    it.effect("move sets subsequence_id, an empty status_summary_subseq and both timestamps", () =>
      Effect.gen(function*() {
        const { inNone } = yield* seeded
        const [subsequence] = yield* (yield* InstantlyEmulator).subsequences
        yield* TestClock.setTime(june)
        const moved = yield* (yield* Leads).moveToSubsequence({ id: inNone.id, subsequence_id: subsequence!.id })
        expect(moved.subsequence_id).toBe(subsequence!.id)
        expect(moved.status_summary_subseq).toEqual({})
        expect(moved.timestamp_added_subsequence && DateTime.toEpochMillis(moved.timestamp_added_subsequence)).toBe(
          june
        )
        expect(DateTime.toEpochMillis(moved.timestamp_updated)).toBe(june)
        expect(encode(yield* stored(inNone.id))).toEqual(encode(moved))
      }).pipe(withEmulator()))

    it.effect("get answers the stored lead, encoded with the Lead schema, as JSON", () =>
      Effect.gen(function*() {
        const { inOne } = yield* seeded
        const answer = yield* send("GET", `/api/v2/leads/${inOne.id}`)
        expect(answer.status).toBe(200)
        expect(answer.headers["content-type"]).toBe("application/json")
        expect(answer.body).toEqual(encode(inOne))
        expect(encode(yield* (yield* Leads).get(inOne.id))).toEqual(encode(inOne))
      }).pipe(withEmulator()))

    it.effect("a lead removed is out of its subsequence when read back, and counted", () =>
      Effect.gen(function*() {
        const { inOne } = yield* seeded
        const leads = yield* Leads
        yield* leads.removeFromSubsequence(inOne.id)
        expect((yield* leads.get(inOne.id)).subsequence_id).toBeNull()
        const counters = yield* (yield* InstantlyEmulator).counters
        expect(counters.operations).toEqual({ ...noOperations, removeFromSubsequence: 1, get: 1 })
        expect(counters.requests).toBe(2)
        expect(counters.responses).toEqual({ 200: 2 })
      }).pipe(withEmulator()))

    it.effect("seeds from a list of leads, keeps their order, and putLeads adds or replaces", () =>
      Effect.gen(function*() {
        const emulator = yield* InstantlyEmulator
        const [a, b, c] = InstantlyEmulator.generateLeads({ count: 3, seed: 99 })
        expect((yield* emulator.leads).map((l) => l.id)).toEqual([a!.id, b!.id])
        yield* emulator.putLeads([c!, new Lead({ ...a!, email: "changed@example.com" })])
        expect((yield* emulator.leads).map((l) => l.email)).toEqual(["changed@example.com", b!.email, c!.email])
      }).pipe(withEmulator({ leads: InstantlyEmulator.generateLeads({ count: 2, seed: 99 }) })))
  })

  describe("errors, in Instantly's envelope", () => {
    const keys: InstantlyEmulatorOptions["apiKeys"] = [
      { key: InstantlyEmulator.defaultApiKey, scopes: ["all:all"] },
      { key: "reader", scopes: ["leads:read"] },
      { key: "updater", scopes: ["leads:update"] },
      { key: "deleter", scopes: ["leads:delete", "all:delete"] }
    ]

    const expectEnvelope = (answer: { status: number; body: unknown }, status: number, message: string) => {
      expect(answer.status).toBe(status)
      expect(Schema.decodeUnknownSync(ErrorEnvelope)(answer.body)).toEqual(answer.body)
      expect(answer.body).toMatchObject({ statusCode: status, message })
    }

    it.effect("401 for a missing, malformed or unknown key; 403 for a key without the scope", () =>
      Effect.gen(function*() {
        const { inOne } = yield* seeded
        const body = JSON.stringify({ id: inOne.id })
        const get = `/api/v2/leads/${inOne.id}`
        expectEnvelope(
          yield* send("POST", removePath, { authorization: null, body }),
          401,
          "Missing Authorization header"
        )
        expect((yield* send("POST", removePath, { authorization: null, body })).body).toEqual({
          statusCode: 401,
          error: "Unauthorized",
          message: "Missing Authorization header"
        })
        expectEnvelope(
          yield* send("POST", removePath, { authorization: "Token abc", body }),
          401,
          "Malformed Authorization header: expected 'Bearer <API key>'"
        )
        expectEnvelope(
          yield* send("GET", get, { authorization: "Bearer" }),
          401,
          "Malformed Authorization header: expected 'Bearer <API key>'"
        )
        expectEnvelope(yield* send("GET", get, { authorization: "Bearer nope" }), 401, "Invalid API key")
        const updateOnly = "API key lacks the required scope: one of leads:update, leads:all, all:update, all:all"
        const readOnly = "API key lacks the required scope: one of leads:read, leads:all, all:read, all:all"
        expectEnvelope(yield* send("POST", removePath, { authorization: "Bearer reader", body }), 403, updateOnly)
        expectEnvelope(yield* send("GET", get, { authorization: "Bearer updater" }), 403, readOnly)
        expectEnvelope(yield* send("GET", get, { authorization: "Bearer deleter" }), 403, readOnly)
        expect((yield* send("GET", get, { authorization: "Bearer reader" })).status).toBe(200)
        expect((yield* send("POST", removePath, { authorization: "bearer updater", body })).status).toBe(200)
        // No operation happened but the one allowed remove and the allowed read.
        expect((yield* (yield* InstantlyEmulator).counters).operations).toEqual({
          ...noOperations,
          removeFromSubsequence: 1,
          get: 1
        })
      }).pipe(withEmulator({ apiKeys: keys })))

    it.effect("scopes: remove and move need one of leads:update, leads:all, all:update, all:all; get one of the read scopes", () =>
      Effect.gen(function*() {
        const emulator = yield* InstantlyEmulator
        const { inOne } = yield* seeded
        const body = JSON.stringify({ id: inOne.id })
        const allowed: Record<string, [remove: number, get: number]> = {}
        for (
          const scope of [
            "leads:update",
            "leads:all",
            "all:update",
            "all:all",
            "leads:read",
            "all:read",
            "campaigns:all"
          ]
        ) {
          yield* emulator.putApiKey({ key: scope, scopes: [scope] })
          const authorization = `Bearer ${scope}`
          allowed[scope] = [
            (yield* send("POST", removePath, { authorization, body })).status,
            (yield* send("GET", `/api/v2/leads/${inOne.id}`, { authorization })).status
          ]
        }
        expect(allowed).toEqual({
          "leads:update": [200, 403],
          "leads:all": [200, 200],
          "all:update": [200, 403],
          "all:all": [200, 200],
          "leads:read": [403, 200],
          "all:read": [403, 200],
          "campaigns:all": [403, 403]
        })
        yield* emulator.revokeApiKey("all:all")
        expectEnvelope(
          yield* send("GET", `/api/v2/leads/${inOne.id}`, { authorization: "Bearer all:all" }),
          401,
          "Invalid API key"
        )
      }).pipe(withEmulator({ apiKeys: [] })))

    it.effect("402 when the plan is inactive, for every operation; the lead is left alone", () =>
      Effect.gen(function*() {
        const emulator = yield* InstantlyEmulator
        const { inOne } = yield* seeded
        const message = "Workspace does not have an active paid plan"
        expect(yield* emulator.paidPlan).toBe(false)
        expectEnvelope(yield* send("POST", removePath, { body: JSON.stringify({ id: inOne.id }) }), 402, message)
        expectEnvelope(
          yield* send("POST", movePath, { body: JSON.stringify({ id: inOne.id, subsequence_id: newSubsequence }) }),
          402,
          message
        )
        expectEnvelope(yield* send("GET", `/api/v2/leads/${inOne.id}`), 402, message)
        expect(encode(yield* stored(inOne.id))).toEqual(encode(inOne))
        yield* emulator.setPaidPlan(true)
        expect((yield* send("GET", `/api/v2/leads/${inOne.id}`)).status).toBe(200)
      }).pipe(withEmulator({ paidPlan: false })))

    it.effect("404 for an unknown lead on every operation", () =>
      Effect.gen(function*() {
        expectEnvelope(
          yield* send("POST", removePath, { body: JSON.stringify({ id: unknownId }) }),
          404,
          "Resource not found"
        )
        expectEnvelope(
          yield* send("POST", movePath, { body: JSON.stringify({ id: unknownId, subsequence_id: newSubsequence }) }),
          404,
          "Resource not found"
        )
        expectEnvelope(yield* send("GET", `/api/v2/leads/${unknownId}`), 404, "Resource not found")
        expect((yield* send("GET", `/api/v2/leads/${unknownId}`)).body).toEqual({
          statusCode: 404,
          error: "Not Found",
          message: "Resource not found"
        })
      }).pipe(withEmulator()))

    it.effect("400 for a body that is not JSON or lacks a field, naming the field", () =>
      Effect.gen(function*() {
        const { inOne } = yield* seeded
        expectEnvelope(yield* send("POST", removePath, { body: "{id:" }), 400, "Body is not valid JSON")
        expectEnvelope(yield* send("POST", removePath), 400, "Body is not valid JSON")
        expectEnvelope(yield* send("POST", removePath, { body: "{}" }), 400, "body must have required property 'id'")
        expectEnvelope(yield* send("POST", removePath, { body: "[1]" }), 400, "body must be object")
        expectEnvelope(yield* send("POST", removePath, { body: "{\"id\":42}" }), 400, "body/id must be string")
        // Other clients' common mistake: lead_id or lead_ids instead of id.
        const required = "body must have required property 'id'"
        expectEnvelope(yield* send("POST", removePath, { body: JSON.stringify({ lead_id: inOne.id }) }), 400, required)
        expectEnvelope(
          yield* send("POST", removePath, { body: JSON.stringify({ lead_ids: [inOne.id] }) }),
          400,
          required
        )
        expectEnvelope(
          yield* send("POST", movePath, {
            body: JSON.stringify({ lead_id: inOne.id, subsequence_id: newSubsequence })
          }),
          400,
          required
        )
        expectEnvelope(
          yield* send("POST", movePath, { body: JSON.stringify({ id: inOne.id }) }),
          400,
          "body must have required property 'subsequence_id'"
        )
        expect(encode(yield* stored(inOne.id))).toEqual(encode(inOne))
      }).pipe(withEmulator()))

    it.effect("405 with Allow for another method on a path we serve, 404 for any other path", () =>
      Effect.gen(function*() {
        const { inOne } = yield* seeded
        const wrongMethod = yield* send("GET", removePath)
        expectEnvelope(wrongMethod, 405, `Method GET is not allowed on ${removePath}`)
        expect(wrongMethod.headers["allow"]).toBe("POST")
        const patch = yield* send("PATCH", `/api/v2/leads/${inOne.id}`, { body: "{}" })
        expectEnvelope(patch, 405, `Method PATCH is not allowed on /api/v2/leads/${inOne.id}`)
        expect(patch.headers["allow"]).toBe("GET")
        expectEnvelope(yield* send("GET", "/api/v2/campaigns"), 404, "Route GET:/api/v2/campaigns not found")
        expectEnvelope(
          yield* send("POST", "/api/v2/leads/subsequence/remove/x"),
          404,
          "Route POST:/api/v2/leads/subsequence/remove/x not found"
        )
      }).pipe(withEmulator()))

    it.effect("checks in Instantly's order: key, then scope, then plan, then body, then the lead", () =>
      Effect.gen(function*() {
        const emulator = yield* InstantlyEmulator
        const bad = { body: "not json" }
        expect((yield* send("POST", removePath, { ...bad, authorization: "Bearer nope" })).status).toBe(401)
        expect((yield* send("POST", removePath, { ...bad, authorization: "Bearer reader" })).status).toBe(403)
        expect((yield* send("POST", removePath, bad)).status).toBe(402)
        yield* emulator.setPaidPlan(true)
        expect((yield* send("POST", removePath, bad)).status).toBe(400)
        expect((yield* send("POST", removePath, { body: JSON.stringify({ id: unknownId }) })).status).toBe(404)
      }).pipe(withEmulator({ apiKeys: keys, paidPlan: false })))
  })

  describe("rate limit", () => {
    const get = Effect.flatMap(seeded, ({ inOne }) => send("GET", `/api/v2/leads/${inOne.id}`))
    const statuses = (n: number) =>
      Effect.map(Effect.replicateEffect(get, n), (answers) => answers.map((a) => a.status))

    it.effect("per second, sliding: 429 in the envelope with Retry-After until the window has room", () =>
      Effect.gen(function*() {
        expect(yield* statuses(3)).toEqual([200, 200, 200])
        yield* TestClock.adjust("400 millis")
        const limited = yield* get
        expect(limited.status).toBe(429)
        expect(limited.body).toEqual({ statusCode: 429, error: "Too Many Requests", message: "Rate limit exceeded" })
        expect(limited.headers["retry-after"]).toBe("1")
        yield* TestClock.adjust("599 millis")
        expect((yield* get).status).toBe(429)
        yield* TestClock.adjust("1 millis")
        expect(yield* statuses(4)).toEqual([200, 200, 200, 429])
        expect((yield* (yield* InstantlyEmulator).counters).rateLimited).toBe(3)
      }).pipe(withEmulator({ rateLimit: { perSecond: 3 } })))

    it.effect("per minute too, with Retry-After in whole seconds", () =>
      Effect.gen(function*() {
        for (let i = 0; i < 5; i++) {
          expect((yield* get).status).toBe(200)
          yield* TestClock.adjust("10 seconds")
        }
        const limited = yield* get
        expect(limited.status).toBe(429)
        expect(limited.headers["retry-after"]).toBe("10")
      }).pipe(withEmulator({ rateLimit: { perMinute: 5 } })))

    it.effect("the limit is the workspace's: all keys share it; a 401 does not use it up", () =>
      Effect.gen(function*() {
        const { inOne } = yield* seeded
        yield* (yield* InstantlyEmulator).putApiKey({ key: "second", scopes: ["all:all"] })
        const path = `/api/v2/leads/${inOne.id}`
        expect((yield* send("GET", path, { authorization: "Bearer nope" })).status).toBe(401)
        expect((yield* send("GET", path)).status).toBe(200)
        expect((yield* send("GET", path, { authorization: "Bearer second" })).status).toBe(200)
        expect((yield* send("GET", path, { authorization: "Bearer second" })).status).toBe(429)
        expect((yield* send("GET", path)).status).toBe(429)
      }).pipe(withEmulator({ rateLimit: { perSecond: 2 } })))

    it.effect("Retry-After can be switched off", () =>
      Effect.gen(function*() {
        yield* statuses(1)
        const limited = yield* get
        expect(limited.status).toBe(429)
        expect(limited.headers["retry-after"]).toBeUndefined()
      }).pipe(withEmulator({ rateLimit: { perSecond: 1, retryAfter: false } })))

    it.effect("defaults to Instantly's 100/s", () =>
      Effect.gen(function*() {
        const answers = yield* statuses(101)
        expect(answers.filter((s) => s === 200)).toHaveLength(100)
        expect(answers[100]).toBe(429)
      }).pipe(withEmulator()))

    it.effect("`rateLimit: false` switches it off", () =>
      Effect.gen(function*() {
        expect((yield* statuses(300)).every((s) => s === 200)).toBe(true)
      }).pipe(withEmulator({ rateLimit: false })))
  })

  describe("fault injection", () => {
    const faults: InstantlyEmulatorOptions["faults"] = {
      seed: 9,
      serverError: 0.1,
      dropConnection: 0.05,
      truncatedBody: 0.05,
      nonJsonBody: 0.05
    }

    it.effect("injects exactly the planned faults, counts each, and the client sees each as its error", () =>
      Effect.gen(function*() {
        const emulator = yield* InstantlyEmulator
        const leads = yield* Leads
        const { inOne } = yield* seeded
        const n = 300
        const tags: Record<string, number> = {}
        for (let i = 0; i < n; i++) {
          const result = yield* Effect.either(leads.get(inOne.id))
          const tag = Either.isRight(result) ? "ok" : result.left._tag
          tags[tag] = (tags[tag] ?? 0) + 1
        }
        // The plan is a pure function of the seed and arrival number: recompute it.
        const plan = Either.getOrThrow(Faults.makePlanner(faults))
        const planned: Record<string, number> = {}
        for (let i = 0; i < n; i++) {
          const { fault } = plan(i)
          const key = fault._tag === "ServerError" ? String(fault.status) : fault._tag
          planned[key] = (planned[key] ?? 0) + 1
        }
        const counters = yield* emulator.counters
        expect(counters.requests).toBe(n)
        expect(counters.faults).toEqual({
          delayed: 0,
          serverError: (planned["500"] ?? 0) + (planned["502"] ?? 0) + (planned["503"] ?? 0),
          dropped: planned["DropConnection"],
          truncated: planned["TruncatedBody"],
          nonJson: planned["NonJsonBody"],
          neverEnded: 0
        })
        expect(counters.responses).toEqual({
          200: n - counters.faults.serverError - counters.faults.dropped,
          500: planned["500"],
          502: planned["502"],
          503: planned["503"]
        })
        expect(tags).toEqual({
          ok: planned["None"],
          InstantlyServerError: counters.faults.serverError,
          // A body cut off mid-way is a transport error, as on a network; a 200 that is not JSON, a decode error.
          InstantlyTransportError: counters.faults.dropped + counters.faults.truncated,
          InstantlyDecodeError: counters.faults.nonJson
        })
        // Mangled answers were still operations carried out.
        expect(counters.operations.get).toBe(planned["None"]! + counters.faults.truncated + counters.faults.nonJson)
        // Pinned, so a change to the plan's arithmetic shows.
        expect(counters.faults).toMatchObject({ serverError: 30, dropped: 13, truncated: 15, nonJson: 14 })
      }).pipe(withEmulator({ faults, rateLimit: false })))

    it.effect("an answer to a remove cut off mid-body: a transport error (retried when retries are on), but the lead did leave its subsequence", () =>
      Effect.gen(function*() {
        const { inOne } = yield* seeded
        const error = yield* Effect.flip((yield* Leads).removeFromSubsequence(inOne.id))
        expect(error).toMatchObject({ _tag: "InstantlyTransportError", reason: "Transport" })
        expect((yield* stored(inOne.id)).subsequence_id).toBeNull()
        const raw = yield* send("GET", `/api/v2/leads/${inOne.id}`).pipe(Effect.exit)
        expect(Exit.isFailure(raw)).toBe(true) // half a JSON document
      }).pipe(withEmulator({ faults: { truncatedBody: 1 } })))

    it.effect("5xx and dropped connections happen before the workspace: nothing changes", () =>
      Effect.gen(function*() {
        const { inOne } = yield* seeded
        const leads = yield* Leads
        for (let i = 0; i < 20; i++) yield* Effect.either(leads.removeFromSubsequence(inOne.id))
        expect(encode(yield* stored(inOne.id))).toEqual(encode(inOne))
        const counters = yield* (yield* InstantlyEmulator).counters
        expect(counters.operations.removeFromSubsequence).toBe(0)
        expect(counters.faults.serverError + counters.faults.dropped).toBe(20)
      }).pipe(withEmulator({ faults: { serverError: 0.5, dropConnection: 0.5 } })))

    it.effect("latency delays the answer on the Effect clock (TestClock drives it)", () =>
      Effect.gen(function*() {
        const { inOne } = yield* seeded
        const fiber = yield* Effect.fork((yield* Leads).get(inOne.id))
        yield* TestClock.adjust("1999 millis")
        expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
        yield* TestClock.adjust("1 millis")
        expect((yield* Fiber.join(fiber)).id).toBe(inOne.id)
        expect((yield* (yield* InstantlyEmulator).counters).faults.delayed).toBe(1)
      }).pipe(withEmulator({ faults: { latency: { min: "2 seconds", max: "2 seconds" } } })))

    it.effect("a never-ending answer: the client's per-attempt timeout (30 s) ends the call", () =>
      Effect.gen(function*() {
        const { inOne } = yield* seeded
        const fiber = yield* Effect.fork(Effect.flip((yield* Leads).get(inOne.id)))
        yield* TestClock.adjust("29999 millis")
        expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
        yield* TestClock.adjust("1 millis")
        expect(yield* Fiber.join(fiber)).toMatchObject({ _tag: "InstantlyTransportError", reason: "Timeout" })
        const counters = yield* (yield* InstantlyEmulator).counters
        expect(counters.faults.neverEnded).toBe(1)
        expect(counters.responses).toEqual({ 200: 1 })
      }).pipe(withEmulator({ faults: { neverEnds: 1 } })))

    it.effect("resetCounters starts the counters again from zero", () =>
      Effect.gen(function*() {
        const emulator = yield* InstantlyEmulator
        yield* send("GET", "/nowhere")
        expect((yield* emulator.counters).requests).toBe(1)
        yield* emulator.resetCounters
        expect(yield* emulator.counters).toEqual({
          requests: 0,
          responses: {},
          rateLimited: 0,
          operations: noOperations,
          faults: { delayed: 0, serverError: 0, dropped: 0, truncated: 0, nonJson: 0, neverEnded: 0 }
        })
      }).pipe(withEmulator()))
  })

  describe("subsequences", () => {
    it.effect("move to an unknown subsequence is 404 Subsequence not found; the lead is left alone", () =>
      Effect.gen(function*() {
        const { inNone } = yield* seeded
        const body = JSON.stringify({ id: inNone.id, subsequence_id: newSubsequence })
        const answer = yield* send("POST", movePath, { body })
        expect(answer).toMatchObject({
          status: 404,
          body: { statusCode: 404, error: "Not Found", message: "Subsequence not found" }
        })
        expect(encode(yield* stored(inNone.id))).toEqual(encode(inNone))
        const error = yield* Effect.flip(
          (yield* Leads).moveToSubsequence({ id: inNone.id, subsequence_id: newSubsequence })
        )
        expect(error).toMatchObject({ _tag: "InstantlyNotFoundError", message: "Subsequence not found" })
        expect((yield* (yield* InstantlyEmulator).counters).operations.moveToSubsequence).toBe(0)
      }).pipe(withEmulator()))

    it.effect("move sets status Active, even of a Completed lead; remove leaves the status as it is", () =>
      Effect.gen(function*() {
        const emulator = yield* InstantlyEmulator
        const leads = yield* Leads
        const { inOne } = yield* seeded
        const completed = new Lead({ ...inOne, status: LeadStatus.Completed })
        yield* emulator.putLeads([completed])
        const removed = yield* leads.removeFromSubsequence(completed.id)
        expect(removed.status).toBe(LeadStatus.Completed)
        const moved = yield* leads.moveToSubsequence({ id: completed.id, subsequence_id: inOne.subsequence_id! })
        expect(moved.status).toBe(LeadStatus.Active)
        expect((yield* leads.removeFromSubsequence(completed.id)).status).toBe(LeadStatus.Active)
      }).pipe(withEmulator()))

    it.effect("GET /api/v2/subsequences/{id} answers the subsequence, encoded; 404 for an unknown one", () =>
      Effect.gen(function*() {
        const emulator = yield* InstantlyEmulator
        const [first, second] = yield* emulator.subsequences
        expect([first, second].map((s) => s?.id).sort()).toEqual(
          [...new Set((yield* emulator.leads).flatMap((lead) => lead.subsequence_id ?? []))].sort()
        )
        const answer = yield* send("GET", `/api/v2/subsequences/${first!.id}`)
        expect(answer.status).toBe(200)
        expect(answer.body).toEqual(Schema.encodeSync(Subsequence)(first!))
        expect(yield* (yield* Subsequences).get(second!.id)).toEqual(second)
        expect(yield* send("GET", `/api/v2/subsequences/${newSubsequence}`)).toMatchObject({
          status: 404,
          body: { statusCode: 404, message: "Resource not found" }
        })
        expect((yield* emulator.counters).operations.getSubsequence).toBe(2)
      }).pipe(withEmulator()))

    it.effect("reading a subsequence needs subsequences:read, subsequences:all, all:read or all:all", () =>
      Effect.gen(function*() {
        const emulator = yield* InstantlyEmulator
        const [subsequence] = yield* emulator.subsequences
        const allowed: Record<string, number> = {}
        for (const scope of ["subsequences:read", "subsequences:all", "all:read", "all:all", "leads:all"]) {
          yield* emulator.putApiKey({ key: scope, scopes: [scope] })
          allowed[scope] =
            (yield* send("GET", `/api/v2/subsequences/${subsequence!.id}`, { authorization: `Bearer ${scope}` })).status
        }
        expect(allowed).toEqual({
          "subsequences:read": 200,
          "subsequences:all": 200,
          "all:read": 200,
          "all:all": 200,
          "leads:all": 403
        })
      }).pipe(withEmulator({ apiKeys: [] })))

    it.effect("seeded with leads alone, their subsequences are implied (in each lead's campaign); given ones are kept", () =>
      Effect.gen(function*() {
        const emulator = yield* InstantlyEmulator
        const [given] = InstantlyEmulator.generateSubsequences({ seed: 99 })
        const subsequences = yield* emulator.subsequences
        expect(subsequences).toContainEqual(given)
        for (const lead of (yield* emulator.leads).filter((l) => l.subsequence_id !== null)) {
          const subsequence = Option.getOrThrow(yield* emulator.subsequence(lead.subsequence_id!))
          expect(subsequence.parent_campaign).toBe(lead.campaign)
        }
        const moved = new Lead({ ...(yield* seeded).inOne, subsequence_id: newSubsequence })
        yield* emulator.putLeads([moved])
        expect(Option.map(yield* emulator.subsequence(newSubsequence), (s) => [s.name, s.parent_campaign])).toEqual(
          Option.some(["Subsequence", moved.campaign])
        )
      }).pipe(withEmulator({
        leads: InstantlyEmulator.generateLeads({ count: 12, seed: 99 }),
        subsequences: InstantlyEmulator.generateSubsequences({ seed: 99 }).slice(0, 1)
      })))
  })

  describe("POST /api/v2/leads/list", () => {
    const listPath = "/api/v2/leads/list"
    const list = (body: unknown) => send("POST", listPath, { body: JSON.stringify(body) })
    const idsOf = (answer: { body: unknown }) =>
      (answer.body as { items: ReadonlyArray<{ id: string }> }).items.map((l) => l.id)

    it.effect("pages in ascending id order after starting_after; next_starting_after only when more follow", () =>
      Effect.gen(function*() {
        const all = (yield* (yield* InstantlyEmulator).leads).map((lead) => lead.id).sort()
        const first = yield* list({ limit: 10 })
        expect(first.status).toBe(200)
        expect(idsOf(first)).toEqual(all.slice(0, 10))
        expect(first.body).toMatchObject({ next_starting_after: all[9] })
        const second = yield* list({ limit: 10, starting_after: all[9] })
        expect(idsOf(second)).toEqual(all.slice(10, 20))
        const last = yield* list({ limit: 10, starting_after: all[19] })
        expect(idsOf(last)).toEqual(all.slice(20))
        expect("next_starting_after" in (last.body as object)).toBe(false)
        const exact = yield* list({ limit: 5, starting_after: all[19] })
        expect("next_starting_after" in (exact.body as object)).toBe(false)
        expect(idsOf(yield* list({}))).toEqual(all) // 100 by default (our assumption)
        expect((yield* (yield* InstantlyEmulator).counters).operations.list).toBe(5)
      }).pipe(withEmulator({ generate: { count: 25, seed: 4 } })))

    it.effect("keeps the leads every given filter selects", () =>
      Effect.gen(function*() {
        const all = [...(yield* (yield* InstantlyEmulator).leads)].sort((a, b) => (a.id < b.id ? -1 : 1))
        const [a, b, c] = all
        const cases: ReadonlyArray<readonly [object, (lead: Lead) => boolean]> = [
          [{ campaign: a!.campaign }, (l) => l.campaign === a!.campaign],
          [{ filter: LeadFilter.InSubsequence }, (l) => l.subsequence_id !== null],
          [
            { campaign: a!.campaign, filter: LeadFilter.InSubsequence },
            (l) => l.campaign === a!.campaign && l.subsequence_id !== null
          ],
          [{ filter: LeadFilter.Completed }, (l) => l.status === LeadStatus.Completed],
          [{ filter: LeadFilter.Interested }, (l) => l.lt_interest_status === InterestStatus.Interested],
          [{ ids: [c!.id, a!.id, "nope"] }, (l) => l.id === a!.id || l.id === c!.id],
          [{ excluded_ids: [b!.id] }, (l) => l.id !== b!.id],
          [{ contacts: [a!.email!.toUpperCase()] }, (l) => l.email === a!.email],
          [{ search: a!.last_name!.toLowerCase() }, (l) => l.last_name === a!.last_name],
          [
            { search: `${b!.first_name} ${b!.last_name}` },
            (l) => l.first_name === b!.first_name && l.last_name === b!.last_name
          ],
          [{ in_campaign: false }, () => false],
          [{ in_list: false, is_website_visitor: false }, () => true],
          [{ list_id: a!.id }, () => false]
        ]
        for (const [body, selects] of cases) {
          expect(idsOf(yield* list(body)), JSON.stringify(body)).toEqual(all.filter(selects).map((l) => l.id))
        }
      }).pipe(withEmulator({ generate: { count: 60, seed: 8 } })))

    it.effect("400 for a body the spec does not admit, or a filter the emulator does not implement", () =>
      Effect.gen(function*() {
        const cases: ReadonlyArray<readonly [unknown, string]> = [
          [{ limit: 0 }, "body/limit must be >= 1"],
          [{ limit: 101 }, "body/limit must be <= 100"],
          [{ limit: 2.5 }, "body/limit must be integer"],
          [{ ids: "a" }, "body/ids must be array"],
          [{ ids: ["a", 1] }, "body/ids/1 must be string"],
          [{ contacts: ["olga"] }, "body/contacts/0 must match format \"email\""],
          [{ in_campaign: "yes" }, "body/in_campaign must be boolean"],
          [{ queries: [{ values: {} }] }, "body/queries/0 must have required property 'actionType'"],
          [[], "body must be object"],
          [
            { filter: "FILTER_LEAD_CUSTOM_LABEL_POSITIVE" },
            "The emulator does not implement filter FILTER_LEAD_CUSTOM_LABEL_POSITIVE"
          ],
          [{ queries: [{ actionType: "reply", values: {} }] }, "The emulator does not implement body/queries"]
        ]
        for (const [body, message] of cases) {
          expect(yield* list(body), JSON.stringify(body)).toMatchObject({
            status: 400,
            body: { statusCode: 400, message }
          })
        }
        expect((yield* (yield* InstantlyEmulator).counters).operations.list).toBe(0)
      }).pipe(withEmulator()))

    it.effect("needs one of the read scopes", () =>
      Effect.gen(function*() {
        expect((yield* send("POST", listPath, { body: "{}", authorization: "Bearer updater" })).status).toBe(403)
        expect((yield* send("POST", listPath, { body: "{}", authorization: "Bearer reader" })).status).toBe(200)
      }).pipe(withEmulator({
        apiKeys: [{ key: "updater", scopes: ["leads:update"] }, { key: "reader", scopes: ["leads:read"] }]
      })))
  })

  describe("a workspace of a million generated leads", () => {
    it.effect("reads, removes and lists the last of them without making the others", () =>
      Effect.gen(function*() {
        const emulator = yield* InstantlyEmulator
        const million = generate({ count: 1_000_000, seed: 5 })
        const [last, before] = [million.idAt(999_999), million.idAt(999_998)]
        const leads = yield* Leads
        const lead = yield* leads.get(last)
        const removed = yield* leads.removeFromSubsequence(last)
        expect(removed.subsequence_id).toBeNull()
        expect(encode(Option.getOrThrow(yield* emulator.lead(last)))).toEqual(encode(removed))
        const page = yield* send("POST", "/api/v2/leads/list", { body: JSON.stringify({ starting_after: before }) })
        expect(page.body).toEqual({ items: [encode(removed)] })
        expect(lead.id).toBe(last)
      }).pipe(withEmulator({ generate: { count: 1_000_000, seed: 5 } })))
  })

  describe("options are validated", () => {
    const defect = (options: InstantlyEmulatorOptions) =>
      Effect.gen(function*() {
        const exit = yield* Effect.exit(Effect.scoped(Layer.build(InstantlyEmulator.layerClient(options))))
        return Exit.isFailure(exit) ? String(Cause.squash(exit.cause)) : "built"
      })

    it.effect("a wrong limit or fault share is a defect that names the option", () =>
      Effect.gen(function*() {
        expect(yield* defect({ rateLimit: { perSecond: 0 } })).toContain("rateLimit")
        expect(yield* defect({ rateLimit: { perMinute: 1.5 } })).toContain("perMinute")
        expect(yield* defect({ faults: { serverError: 2 } })).toContain(
          "InstantlyEmulator: faults.serverError must be between 0 and 1, got 2"
        )
        expect(yield* defect({ faults: { latency: { max: "soon" as Duration.DurationInput } } })).toContain(
          "faults.latency"
        )
        expect(yield* defect({ rateLimit: { perSecond: 5 }, faults: { serverError: 0.5 } })).toBe("built")
        const server = yield* Effect.exit(Effect.scoped(Layer.build(InstantlyEmulator.layerServer({ port: 70_000 }))))
        expect(Exit.isFailure(server) && String(Cause.squash(server.cause))).toContain("port")
      }))
  })
})

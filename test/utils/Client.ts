/**
 * The real `Leads` and `InstantlyClient` over the scripted `MockHttp`, for the tests of retries,
 * timeouts, the rate limiter and telemetry.
 */
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import { InstantlyClient, type InstantlyClientOptions, Leads } from "../../src/index.js"
import seed from "../fixtures/lead-seed-example.json" with { type: "json" }
import subsequence from "../fixtures/subsequence-example.json" with { type: "json" }
import * as MockHttp from "./MockHttp.js"

export { seed, subsequence }

export const apiKey = "sk_live_SECRET-KEY-789"
export const leadId = "019cc043-e399-7fdb-86d6-bb0d304b0776"

/** A 200 with the seed lead. */
export const ok: MockHttp.Reply = { status: 200, json: seed }

/** The `n`-th of a series of lead ids, ascending with `n`, e.g. `019cc043-0000-7000-8000-00000000002a`. */
export const idOf = (n: number): string => `019cc043-0000-7000-8000-${n.toString(16).padStart(12, "0")}`

/** The seed lead's JSON with another id and any other changes. */
export const leadJson = (id: string, changes: Record<string, unknown> = {}) => ({ ...seed, id, ...changes })

/** A 200 page of `listLeads` with these leads, and `next_starting_after` when given. */
export const page = (leads: ReadonlyArray<unknown>, next?: string): MockHttp.Reply => ({
  status: 200,
  json: next === undefined ? { items: leads } : { items: leads, next_starting_after: next }
})

/** A recorded request's JSON body. */
export const bodyOf = (request: MockHttp.Recorded | undefined): unknown => JSON.parse(request?.body ?? "null")

/** An error response in Instantly's envelope, with optional headers. */
export const status = (code: number, headers?: Record<string, string>): MockHttp.Reply => ({
  status: code,
  json: { statusCode: code, error: `HTTP ${code}`, message: `server says ${code}` },
  ...(headers === undefined ? {} : { headers })
})

/** `Leads` over `InstantlyClient.layer(options)` over the mock answering from `script`. */
export const layer = (
  script: Parameters<typeof MockHttp.layer>[0],
  options: Omit<InstantlyClientOptions, "apiKey"> = {}
) =>
  Leads.Default.pipe(
    Layer.provide(InstantlyClient.layer({ apiKey: Redacted.make(apiKey), ...options })),
    Layer.provideMerge(MockHttp.layer(script))
  )

/** Removes the test lead from its subsequence. */
export const remove = Effect.flatMap(Leads, (leads) => leads.removeFromSubsequence(leadId))

/** The instants (TestClock milliseconds) at which the mock received each request. */
export const sentAt = Effect.map(MockHttp.MockHttp, (mock) => mock.requests.map((request) => request.at))

/** Runs `self` on the TestClock, moving the clock `step` at a time until it is done. */
export const runOnTestClock = <A, E, R>(self: Effect.Effect<A, E, R>, step: Duration.DurationInput = "100 millis") =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(self)
    while (Option.isNone(yield* Fiber.poll(fiber))) yield* TestClock.adjust(step)
    return yield* Fiber.join(fiber)
  })

/**
 * Forks `self`, then moves the clock to each instant of `checkpoints` (milliseconds from now) in
 * turn, collecting `sentAt` there, and joins `self`.
 */
export const runUntil = <A, E, R>(self: Effect.Effect<A, E, R>, checkpoints: ReadonlyArray<number>) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(self)
    const seen: Array<ReadonlyArray<number>> = []
    let now = 0
    for (const at of checkpoints) {
      yield* TestClock.adjust(at - now)
      now = at
      seen.push(yield* sentAt)
    }
    return { exit: yield* Fiber.await(fiber), seen }
  })

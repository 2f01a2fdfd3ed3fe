/**
 * Per-call options (`RequestOptions`): a request handler bounds how long one call may take in all,
 * retries and waits for the rate limiter included, and sets retries and priority for that call.
 */
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Random from "effect/Random"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import { InstantlyClient, type InstantlyError, Lead, Leads, type RequestOptions, Subsequences } from "../src/index.js"
import { apiKey, layer, leadId, ok, runUntil, sentAt, status } from "./utils/Client.js"
import * as MockHttp from "./utils/MockHttp.js"

const removeWith = (options: RequestOptions) =>
  Effect.flatMap(Leads, (leads) => leads.removeFromSubsequence(leadId, options))

const noJitter = Random.fixed([0])

describe("per-call options", () => {
  it.effect("timeout: a Retry-After that would end past the call's timeout is not waited for", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(removeWith({ timeout: "5 seconds" }))
      expect(error).toMatchObject({ _tag: "InstantlyRateLimitError", attempts: 1 })
      if (error._tag === "InstantlyRateLimitError") {
        expect(Option.map(error.retryAfter, Duration.toSeconds)).toEqual(Option.some(30))
      }
      expect(yield* sentAt).toEqual([0])
    }).pipe(Effect.provide(layer([status(429, { "retry-after": "30" }), ok]))))

  it.effect("timeout: retries that fit are made; the first that would not fit ends the call with its error", () =>
    Effect.gen(function*() {
      // Backoffs of 500 ms, 1 s, 2 s: the third retry would start at 3.5 s, past 3 s.
      const { exit, seen } = yield* runUntil(Effect.withRandom(removeWith({ timeout: "3 seconds" }), noJitter), [5_000])
      expect(seen).toEqual([[0, 500, 1_500]])
      expect(exit._tag === "Failure" && exit.cause._tag === "Fail" && exit.cause.error).toMatchObject({
        _tag: "InstantlyServerError",
        attempts: 3
      })
    }).pipe(Effect.provide(layer([status(503)]))))

  it.effect("timeout: an attempt still running when the call's time is up is aborted, and the call fails as a timeout", () =>
    Effect.gen(function*() {
      const { exit, seen } = yield* runUntil(removeWith({ timeout: "5 seconds" }), [4_999, 5_000])
      expect(seen).toEqual([[0], [0]])
      expect(exit._tag === "Failure" && exit.cause._tag === "Fail" && exit.cause.error).toMatchObject({
        _tag: "InstantlyTransportError",
        reason: "Timeout",
        message: "No answer within 5s (the call's timeout)",
        attempts: 1
      })
      expect((yield* MockHttp.MockHttp).aborted).toEqual([0])
    }).pipe(Effect.provide(layer([{ hang: true }]))))

  it.effect("timeout: the wait for a rate limiter slot counts too", () =>
    Effect.gen(function*() {
      const first = yield* Effect.fork(removeWith({}))
      const second = yield* Effect.fork(Effect.flip(removeWith({ timeout: "500 millis" })))
      yield* TestClock.adjust("500 millis")
      expect(yield* Fiber.join(second)).toMatchObject({
        _tag: "InstantlyTransportError",
        reason: "Timeout",
        attempts: 0,
        message: "No answer within 500ms (the call's timeout); nothing was sent: the rate limiter held the call back"
      })
      expect(yield* Fiber.join(first)).toBeInstanceOf(Lead)
      expect(yield* sentAt).toEqual([0])
    }).pipe(Effect.provide(layer([ok], { rateLimit: { limits: [{ limit: 1, window: "1 second" }] } }))))

  it.effect("retry: false sends one request, whatever the client's policy", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(removeWith({ retry: false }))
      expect(error).toMatchObject({ _tag: "InstantlyServerError", attempts: 1 })
      expect(yield* sentAt).toEqual([0])
    }).pipe(Effect.provide(layer([status(503), ok]))))

  it.effect("retry options apply over the client's, for this call only; on a client without retries too", () =>
    Effect.gen(function*() {
      const { exit, seen } = yield* runUntil(
        Effect.withRandom(removeWith({ retry: { maxRetries: 1, baseDelay: "100 millis" } }), noJitter),
        [1_000]
      )
      expect(seen).toEqual([[0, 100]])
      expect(exit._tag === "Failure" && exit.cause._tag === "Fail" && exit.cause.error).toMatchObject({ attempts: 2 })
    }).pipe(Effect.provide(layer([status(503)], { retry: false }))))

  it.effect("priority: a background call waits behind an interactive one that came later", () =>
    Effect.gen(function*() {
      const leads = yield* Leads
      yield* leads.removeFromSubsequence(leadId)
      const background = yield* Effect.fork(leads.removeFromSubsequence(leadId, { priority: "background" }))
      yield* TestClock.adjust("100 millis")
      const interactive = yield* Effect.fork(leads.get(leadId))
      yield* TestClock.adjust("2 seconds")
      yield* Fiber.join(background)
      yield* Fiber.join(interactive)
      const requests = (yield* MockHttp.MockHttp).requests
      expect(requests.map((request) => [request.method, request.at])).toEqual([["POST", 0], ["GET", 1_000], [
        "POST",
        2_000
      ]])
    }).pipe(Effect.provide(layer([ok], { rateLimit: { limits: [{ limit: 1, window: "1 second" }] } }))))
})

describe("per-call options are checked before anything is sent", () => {
  /** Both services and the client itself over the mock. */
  const services = Layer.mergeAll(Leads.Default, Subsequences.Default).pipe(
    Layer.provideMerge(InstantlyClient.layer({ apiKey: Redacted.make(apiKey) })),
    Layer.provideMerge(MockHttp.layer([ok]))
  )
  /** Every operation that takes options, with them. */
  const operations: ReadonlyArray<
    readonly [string, (options: RequestOptions) => Effect.Effect<unknown, InstantlyError, Leads | Subsequences>]
  > = [
    ["removeFromSubsequence", (options: RequestOptions) => removeWith(options)],
    ["get", (options: RequestOptions) => Effect.flatMap(Leads, (leads) => leads.get(leadId, options))],
    [
      "moveToSubsequence",
      (options: RequestOptions) =>
        Effect.flatMap(Leads, (leads) => leads.moveToSubsequence({ id: leadId, subsequence_id: leadId }, options))
    ],
    [
      "getSubsequence",
      (options: RequestOptions) => Effect.flatMap(Subsequences, (subsequences) => subsequences.get(leadId, options))
    ]
  ]
  const invalid: ReadonlyArray<readonly [string, unknown, string]> = [
    ["timeout: 0", { timeout: 0 }, "timeout must be a positive, finite duration"],
    ["timeout: \"0 millis\"", { timeout: "0 millis" }, "got \"0 millis\""],
    [
      "timeout: -1",
      { timeout: -1 },
      "timeout must be a positive, finite duration (e.g. \"5 seconds\" or 5000 for milliseconds), got -1"
    ],
    ["timeout: NaN", { timeout: Number.NaN }, "timeout must be a positive, finite duration"],
    ["timeout: \"bogus\"", { timeout: "bogus" }, "got \"bogus\""],
    ["timeout: Infinity", { timeout: Infinity }, "timeout must be a positive, finite duration"],
    ["retry.maxRetries: -1", { retry: { maxRetries: -1 } }, "retry.maxRetries must be a non-negative integer, got -1"],
    ["retry.jitter: 5", { retry: { jitter: 5 } }, "retry.jitter must be a fraction from 0 to 1, got 5"],
    ["retry.baseDelay: -5", { retry: { baseDelay: -5 } }, "retry.baseDelay must be a finite, non-negative duration"],
    ["retry.maxDelay: \"bogus\"", { retry: { maxDelay: "bogus" } }, "retry.maxDelay must be"],
    ["retry: \"yes\"", { retry: "yes" }, "retry must be false or retry options"],
    ["priority: \"bogus\"", { priority: "bogus" }, "priority must be \"interactive\" or \"background\", got \"bogus\""]
  ]
  for (const [name, options, message] of invalid) {
    it.effect(`${name}: InstantlyInvalidInputError naming it, from every operation, nothing sent`, () =>
      Effect.gen(function*() {
        for (const [operation, run] of operations) {
          const error = yield* Effect.flip(run(options as RequestOptions))
          expect(error).toMatchObject({ _tag: "InstantlyInvalidInputError", operation })
          expect(error.message).toContain(message)
        }
        expect(yield* sentAt).toEqual([])
      }).pipe(Effect.provide(services)))
  }

  it.effect("execute called directly with a bad option: a defect naming it, nothing sent", () =>
    Effect.gen(function*() {
      const client = yield* InstantlyClient
      const exit = yield* Effect.exit(client.execute(
        { operation: "get", request: HttpClientRequest.get(`/api/v2/leads/${leadId}`), response: Lead },
        { timeout: 0 }
      ))
      expect(exit._tag === "Failure" && exit.cause._tag === "Die" && String(exit.cause.defect)).toContain(
        "InstantlyClient.execute: timeout must be a positive, finite duration"
      )
      expect(yield* sentAt).toEqual([])
    }).pipe(Effect.provide(services)))

  it.effect("valid options are taken as they are: a timeout in milliseconds, background, retry: false", () =>
    Effect.gen(function*() {
      const lead = yield* removeWith({ timeout: 5_000, priority: "background", retry: false })
      expect(lead).toBeInstanceOf(Lead)
      expect(yield* sentAt).toEqual([0])
    }).pipe(Effect.provide(layer([ok]))))

  it.effect("timeout: a rate limiter slot that comes just when the call's time is up is not used: nothing sent", () =>
    Effect.gen(function*() {
      const first = yield* Effect.fork(removeWith({}))
      const second = yield* Effect.fork(Effect.flip(removeWith({ timeout: "1 second" })))
      yield* TestClock.adjust("1 second")
      expect(yield* Fiber.join(second)).toMatchObject({
        _tag: "InstantlyTransportError",
        reason: "Timeout",
        attempts: 0,
        message: "No answer within 1s (the call's timeout); nothing was sent: the rate limiter held the call back"
      })
      yield* Fiber.join(first)
      expect(yield* sentAt).toEqual([0])
    }).pipe(Effect.provide(layer([ok], { rateLimit: { limits: [{ limit: 1, window: "1 second" }] } }))))
})

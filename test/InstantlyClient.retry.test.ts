import { describe, expect, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Config from "effect/Config"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Random from "effect/Random"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import { InstantlyClient, Lead, Leads } from "../src/index.js"
import { layer, ok, remove, runUntil, sentAt, status } from "./utils/Client.js"
import * as MockHttp from "./utils/MockHttp.js"

/** No jitter taken off: the backoff delays are exactly 500 ms, 1 s, 2 s, 4 s. */
const noJitter = Random.fixed([0])

const successOf = <A, E>(exit: Exit.Exit<A, E>): A => {
  if (Exit.isFailure(exit)) throw new Error(`expected success, got ${exit.cause}`)
  return exit.value
}
const failureOf = <A, E>(exit: Exit.Exit<A, E>): E => {
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  return Option.getOrThrow(Cause.failureOption(exit.cause))
}

describe("InstantlyClient retries", () => {
  it.effect("503, 503, 200 gives the lead after exactly the backoff delays: 500 ms, then 1 s", () =>
    Effect.gen(function*() {
      const { exit, seen } = yield* runUntil(Effect.withRandom(remove, noJitter), [0, 499, 500, 1_499, 1_500])
      expect(successOf(exit)).toBeInstanceOf(Lead)
      expect(seen).toEqual([[0], [0], [0, 500], [0, 500], [0, 500, 1_500]])
    }).pipe(Effect.provide(layer([status(503), status(503), ok]))))

  it.effect("takes up to a quarter off each backoff at random (jitter)", () =>
    Effect.gen(function*() {
      const { exit, seen } = yield* runUntil(Effect.withRandom(remove, Random.fixed([1, 0.5])), [10_000])
      expect(successOf(exit)).toBeInstanceOf(Lead)
      expect(seen).toEqual([[0, 375, 375 + 875]])
    }).pipe(Effect.provide(layer([status(503), status(503), ok]))))

  it.effect("429 with Retry-After: 7 waits 7 s, not the 500 ms backoff", () =>
    Effect.gen(function*() {
      const { exit, seen } = yield* runUntil(Effect.withRandom(remove, noJitter), [500, 6_999, 7_000])
      expect(successOf(exit)).toBeInstanceOf(Lead)
      expect(seen).toEqual([[0], [0], [0, 7_000]])
    }).pipe(Effect.provide(layer([status(429, { "retry-after": "7" }), ok]))))

  it.effect("Retry-After as an HTTP date waits until that date", () =>
    Effect.gen(function*() {
      const start = Date.parse("2026-11-26T12:00:00.000Z")
      yield* TestClock.setTime(start)
      const { exit, seen } = yield* runUntil(remove, [2_999, 3_000])
      expect(successOf(exit)).toBeInstanceOf(Lead)
      expect(seen.map((times) => times.map((t) => t - start))).toEqual([[0], [0, 3_000]])
    }).pipe(Effect.provide(layer([status(429, { "retry-after": "Thu, 26 Nov 2026 12:00:03 GMT" }), ok]))))

  it.effect("retry-after-ms is honoured to the millisecond, on a 503 too", () =>
    Effect.gen(function*() {
      const { exit, seen } = yield* runUntil(remove, [1_249, 1_250])
      expect(successOf(exit)).toBeInstanceOf(Lead)
      expect(seen).toEqual([[0], [0, 1_250]])
    }).pipe(Effect.provide(layer([status(503, { "retry-after-ms": "1250" }), ok]))))

  it.effect("Retry-After: 3600 fails at once with retryAfter of one hour, without sleeping", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(remove)
      expect(error._tag).toBe("InstantlyRateLimitError")
      if (error._tag !== "InstantlyRateLimitError") return
      expect(Option.map(error.retryAfter, Duration.toHours)).toEqual(Option.some(1))
      expect(error.attempts).toBe(1)
      expect(yield* sentAt).toEqual([0])
    }).pipe(Effect.provide(layer([status(429, { "retry-after": "3600" }), ok]))))

  it.effect("maxRetryAfter sets where a Retry-After is too long to wait", () =>
    Effect.gen(function*() {
      const { exit, seen } = yield* runUntil(remove, [3_600_000])
      expect(successOf(exit)).toBeInstanceOf(Lead)
      expect(seen).toEqual([[0, 3_600_000]])
    }).pipe(
      Effect.provide(layer([status(429, { "retry-after": "3600" }), ok], { retry: { maxRetryAfter: "2 hours" } }))
    ))

  it.effect("a 429 without Retry-After but with X-RateLimit-Reset (epoch seconds) waits until the reset", () =>
    Effect.gen(function*() {
      const start = Date.parse("2026-11-26T12:00:00.000Z")
      yield* TestClock.setTime(start)
      const { exit, seen } = yield* runUntil(remove, [3_999, 4_000])
      expect(successOf(exit)).toBeInstanceOf(Lead)
      expect(seen.map((times) => times.map((t) => t - start))).toEqual([[0], [0, 4_000]])
    }).pipe(Effect.provide(layer([
      status(429, {
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": String(Date.parse("2026-11-26T12:00:04Z") / 1_000)
      }),
      ok
    ]))))

  it.effect("a reset further away than maxRetryAfter fails at once, with retryAfter saying how far", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(remove)
      expect(error._tag).toBe("InstantlyRateLimitError")
      if (error._tag === "InstantlyRateLimitError") {
        expect(Option.map(error.retryAfter, Duration.toSeconds)).toEqual(Option.some(90))
      }
      expect(yield* sentAt).toEqual([0])
    }).pipe(Effect.provide(layer([status(429, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "90" }), ok]))))

  it.effect.each(["Retry 2", "wait 10", "soon 1", "Thu Nov 26 12:00:03"])(
    "Retry-After: %s means nothing: the backoff applies, not an instant retry",
    (value) =>
      Effect.gen(function*() {
        yield* TestClock.setTime(Date.parse("2026-11-26T12:00:00.000Z"))
        const { exit, seen } = yield* runUntil(Effect.withRandom(remove, noJitter), [499, 500])
        expect(successOf(exit)).toBeInstanceOf(Lead)
        expect(seen.map((times) => times.length)).toEqual([1, 2])
      }).pipe(Effect.provide(layer([status(429, { "retry-after": value }), ok])))
  )

  describe("never retries what another attempt cannot fix: one request", () => {
    for (const code of [400, 401, 402, 403, 404, 409, 422, 501]) {
      it.effect(String(code), () =>
        Effect.gen(function*() {
          const error = yield* Effect.flip(remove)
          expect(error).toMatchObject({ status: code, attempts: 1 })
          expect(yield* sentAt).toEqual([0])
        }).pipe(Effect.provide(layer([status(code), ok]))))
    }

    it.effect("a 200 that does not decode", () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(remove)
        expect(error._tag).toBe("InstantlyDecodeError")
        expect(yield* sentAt).toEqual([0])
      }).pipe(Effect.provide(layer([{ status: 200, json: { id: 1 } }, ok]))))
  })

  describe("retries 408, 429, 500, 502, 503, 504 and dropped connections", () => {
    const replies: ReadonlyArray<[string, MockHttp.Reply]> = [
      ...[408, 429, 500, 502, 503, 504].map((code): [string, MockHttp.Reply] => [String(code), status(code)]),
      ["dropped connection", { drop: true }]
    ]
    for (const [name, reply] of replies) {
      it.effect(name, () =>
        Effect.gen(function*() {
          const { exit, seen } = yield* runUntil(Effect.withRandom(remove, noJitter), [500])
          expect(successOf(exit)).toBeInstanceOf(Lead)
          expect(seen).toEqual([[0, 500]])
        }).pipe(Effect.provide(layer([reply, ok]))))
    }
  })

  it.effect("retries used up: the last error, with attempts = 5, after 500 ms + 1 s + 2 s + 4 s", () =>
    Effect.gen(function*() {
      const { exit, seen } = yield* runUntil(Effect.withRandom(remove, noJitter), [7_499, 7_500])
      expect(seen).toEqual([[0, 500, 1_500, 3_500], [0, 500, 1_500, 3_500, 7_500]])
      expect(failureOf(exit)).toMatchObject({ _tag: "InstantlyServerError", status: 503, attempts: 5 })
    }).pipe(Effect.provide(layer([status(502), status(502), status(502), status(502), status(503)]))))

  it.effect("the attempts count also when a retried call ends in an error that is not retried", () =>
    Effect.gen(function*() {
      const { exit } = yield* runUntil(Effect.withRandom(remove, noJitter), [500])
      expect(failureOf(exit)).toMatchObject({ _tag: "InstantlyNotFoundError", attempts: 2 })
    }).pipe(Effect.provide(layer([status(503), status(404)]))))

  it.effect("a 200 that does not decode after a retry says how many attempts it took", () =>
    Effect.gen(function*() {
      const { exit } = yield* runUntil(Effect.withRandom(remove, noJitter), [500])
      expect(failureOf(exit)).toMatchObject({ _tag: "InstantlyDecodeError", status: 200, attempts: 2 })
    }).pipe(Effect.provide(layer([status(503), { status: 200, text: "{ not json" }]))))

  it.effect("a hung response times out after 30 s, its request is aborted, and it is retried", () =>
    Effect.gen(function*() {
      const { exit, seen } = yield* runUntil(Effect.withRandom(remove, noJitter), [29_999, 30_000, 30_500])
      expect(successOf(exit)).toBeInstanceOf(Lead)
      expect(seen).toEqual([[0], [0], [0, 30_500]])
      expect((yield* MockHttp.MockHttp).aborted).toContain(0)
    }).pipe(Effect.provide(layer([{ hang: true }, ok]))))

  it.effect("a timeout is an InstantlyTransportError with reason Timeout", () =>
    Effect.gen(function*() {
      const { exit } = yield* runUntil(remove, [5_000])
      expect(failureOf(exit)).toMatchObject({
        _tag: "InstantlyTransportError",
        reason: "Timeout",
        attempts: 1,
        path: "/api/v2/leads/subsequence/remove"
      })
    }).pipe(Effect.provide(layer([{ hang: true }], { retry: false, timeout: "5 seconds" }))))

  it.effect("timeout: false waits as long as the server takes", () =>
    Effect.gen(function*() {
      const { exit } = yield* runUntil(Effect.timeout(remove, "1 hour"), [3_600_000])
      expect(failureOf(exit)._tag).toBe("TimeoutException")
      expect(yield* sentAt).toEqual([0])
    }).pipe(Effect.provide(layer([{ hang: true }], { retry: false, timeout: false }))))

  it.effect("retry: false sends one request and returns its error", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(remove)
      expect(error).toMatchObject({ _tag: "InstantlyServerError", status: 503, attempts: 1 })
      expect(yield* sentAt).toEqual([0])
    }).pipe(Effect.provide(layer([status(503), ok], { retry: false }))))

  it.effect("layerConfig takes the same options", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(remove)
      expect(error).toMatchObject({ status: 503, attempts: 1 })
      expect(yield* sentAt).toEqual([0])
    }).pipe(Effect.provide(Leads.Default.pipe(
      Layer.provide(InstantlyClient.layerConfig({ apiKey: Config.succeed(Redacted.make("k")), retry: false })),
      Layer.provideMerge(MockHttp.layer([status(503), ok]))
    ))))

  it.effect("maxRetries and baseDelay are options", () =>
    Effect.gen(function*() {
      const { exit, seen } = yield* runUntil(Effect.withRandom(remove, noJitter), [1_000])
      expect(seen).toEqual([[0, 100, 300]])
      expect(failureOf(exit)).toMatchObject({ status: 503, attempts: 3 })
    }).pipe(Effect.provide(layer([status(503)], { retry: { maxRetries: 2, baseDelay: "100 millis" } }))))
})

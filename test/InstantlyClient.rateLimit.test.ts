import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Random from "effect/Random"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import {
  InstantlyClient,
  type InstantlyClientOptions,
  type InstantlyClientService,
  Lead,
  RateLimiter
} from "../src/index.js"
import { apiKey, layer, leadId, ok, remove, sentAt, status } from "./utils/Client.js"
import * as MockHttp from "./utils/MockHttp.js"
import { maxInWindow } from "./utils/Windows.js"

/** Runs `count` removes, `concurrency` at a time, on TestClock until all are done; answers their send instants. */
const removeMany = (count: number, concurrency: number | "unbounded", until: Duration.DurationInput) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(
      Effect.forEach(Array.from({ length: count }), () => remove, { concurrency, discard: true })
    )
    yield* TestClock.adjust(until)
    yield* Fiber.join(fiber)
    return yield* sentAt
  })

/** After a first request at 0, another call is held back exactly `millis` (not a millisecond less). */
const nextSentAfter = (millis: number) =>
  Effect.gen(function*() {
    const other = yield* Effect.fork(remove)
    yield* TestClock.adjust(millis - 1)
    expect(yield* sentAt).toEqual([0])
    yield* TestClock.adjust(1)
    yield* Fiber.join(other)
    expect(yield* sentAt).toEqual([0, millis])
  })

describe("InstantlyClient rate limiter", () => {
  it.effect("250 concurrent calls at the default limits finish in 2 s, never more than 100 in any 1 s window", () =>
    Effect.gen(function*() {
      const times = yield* removeMany(250, "unbounded", "2 seconds")
      expect(times).toHaveLength(250)
      expect(Math.max(...times)).toBe(2_000)
      expect(maxInWindow(times, 1_000)).toBe(100)
    }).pipe(Effect.provide(layer([ok]))))

  // TestClock wakes one sleeper per step, so 7,000 sleeping fibers would take minutes: 8 workers; and
  // no per-attempt timeout, whose 7,000 TestClock timers would each be sorted at every step.
  it.effect("7,000 calls never exceed 6,000 in any 60 s window", () =>
    Effect.gen(function*() {
      const times = yield* removeMany(7_000, 8, "2 minutes")
      expect(times).toHaveLength(7_000)
      expect(maxInWindow(times, 60_000)).toBe(6_000)
      expect(maxInWindow(times, 1_000)).toBeLessThanOrEqual(1_000)
    }).pipe(Effect.provide(layer([ok], {
      timeout: false,
      rateLimit: { limits: [{ limit: 1_000, window: "1 second" }, { limit: 6_000, window: "1 minute" }] }
    }))))

  it.effect("rateLimit: false sends all 250 at once", () =>
    Effect.gen(function*() {
      const times = yield* removeMany(250, "unbounded", "0 millis")
      expect(times.filter((t) => t === 0)).toHaveLength(250)
    }).pipe(Effect.provide(layer([ok], { rateLimit: false }))))

  it.effect("a 429 with Retry-After: 2 holds back the other fibers' requests for 2 s", () =>
    Effect.gen(function*() {
      const first = yield* Effect.fork(remove)
      yield* TestClock.adjust("500 millis")
      const others = yield* Effect.fork(Effect.all([remove, remove, remove], { concurrency: "unbounded" }))
      yield* TestClock.adjust("1499 millis")
      expect(yield* sentAt).toEqual([0])
      yield* TestClock.adjust("1 millis")
      yield* Fiber.join(first)
      yield* Fiber.join(others)
      expect(yield* sentAt).toEqual([0, 2_000, 2_000, 2_000, 2_000])
    }).pipe(Effect.provide(layer((_, index) => index === 0 ? status(429, { "retry-after": "2" }) : ok))))

  it.effect("a 429 without Retry-After holds the others back for the backoff delay", () =>
    Effect.gen(function*() {
      const first = yield* Effect.fork(Effect.withRandom(remove, Random.fixed([0])))
      yield* TestClock.adjust("100 millis")
      const other = yield* Effect.fork(remove)
      yield* TestClock.adjust("399 millis")
      expect(yield* sentAt).toEqual([0])
      yield* TestClock.adjust("1 millis")
      yield* Fiber.join(first)
      yield* Fiber.join(other)
      expect(yield* sentAt).toEqual([0, 500, 500])
    }).pipe(Effect.provide(layer((_, index) => index === 0 ? status(429) : ok))))

  it.effect("a 429 whose Retry-After means nothing still pauses the others, for the backoff", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(remove)
      expect(error._tag).toBe("InstantlyRateLimitError")
      yield* nextSentAfter(500)
    }).pipe(Effect.provide(layer((_, index) => index === 0 ? status(429, { "retry-after": "soon 1" }) : ok, {
      retry: false
    }))))

  it.effect("several 429s from one burst pause once, until the latest end, not once each", () =>
    Effect.gen(function*() {
      // Five calls at once all get 429 (Retry-After: 2), answered 10 ms apart.
      const burst = yield* Effect.fork(Effect.all(Array.from({ length: 5 }, () => Effect.either(remove)), {
        concurrency: "unbounded"
      }))
      yield* TestClock.adjust("100 millis")
      yield* Fiber.join(burst)
      // The last 429 came at 50 ms: the next call goes at 2,050 ms, not 10 s later.
      const next = yield* Effect.fork(remove)
      yield* TestClock.adjust("1949 millis")
      expect((yield* sentAt).filter((t) => t > 100)).toEqual([])
      yield* TestClock.adjust("1 millis")
      yield* Fiber.join(next)
      expect((yield* sentAt).filter((t) => t > 100)).toEqual([2_050])
    }).pipe(Effect.provide(layer(
      (_, index) => index < 5 ? { ...status(429, { "retry-after": "2" }), delay: 10 * (index + 1) } : ok,
      { retry: false }
    ))))

  it.effect("with retry: false a 429 still pauses the limiter for the others", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(remove)
      expect(error._tag).toBe("InstantlyRateLimitError")
      yield* nextSentAfter(5_000)
    }).pipe(Effect.provide(layer((_, index) => index === 0 ? status(429, { "retry-after": "5" }) : ok, {
      retry: false
    }))))

  it.effect("a Retry-After over maxRetryAfter fails that call at once and holds the others for maxRetryAfter", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(remove)
      expect(error).toMatchObject({ _tag: "InstantlyRateLimitError", attempts: 1 })
      yield* nextSentAfter(60_000)
    }).pipe(Effect.provide(layer((_, index) => index === 0 ? status(429, { "retry-after": "3600" }) : ok))))

  it.effect("rateLimit.limiter stands in for the built-in one: asked before every send, told of 429s, released after the answer", () =>
    Effect.gen(function*() {
      const events: Array<string> = []
      const limiter: RateLimiter.RateLimiter = {
        acquire: () =>
          Effect.as(
            Effect.acquireRelease(Effect.sync(() => events.push("acquire")), () =>
              Effect.sync(() => events.push("release"))),
            Duration.zero
          ),
        pause: (duration) => Effect.sync(() => void events.push(`pause ${Duration.toMillis(duration)}`))
      }
      yield* Effect.flip(remove).pipe(
        Effect.provide(layer([status(429, { "retry-after": "2" })], { retry: false, rateLimit: { limiter } }))
      )
      yield* remove.pipe(Effect.provide(layer([ok], { rateLimit: { limiter } })))
      expect(events).toEqual(["acquire", "pause 2000", "release", "acquire", "release"])
    }))

  it.effect("each InstantlyClient layer has its own limiter, shared by every fiber using it", () =>
    Effect.gen(function*() {
      const times = yield* removeMany(3, "unbounded", "2 seconds")
      expect(times).toEqual([0, 1_000, 2_000])
    }).pipe(Effect.provide(layer([ok], { rateLimit: { limits: [{ limit: 1, window: "1 second" }] } }))))

  it.effect("clients built over one RateLimiter.layer share its limit; one with its own limits keeps its own", () =>
    Effect.gen(function*() {
      const mock = MockHttp.layer([ok])
      const clientOf = (options: Omit<InstantlyClientOptions, "apiKey"> = {}) =>
        Effect.provide(
          InstantlyClient,
          InstantlyClient.layer({ apiKey: Redacted.make(apiKey), ...options }).pipe(Layer.provide(mock))
        )
      const shared = RateLimiter.layer({ limits: [{ limit: 1, window: "1 second" }] })
      const [a, b, own] = yield* Effect.all([
        clientOf(),
        clientOf(),
        clientOf({ rateLimit: { limits: [{ limit: 5, window: "1 second" }] } })
      ]).pipe(Effect.provide(shared))
      const sendVia = (client: InstantlyClientService) =>
        Effect.zipRight(
          client.execute({
            operation: "get",
            request: HttpClientRequest.get(`/api/v2/leads/${leadId}`),
            response: Lead
          }),
          Clock.currentTimeMillis
        )
      const fiber = yield* Effect.fork(
        Effect.all([sendVia(a), sendVia(b), sendVia(a), sendVia(own), sendVia(own)], { concurrency: "unbounded" })
      )
      yield* TestClock.adjust("3 seconds")
      // a and b take turns under one limit of 1/s; `own` is not held back by them.
      expect(yield* Fiber.join(fiber)).toEqual([0, 1_000, 2_000, 0, 0])
    }))
})

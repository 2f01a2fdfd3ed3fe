import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Metric from "effect/Metric"
import type * as MetricPair from "effect/MetricPair"
import * as Random from "effect/Random"
import * as TestClock from "effect/TestClock"
import { layer, ok, remove, status } from "./utils/Client.js"

/** The state of metric `name` whose tags are exactly `tags` (in any order), if recorded. */
const stateOf = (pairs: ReadonlyArray<MetricPair.MetricPair.Untyped>, name: string, tags: Record<string, string>) =>
  pairs.find((pair) =>
    pair.metricKey.name === name &&
    pair.metricKey.tags.length === Object.keys(tags).length &&
    pair.metricKey.tags.every((label) => tags[label.key] === label.value)
  )?.metricState as unknown

/** Runs `self` tagged with a fresh `test` tag (metrics are global), a minute of TestClock ahead. */
const tagged = (test: string, self: Effect.Effect<unknown, unknown, any>) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(
      Effect.either(Effect.tagMetrics(Effect.withRandom(self, Random.fixed([0])), "test", test))
    )
    yield* TestClock.adjust("1 minute")
    yield* Fiber.join(fiber)
    return yield* Metric.snapshot
  })

describe("InstantlyMetrics", () => {
  it.effect("counts requests by operation and status class, retries by reason, and times each request", () =>
    Effect.gen(function*() {
      const pairs = yield* tagged("503-429-hang-200", remove)
      const operation = "removeFromSubsequence"
      const count = (name: string, tags: Record<string, string>) =>
        (stateOf(pairs, name, { test: "503-429-hang-200", operation, ...tags }) as { count?: number } | undefined)
          ?.count
      expect(count("instantly_requests_total", { status_class: "5xx" })).toBe(1)
      expect(count("instantly_requests_total", { status_class: "4xx" })).toBe(1)
      expect(count("instantly_requests_total", { status_class: "timeout" })).toBe(1)
      expect(count("instantly_requests_total", { status_class: "2xx" })).toBe(1)
      expect(count("instantly_retries_total", { reason: "503" })).toBe(1)
      expect(count("instantly_retries_total", { reason: "429" })).toBe(1)
      expect(count("instantly_retries_total", { reason: "timeout" })).toBe(1)
      expect(count("instantly_request_duration_seconds", {})).toBe(4)
    }).pipe(Effect.provide(layer([status(503), status(429), { hang: true }, ok], { timeout: "2 seconds" }))))

  it.effect("an attempt that times out reading the body after its headers counts as a timeout, never as 2xx", () =>
    Effect.gen(function*() {
      const pairs = yield* tagged("headers-then-hang", remove)
      const count = (statusClass: string) =>
        (stateOf(pairs, "instantly_requests_total", {
          test: "headers-then-hang",
          operation: "removeFromSubsequence",
          status_class: statusClass
        }) as { count?: number } | undefined)?.count
      expect(count("timeout")).toBe(1)
      expect(count("2xx")).toBe(1)
    }).pipe(Effect.provide(layer([{ status: 200, bodyHangs: true }, ok], { timeout: "2 seconds" }))))

  it.effect("records the time requests waited in the rate limiter", () =>
    Effect.gen(function*() {
      const pairs = yield* tagged("limiter-wait", Effect.all([remove, remove, remove], { concurrency: "unbounded" }))
      const state = stateOf(pairs, "instantly_rate_limiter_wait_seconds", {
        test: "limiter-wait",
        operation: "removeFromSubsequence"
      }) as
        | { count: number; sum: number }
        | undefined
      expect(state).toMatchObject({ count: 2, sum: 1 + 2 })
    }).pipe(Effect.provide(layer([ok], { rateLimit: { limits: [{ limit: 1, window: "1 second" }] } }))))
})

import { describe, expect, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as TestClock from "effect/TestClock"
import { RateLimiter } from "../src/index.js"
import { maxInWindow } from "./utils/Windows.js"

/** Starts `count` acquires at once; answers the fiber and the instants at which each got its slot. */
const acquireAll = (limiter: RateLimiter.RateLimiter, count: number) =>
  Effect.gen(function*() {
    const granted: Array<number> = []
    const fiber = yield* Effect.fork(Effect.forEach(
      Array.from({ length: count }, (_, i) => i),
      (i) => Effect.zipRight(limiter.acquire, Effect.map(Clock.currentTimeMillis, (now) => void (granted[i] = now))),
      { concurrency: "unbounded", discard: true }
    ))
    return { fiber, granted }
  })

describe("RateLimiter", () => {
  it("defaults to Instantly's workspace limits: 100 per second and 6,000 per minute", () => {
    expect(RateLimiter.defaultRateLimits.map(({ limit, window }) => [limit, Duration.toMillis(window)])).toEqual([
      [100, 1_000],
      [6_000, 60_000]
    ])
  })

  it.effect("250 acquires at the default limits: 100 at once, then 100 a second, never 101 in 1 s", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimiter.make()
      const { fiber, granted } = yield* acquireAll(limiter, 250)
      yield* TestClock.adjust("2 seconds")
      yield* Fiber.join(fiber)
      expect(granted.filter((t) => t === 0)).toHaveLength(100)
      expect(granted.filter((t) => t === 1_000)).toHaveLength(100)
      expect(Math.max(...granted)).toBe(2_000)
      expect(maxInWindow(granted, 1_000)).toBe(100)
    }))

  it.effect("counts a sliding window, not clock seconds: 100 at 0.9 s hold the 101st until 1.9 s", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimiter.make()
      yield* TestClock.adjust("900 millis")
      const first = yield* acquireAll(limiter, 100)
      yield* Fiber.join(first.fiber)
      yield* TestClock.adjust("100 millis")
      const next = yield* Effect.fork(Effect.zipRight(limiter.acquire, Clock.currentTimeMillis))
      yield* TestClock.adjust("899 millis")
      expect((yield* Fiber.poll(next))._tag).toBe("None")
      yield* TestClock.adjust("1 millis")
      expect(yield* Fiber.join(next)).toBe(1_900)
    }))

  it.effect("serves waiting requests first come, first served", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimiter.make({ limits: [{ limit: 1, window: "1 second" }] })
      const { fiber, granted } = yield* acquireAll(limiter, 5)
      yield* TestClock.adjust("5 seconds")
      yield* Fiber.join(fiber)
      expect(granted).toEqual([0, 1_000, 2_000, 3_000, 4_000])
    }))

  it.effect("a request interrupted while it waits gives its slot back, and the limit still holds", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimiter.make({ limits: [{ limit: 2, window: "1 second" }] })
      const first = yield* acquireAll(limiter, 2)
      yield* Fiber.join(first.fiber)
      const waiting = yield* Effect.fork(Effect.all(Array.from({ length: 10 }, () => limiter.acquire), {
        concurrency: "unbounded"
      }))
      yield* TestClock.adjust("100 millis")
      yield* Fiber.interrupt(waiting)
      const next = yield* acquireAll(limiter, 5)
      yield* TestClock.adjust("3 seconds")
      yield* Fiber.join(next.fiber)
      // Without the slots given back, the first of these would wait until 6 s (behind 10 phantoms).
      expect(next.granted).toEqual([1_000, 1_000, 2_000, 2_000, 3_000])
      expect(maxInWindow([0, 0, ...next.granted], 1_000)).toBe(2)
    }))

  it.effect("answers how long acquire waited", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimiter.make({ limits: [{ limit: 1, window: "1 second" }] })
      expect(yield* limiter.acquire).toEqual(Duration.zero)
      const second = yield* Effect.fork(limiter.acquire)
      yield* TestClock.adjust("1 second")
      expect(Duration.toMillis(yield* Fiber.join(second))).toBe(1_000)
    }))

  it.effect("pause holds back every request not yet sent, including one already waiting for its slot", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimiter.make({ limits: [{ limit: 1, window: "1 second" }] })
      yield* limiter.acquire
      const waiting = yield* Effect.fork(Effect.zipRight(limiter.acquire, Clock.currentTimeMillis))
      yield* TestClock.adjust("500 millis")
      yield* limiter.pause(Duration.seconds(2))
      const later = yield* Effect.fork(Effect.zipRight(limiter.acquire, Clock.currentTimeMillis))
      yield* TestClock.adjust("2 seconds")
      expect(yield* Fiber.join(waiting)).toBe(2_500)
      yield* TestClock.adjust("1 second")
      expect(yield* Fiber.join(later)).toBe(3_500)
    }))

  it.effect("a pause with more requests waiting than the limit holds back every one, in order and within the limit", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimiter.make({ limits: [{ limit: 2, window: "1 second" }] })
      const { fiber, granted } = yield* acquireAll(limiter, 6)
      yield* TestClock.adjust("500 millis")
      yield* limiter.pause(Duration.seconds(1))
      yield* TestClock.adjust("5 seconds")
      yield* Fiber.join(fiber)
      expect(granted.slice(0, 2)).toEqual([0, 0])
      expect(Math.min(...granted.slice(2))).toBeGreaterThanOrEqual(1_500)
      expect(granted).toEqual([...granted].sort((a, b) => a - b))
      expect(maxInWindow(granted, 1_000)).toBe(2)
    }))

  it.effect("a shorter pause never shortens a longer one", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimiter.make()
      yield* limiter.pause(Duration.seconds(3))
      yield* limiter.pause(Duration.seconds(1))
      const next = yield* Effect.fork(Effect.zipRight(limiter.acquire, Clock.currentTimeMillis))
      yield* TestClock.adjust("3 seconds")
      expect(yield* Fiber.join(next)).toBe(3_000)
    }))

  it.effect("a limit that cannot be kept is a defect, not a silent no-op", () =>
    Effect.gen(function*() {
      for (const limit of [{ limit: 0, window: "1 second" as const }, { limit: 10, window: "0 millis" as const }]) {
        const exit = yield* Effect.exit(RateLimiter.make({ limits: [limit] }))
        expect(Exit.isFailure(exit) && Cause.isDie(exit.cause)).toBe(true)
      }
    }))
})

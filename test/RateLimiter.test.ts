import { describe, expect, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as TestClock from "effect/TestClock"
import { RateLimiter } from "../src/index.js"
import { maxInWindow, maxMeeting } from "./utils/Windows.js"

/** A slot taken and its request answered at once (no latency): the instant it was granted. */
const send = (limiter: RateLimiter.RateLimiter, options?: RateLimiter.AcquireOptions) =>
  Effect.scoped(Effect.zipRight(limiter.acquire(options), Clock.currentTimeMillis))

/** A slot held for `latency` ms (the request's round trip): when it was granted and when answered. */
const sendWithLatency = (limiter: RateLimiter.RateLimiter, latency: number) =>
  Effect.scoped(Effect.gen(function*() {
    yield* limiter.acquire()
    const start = yield* Clock.currentTimeMillis
    yield* Effect.sleep(Duration.millis(latency))
    return { start, end: start + latency }
  }))

/** Starts `count` sends at once; answers the fiber and the instants at which each got its slot. */
const sendAll = (limiter: RateLimiter.RateLimiter, count: number, options?: RateLimiter.AcquireOptions) =>
  Effect.gen(function*() {
    const granted: Array<number> = []
    const fiber = yield* Effect.fork(Effect.forEach(
      Array.from({ length: count }, (_, i) => i),
      (i) => Effect.map(send(limiter, options), (now) => void (granted[i] = now)),
      { concurrency: "unbounded", discard: true }
    ))
    return { fiber, granted }
  })

/** Lets the fibers forked so far run until they wait, without moving the clock. */
const settle = TestClock.adjust(0)

const oneASecond = { limits: [{ limit: 1, window: "1 second" }] } as const

describe("RateLimiter", () => {
  it("defaults to Instantly's workspace limits: 100 per second and 6,000 per minute", () => {
    expect(RateLimiter.defaultRateLimits.map(({ limit, window }) => [limit, Duration.toMillis(window)])).toEqual([
      [100, 1_000],
      [6_000, 60_000]
    ])
  })

  it.effect("250 sends at the default limits: 100 at once, then 100 a second, never 101 in 1 s", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimiter.make()
      const { fiber, granted } = yield* sendAll(limiter, 250)
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
      const first = yield* sendAll(limiter, 100)
      yield* Fiber.join(first.fiber)
      yield* TestClock.adjust("100 millis")
      const next = yield* Effect.fork(send(limiter))
      yield* TestClock.adjust("899 millis")
      expect((yield* Fiber.poll(next))._tag).toBe("None")
      yield* TestClock.adjust("1 millis")
      expect(yield* Fiber.join(next)).toBe(1_900)
    }))

  it.effect("serves waiting requests first come, first served", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimiter.make(oneASecond)
      const { fiber, granted } = yield* sendAll(limiter, 5)
      yield* TestClock.adjust("5 seconds")
      yield* Fiber.join(fiber)
      expect(granted).toEqual([0, 1_000, 2_000, 3_000, 4_000])
    }))

  it.effect("a slot counts until its answer arrives and a window after: latency cannot push the server over", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimiter.make({ limits: [{ limit: 2, window: "1 second" }] })
      const held = yield* Effect.fork(Effect.all([sendWithLatency(limiter, 300), sendWithLatency(limiter, 500)], {
        concurrency: "unbounded"
      }))
      yield* settle
      const third = yield* Effect.fork(send(limiter))
      // Sent at 0 and answered at 300 and 500: the server may have counted both as late as that.
      yield* TestClock.adjust("1299 millis")
      expect((yield* Fiber.poll(third))._tag).toBe("None")
      yield* TestClock.adjust("1 millis")
      expect(yield* Fiber.join(third)).toBe(1_300)
      yield* Fiber.join(held)
    }))

  it.effect("while the limit's worth of requests is in flight, the next waits for an answer, then a window", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimiter.make(oneASecond)
      const slow = yield* Effect.fork(sendWithLatency(limiter, 5_000))
      const next = yield* Effect.fork(send(limiter))
      yield* TestClock.adjust("5999 millis")
      expect((yield* Fiber.poll(next))._tag).toBe("None")
      yield* TestClock.adjust("1 millis")
      expect(yield* Fiber.join(next)).toBe(6_000)
      expect(yield* Fiber.join(slow)).toEqual({ start: 0, end: 5_000 })
    }))

  it.effect("with latencies from 0 to 400 ms, no window could see more than the limit at the server", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimiter.make({ limits: [{ limit: 20, window: "1 second" }] })
      // Deterministic, uneven latencies: a few slow answers among fast ones.
      const latency = (i: number) => (i * 7919) % 13 === 0 ? 400 : (i * 104_729) % 97
      const fiber = yield* Effect.fork(Effect.forEach(
        Array.from({ length: 300 }, (_, i) => i),
        (i) => sendWithLatency(limiter, latency(i)),
        { concurrency: 30 }
      ))
      yield* TestClock.adjust("30 seconds")
      const slots = yield* Fiber.join(fiber)
      expect(slots).toHaveLength(300)
      expect(maxMeeting(slots, 1_000)).toBeLessThanOrEqual(20)
      // And it still goes at the limit's pace, less the round trips: 300 in about 15 s, not far beyond.
      expect(Math.max(...slots.map((slot) => slot.end))).toBeLessThan(18_000)
    }))

  it.effect("a request interrupted while it waits takes nothing with it, and the limit still holds", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimiter.make({ limits: [{ limit: 2, window: "1 second" }] })
      const first = yield* sendAll(limiter, 2)
      yield* Fiber.join(first.fiber)
      const waiting = yield* Effect.fork(Effect.all(Array.from({ length: 10 }, () => send(limiter)), {
        concurrency: "unbounded"
      }))
      yield* TestClock.adjust("100 millis")
      yield* Fiber.interrupt(waiting)
      const next = yield* sendAll(limiter, 5)
      yield* TestClock.adjust("3 seconds")
      yield* Fiber.join(next.fiber)
      // Had the interrupted kept their places, the first of these would wait until 6 s.
      expect(next.granted).toEqual([1_000, 1_000, 2_000, 2_000, 3_000])
      expect(maxInWindow([0, 0, ...next.granted], 1_000)).toBe(2)
    }))

  it.effect("first come, first served also when a waiter ahead is interrupted: a later arrival does not jump the queue", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimiter.make(oneASecond)
      yield* send(limiter)
      const a = yield* Effect.fork(send(limiter))
      const b = yield* Effect.fork(send(limiter))
      const c = yield* Effect.fork(send(limiter))
      yield* TestClock.adjust("100 millis")
      yield* Fiber.interrupt(a)
      yield* TestClock.adjust("100 millis")
      const d = yield* Effect.fork(send(limiter))
      yield* TestClock.adjust("3 seconds")
      expect([yield* Fiber.join(b), yield* Fiber.join(c), yield* Fiber.join(d)]).toEqual([1_000, 2_000, 3_000])
    }))

  it.effect("an interactive request is served before every waiting background one", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimiter.make(oneASecond)
      yield* send(limiter)
      const bulk = yield* sendAll(limiter, 5, { priority: "background" })
      yield* TestClock.adjust("100 millis")
      const interactive = yield* Effect.fork(send(limiter, { priority: "interactive" }))
      yield* TestClock.adjust("6 seconds")
      expect(yield* Fiber.join(interactive)).toBe(1_000)
      yield* Fiber.join(bulk.fiber)
      expect(bulk.granted).toEqual([2_000, 3_000, 4_000, 5_000, 6_000])
    }))

  it.effect("answers how long acquire waited", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimiter.make(oneASecond)
      expect(yield* Effect.scoped(limiter.acquire())).toEqual(Duration.zero)
      const second = yield* Effect.fork(Effect.scoped(limiter.acquire()))
      yield* TestClock.adjust("1 second")
      expect(Duration.toMillis(yield* Fiber.join(second))).toBe(1_000)
    }))

  it.effect("pause holds back every request not yet sent, including one already waiting for its slot", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimiter.make(oneASecond)
      yield* send(limiter)
      const waiting = yield* Effect.fork(send(limiter))
      yield* TestClock.adjust("500 millis")
      yield* limiter.pause(Duration.seconds(2))
      const later = yield* Effect.fork(send(limiter))
      yield* TestClock.adjust("2 seconds")
      expect(yield* Fiber.join(waiting)).toBe(2_500)
      yield* TestClock.adjust("1 second")
      expect(yield* Fiber.join(later)).toBe(3_500)
    }))

  it.effect("a pause with more requests waiting than the limit holds ends when the pause ends, not a window later", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimiter.make({ limits: [{ limit: 2, window: "1 second" }] })
      const { fiber, granted } = yield* sendAll(limiter, 6)
      yield* TestClock.adjust("500 millis")
      yield* limiter.pause(Duration.seconds(1))
      yield* TestClock.adjust("5 seconds")
      yield* Fiber.join(fiber)
      expect(granted).toEqual([0, 0, 1_500, 1_500, 2_500, 2_500])
      expect(maxInWindow(granted, 1_000)).toBe(2)
    }))

  it.effect("pauses do not add up: six 1 s pauses 2 ms apart hold 50 waiters once, with one limit as with two", () =>
    Effect.gen(function*() {
      for (
        const limits of [[{ limit: 10, window: "1 second" }], [{ limit: 10, window: "1 second" }, {
          limit: 600,
          window: "1 minute"
        }]] as const
      ) {
        const limiter = yield* RateLimiter.make({ limits })
        const start = yield* Clock.currentTimeMillis
        const { fiber, granted } = yield* sendAll(limiter, 50)
        yield* settle
        for (let i = 0; i < 6; i++) {
          yield* limiter.pause(Duration.seconds(1))
          yield* TestClock.adjust("2 millis")
        }
        yield* TestClock.adjust("10 seconds")
        yield* Fiber.join(fiber)
        const at = granted.map((t) => t - start)
        // 10 at once, then the pause (until 1,010 ms), then 10 a second: the last at 4,010 ms.
        expect(Math.max(...at)).toBe(4_010)
        expect(maxInWindow(at, 1_000)).toBe(10)
      }
    }))

  it.effect("a shorter pause never shortens a longer one", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimiter.make()
      yield* limiter.pause(Duration.seconds(3))
      yield* limiter.pause(Duration.seconds(1))
      const next = yield* Effect.fork(send(limiter))
      yield* TestClock.adjust("3 seconds")
      expect(yield* Fiber.join(next)).toBe(3_000)
    }))

  it.effect("a clock that steps back an hour costs at most a window, not the hour", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimiter.make()
      const start = Date.parse("2026-11-29T12:00:00Z")
      yield* TestClock.setTime(start)
      const first = yield* sendAll(limiter, 100)
      yield* Fiber.join(first.fiber)
      yield* TestClock.setTime(start - 3_600_000)
      const next = yield* Effect.fork(send(limiter))
      yield* TestClock.adjust("1 second")
      expect(yield* Fiber.join(next)).toBe(start - 3_600_000 + 1_000)
    }))

  it.effect("a limit that cannot be kept is a defect, not a silent no-op", () =>
    Effect.gen(function*() {
      for (const limit of [{ limit: 0, window: "1 second" as const }, { limit: 10, window: "0 millis" as const }]) {
        const exit = yield* Effect.exit(RateLimiter.make({ limits: [limit] }))
        expect(Exit.isFailure(exit) && Cause.isDie(exit.cause)).toBe(true)
      }
    }))
})

import { describe, expect, it } from "@effect/vitest"
import * as RateLimiter from "../../src/emulator/RateLimiter.js"

const instantly = [{ limit: 100, millis: 1_000 }, { limit: 6_000, millis: 60_000 }]

/** Offers one request at each time and returns the decisions' tags. */
const offer = (limiter: RateLimiter.RateLimiter, times: ReadonlyArray<number>) =>
  times.map((now) => limiter.tryAcquire(now))

describe("RateLimiter (sliding window)", () => {
  it("accepts `limit` requests in a window, rejects the next, and says when a slot frees", () => {
    const limiter = RateLimiter.make([{ limit: 3, millis: 1_000 }])
    const decisions = offer(limiter, [0, 100, 200, 300])
    expect(decisions.map((d) => d._tag)).toEqual(["Accepted", "Accepted", "Accepted", "Rejected"])
    // The request at 0 leaves the window at 1000: 700 ms after 300.
    expect(decisions[3]).toEqual({ _tag: "Rejected", retryAfterMillis: 700 })
  })

  it("slides: a slot frees exactly when the oldest accepted request is `millis` old", () => {
    const limiter = RateLimiter.make([{ limit: 2, millis: 1_000 }])
    offer(limiter, [0, 500])
    expect(limiter.tryAcquire(999)._tag).toBe("Rejected")
    expect(limiter.tryAcquire(1_000)._tag).toBe("Accepted")
    // Unlike a fixed window, the request at 500 still counts at 1400.
    expect(limiter.tryAcquire(1_400)).toEqual({ _tag: "Rejected", retryAfterMillis: 100 })
  })

  it("rejected requests do not use up the window", () => {
    const limiter = RateLimiter.make([{ limit: 1, millis: 1_000 }])
    offer(limiter, [0, 100, 200, 900])
    expect(limiter.tryAcquire(1_000)._tag).toBe("Accepted")
  })

  it("applies every window: 100/s and 6,000/min like Instantly", () => {
    const limiter = RateLimiter.make(instantly)
    // 100 a second for 60 seconds fills the minute exactly.
    let accepted = 0
    for (let second = 0; second < 60; second++) {
      for (let i = 0; i < 100; i++) accepted += limiter.tryAcquire(second * 1_000 + i)._tag === "Accepted" ? 1 : 0
      expect(limiter.tryAcquire(second * 1_000 + 500)._tag).toBe("Rejected")
    }
    expect(accepted).toBe(6_000)
    // A new second has room per second, but not per minute until the first requests leave it.
    expect(limiter.tryAcquire(60_000 - 1)).toEqual({ _tag: "Rejected", retryAfterMillis: 1 })
    expect(limiter.tryAcquire(60_000)._tag).toBe("Accepted")
  })

  it("with no windows accepts everything", () => {
    const limiter = RateLimiter.make([])
    expect(offer(limiter, Array.from({ length: 1_000 }, () => 0)).every((d) => d._tag === "Accepted")).toBe(true)
  })
})

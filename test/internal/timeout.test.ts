import { describe, expect, it, vi } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as TestClock from "effect/TestClock"
import { timeoutFail } from "../../src/internal/timeout.js"

const timedOut = timeoutFail(30_000, () => "timed out" as const)

describe("timeoutFail", () => {
  it.effect("fails after the timeout, once the timed-out effect has been interrupted", () =>
    Effect.gen(function*() {
      let interrupted = false
      const fiber = yield* Effect.fork(Effect.either(timedOut(Effect.onInterrupt(Effect.never, () =>
        Effect.sync(() => {
          interrupted = true
        })))))
      yield* TestClock.adjust("29999 millis")
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("1 millis")
      expect(yield* Fiber.join(fiber)).toEqual(Either.left("timed out"))
      expect(interrupted).toBe(true)
    }))

  it.effect("passes a value or an error through when the effect finishes in time", () =>
    Effect.gen(function*() {
      expect(yield* timedOut(Effect.succeed(1))).toBe(1)
      expect(yield* Effect.flip(timedOut(Effect.fail("boom")))).toBe("boom")
      const late = yield* Effect.fork(timedOut(Effect.as(Effect.sleep("29 seconds"), 2)))
      yield* TestClock.adjust("30 seconds")
      expect(yield* Fiber.join(late)).toBe(2)
    }))

  it.effect("interrupting the caller interrupts the effect", () =>
    Effect.gen(function*() {
      let interrupted = false
      const fiber = yield* Effect.fork(timedOut(Effect.onInterrupt(Effect.never, () =>
        Effect.sync(() => {
          interrupted = true
        }))))
      yield* TestClock.adjust("1 second")
      yield* Fiber.interrupt(fiber)
      expect(interrupted).toBe(true)
    }))

  it("on the live clock, a plain timer fires the timeout and is cleared when the effect finishes first", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] })
    try {
      const hung = Effect.runPromise(Effect.either(timedOut(Effect.never)))
      await vi.advanceTimersByTimeAsync(30_000)
      expect(await hung).toEqual(Either.left("timed out"))
      const answered = await Effect.runPromise(timedOut(Effect.promise(() => Promise.resolve(3))))
      expect(answered).toBe(3)
      expect(vi.getTimerCount()).toBe(0)
    } finally {
      vi.useRealTimers()
    }
  })
})

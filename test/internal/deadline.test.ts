import { describe, expect, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as TestClock from "effect/TestClock"
import * as Deadline from "../../src/internal/deadline.js"

const deadline = (at: number): Deadline.Deadline => ({ at, clock: Clock.make(), message: "No response within 1s" })

describe("Deadline", () => {
  it.effect("an offered deadline is the offering fiber's: taken once, never by another fiber; withdrawn, gone", () =>
    Effect.gen(function*() {
      const d = deadline(1_000)
      const other = yield* Effect.fork(Effect.never)
      const [byOther, taken, again] = yield* Effect.withFiberRuntime<ReadonlyArray<Deadline.Deadline | undefined>>(
        (fiber) => {
          Deadline.offer(fiber, d)
          return Effect.succeed([Deadline.take(other), Deadline.take(fiber), Deadline.take(fiber)] as const)
        }
      )
      expect(taken).toBe(d)
      expect(again).toBeUndefined()
      expect(byOther).toBeUndefined()
      const afterWithdraw = yield* Effect.withFiberRuntime<Deadline.Deadline | undefined>((fiber) => {
        Deadline.offer(fiber, d)
        Deadline.withdraw(fiber)
        return Effect.succeed(Deadline.take(fiber))
      })
      expect(afterWithdraw).toBeUndefined()
      yield* Fiber.interrupt(other)
    }))

  it.effect("a marked transport is known as one; any other client is not", () =>
    Effect.sync(() => {
      const client = Deadline.markTransport({})
      expect(Deadline.isTransport(client)).toBe(true)
      expect(Deadline.isTransport({})).toBe(false)
    }))

  it.effect("startTimer keeps the fiber's clock: on the TestClock it fires when the clock gets there, and not once cancelled", () =>
    Effect.gen(function*() {
      const clock = yield* Effect.clock
      const fired: Array<string> = []
      Deadline.startTimer(clock, 1_000, () => fired.push("kept"))
      const cancel = Deadline.startTimer(clock, 1_000, () => fired.push("cancelled"))
      cancel()
      yield* TestClock.adjust("999 millis")
      expect(fired).toEqual([])
      yield* TestClock.adjust("1 millis")
      yield* Effect.yieldNow()
      expect(fired).toEqual(["kept"])
    }))
})

import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import { mapConcurrently } from "../../src/internal/concurrently.js"

/** Sleeps 0 to 40 ms for element `n`, counting how many run at once. */
const probe = () => {
  const state = { running: 0, most: 0 }
  const input = Stream.range(1, 40)
  const f = (n: number) =>
    Effect.sync(() => {
      state.running++
      state.most = Math.max(state.most, state.running)
    }).pipe(
      Effect.zipRight(Effect.sleep(`${10 * ((n * 7) % 5)} millis`)),
      Effect.ensuring(Effect.sync(() => state.running--)),
      Effect.as(n)
    )
  return { state, input, f }
}

const drain = <A, E>(stream: Stream.Stream<A, E>) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(Stream.runCollect(stream))
    yield* TestClock.adjust("10 seconds")
    return Chunk.toArray(yield* Fiber.join(fiber))
  })

describe("mapConcurrently", () => {
  it.effect("runs at most `concurrency` at once; ordered keeps the input's order, else the order of completion", () =>
    Effect.gen(function*() {
      const ordered = probe()
      const inOrder = yield* drain(mapConcurrently(ordered.input, ordered.f, { concurrency: 4, ordered: true }))
      expect(inOrder).toEqual(Array.from({ length: 40 }, (_, i) => i + 1))
      expect(ordered.state.most).toBe(4)

      const unordered = probe()
      const done = yield* drain(mapConcurrently(unordered.input, unordered.f, { concurrency: 4, ordered: false }))
      expect([...done].sort((a, b) => a - b)).toEqual(inOrder)
      expect(done).not.toEqual(inOrder)
      expect(unordered.state.most).toBe(4)
    }))

  it.effect("starts an element only as one under way finishes; interrupting the stream interrupts them", () =>
    Effect.gen(function*() {
      let started = 0
      let interrupted = 0
      const slow = () =>
        Effect.sync(() => started++).pipe(
          Effect.zipRight(Effect.sleep("1 second")),
          Effect.onInterrupt(() => Effect.sync(() => interrupted++))
        )
      const fiber = yield* Effect.fork(
        Stream.runDrain(mapConcurrently(Stream.range(1, 40), slow, { concurrency: 3, ordered: false }))
      )
      yield* TestClock.adjust("10 millis")
      expect(started).toBe(3)
      yield* TestClock.adjust("1 second")
      expect(started).toBe(6)
      yield* Fiber.interrupt(fiber)
      expect(interrupted).toBe(3)
      yield* TestClock.adjust("1 minute")
      expect(started).toBe(6)
    }))

  it.effect("a failing input: the elements taken before it are emitted, then the stream fails with its error", () =>
    Effect.gen(function*() {
      const { f } = probe()
      const input = Stream.concat(Stream.make(3, 1, 2), Stream.fail("input failed"))
      for (const ordered of [true, false]) {
        const seen: Array<number> = []
        const fiber = yield* Effect.fork(
          Effect.flip(
            Stream.runForEach(
              mapConcurrently(input, f, { concurrency: 2, ordered }),
              (n) => Effect.sync(() => seen.push(n))
            )
          )
        )
        yield* TestClock.adjust("1 second")
        expect(yield* Fiber.join(fiber)).toBe("input failed")
        expect([...seen].sort()).toEqual([1, 2, 3])
      }
    }))
})

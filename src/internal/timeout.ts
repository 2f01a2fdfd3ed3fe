/**
 * A cheap timeout: the effect runs in one fiber of its own, started at once, and the timer is a plain
 * callback, so the happy path costs one fiber and a `setTimeout`, not the two fibers, the scheduler
 * hops and the interruption round trip of `Effect.timeoutFail`.
 *
 * @since 0.1.0
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Runtime from "effect/Runtime"
import * as Tracer from "effect/Tracer"
import { startTimer } from "./deadline.js"

/**
 * Fails with `onTimeout()` when `self` has not finished after `millis`, interrupting it (and waiting
 * for it to stop) first. `self` starts at once in a fiber of its own, under `parentSpan` when given
 * (cheaper there than `Effect.withParentSpan`); when it finishes without waiting on anything, no
 * timer is set at all.
 *
 * @since 0.1.0
 * @category Combinators
 * @internal
 */
export const timeoutFail =
  <E2>(millis: number, onTimeout: () => E2, parentSpan?: Tracer.AnySpan) =>
  <A, E>(self: Effect.Effect<A, E>): Effect.Effect<A, E | E2> =>
    Effect.withFiberRuntime((fiber, status) => {
      const clock = Context.get(fiber.currentDefaultServices, Clock.Clock)
      const context = fiber.currentContext
      const runtime = Runtime.make({
        context: parentSpan === undefined ? context : Context.add(context, Tracer.ParentSpan, parentSpan),
        runtimeFlags: status.runtimeFlags,
        fiberRefs: fiber.getFiberRefs()
      })
      return Effect.async<A, E | E2>((resume) => {
        let done = false
        let cancel = noop
        // The child succeeds with the exit of `self`, so that its failures are not logged as unhandled.
        const child = Runtime.runFork(runtime, Effect.exit(Effect.interruptible(self)))
        child.addObserver((exit) => {
          if (done) return
          done = true
          cancel()
          resume(Exit.isSuccess(exit) ? exit.value : Exit.failCause(exit.cause))
        })
        if (!done) {
          cancel = startTimer(clock, millis, () => {
            if (done) return
            done = true
            resume(Effect.zipRight(Fiber.interrupt(child), Effect.fail(onTimeout())))
          })
        }
        return Effect.suspend(() => {
          if (done) return Effect.void
          done = true
          cancel()
          return Fiber.interrupt(child)
        })
      })
    })

const noop = (): void => {}

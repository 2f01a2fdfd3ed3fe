/**
 * Ctrl-C (SIGINT) and SIGTERM for the command line: while a command runs a graceful section (a bulk
 * removal), the first signal only asks it to stop taking work; any other signal, or the first outside
 * such a section, interrupts the program at once (its finalizers still run).
 *
 * @since 0.2.0
 */
import * as Context from "effect/Context"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import * as FiberId from "effect/FiberId"
import * as Option from "effect/Option"

/**
 * The signals a run stops on, and the exit code each stands for (128 + its number, as shells report it).
 *
 * @since 0.2.0
 * @category Constants
 */
export const signals = { SIGINT: 130, SIGTERM: 143 } as const

/**
 * A signal the process stops on.
 *
 * @since 0.2.0
 * @category Models
 */
export type Signal = keyof typeof signals

/**
 * What a command sees of the signals.
 *
 * @since 0.2.0
 * @category Models
 */
export interface Service {
  /** Completes when the first signal comes. */
  readonly requested: Effect.Effect<void>
  /** The first signal received, if any. */
  readonly received: Effect.Effect<Option.Option<Signal>>
  /**
   * Runs `effect` as a graceful section: while it runs, the first signal only completes `requested`
   * (the effect should then finish what it started and end); a second one interrupts it.
   */
  readonly graceful: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
}

/**
 * The service tag.
 *
 * @since 0.2.0
 * @category Tags
 */
export class Stop extends Context.Tag("effect-instantly/cli/Stop")<Stop, Service>() {}

/**
 * The signal handling of one process: the service, and `install`, which listens to the signals for the
 * main fiber (interrupted when a signal is not taken gracefully) and answers a function that stops listening;
 * `signal`, the first signal received; `inGracefulSection`, whether a graceful section runs now.
 *
 * @since 0.2.0
 * @category Constructors
 */
export const make = () => {
  const requested = Deferred.unsafeMake<void>(FiberId.none)
  let first: Signal | undefined
  let count = 0
  let gracefulSections = 0
  const service: Service = {
    requested: Deferred.await(requested),
    received: Effect.sync(() => Option.fromNullable(first)),
    graceful: (effect) =>
      Effect.acquireUseRelease(
        Effect.sync(() => gracefulSections++),
        () => effect,
        () => Effect.sync(() => gracefulSections--)
      )
  }
  const install = (main: Fiber.RuntimeFiber<unknown, unknown>): () => void => {
    const on = (signal: Signal) => () => {
      count++
      first ??= signal
      Deferred.unsafeDone(requested, Exit.void)
      if (gracefulSections === 0 || count > 1) main.unsafeInterruptAsFork(FiberId.none)
    }
    const listeners = Object.keys(signals).map((signal) => [signal as Signal, on(signal as Signal)] as const)
    for (const [signal, listener] of listeners) process.on(signal, listener)
    return () => {
      for (const [signal, listener] of listeners) process.off(signal, listener)
    }
  }
  return { service, install, signal: () => first, inGracefulSection: () => gracefulSections > 0 }
}

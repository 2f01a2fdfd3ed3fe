/**
 * A client-side rate limiter that paces requests under several sliding-window limits at once, so that
 * requests wait for a slot instead of drawing a 429, whatever the latency between client and server.
 *
 * @since 0.1.0
 */
import type * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Scope from "effect/Scope"
import * as SlidingWindow from "./internal/slidingWindow.js"
import * as WaitQueue from "./internal/waitQueue.js"

/**
 * One limit: at most `limit` requests in any window of `window` (a sliding window, not a clock one).
 *
 * @since 0.1.0
 * @category Models
 */
export interface RateLimit {
  readonly limit: number
  readonly window: Duration.DurationInput
}

/**
 * Options of the rate limiter (`rateLimit` on `InstantlyClient.layer`).
 *
 * @since 0.1.0
 * @category Models
 */
export interface RateLimitOptions {
  /** The limits to keep under, all at once; default `defaultRateLimits` (Instantly's workspace limits). */
  readonly limits?: ReadonlyArray<RateLimit> | undefined
  /**
   * A limiter to use instead of building one from `limits`, e.g. one shared by several processes or
   * several `InstantlyClient` layers of the same workspace.
   */
  readonly limiter?: RateLimiter | undefined
}

/**
 * Instantly's workspace limits: 100 requests per second and 6,000 per minute.
 *
 * @since 0.1.0
 * @category Constants
 */
export const defaultRateLimits: ReadonlyArray<RateLimit> = [
  { limit: 100, window: Duration.seconds(1) },
  { limit: 6_000, window: Duration.minutes(1) }
]

/**
 * Which lane a request waits in: every `"interactive"` request waiting is served before any
 * `"background"` one (bulk work), so a single call is never queued behind a whole batch.
 *
 * @since 0.2.0
 * @category Models
 */
export type Priority = "interactive" | "background"

/**
 * Options of one `acquire`.
 *
 * @since 0.2.0
 * @category Models
 */
export interface AcquireOptions {
  /** The lane to wait in, default `"interactive"`. */
  readonly priority?: Priority | undefined
}

/**
 * What the client needs of a rate limiter; an implementation shared across processes can stand in for
 * the in-process one.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { RateLimiter } from "effect-instantly"
 *
 * // A slot is held from the grant until the scope closes, i.e. until the answer has arrived.
 * const paced = <A, E>(limiter: RateLimiter.RateLimiter, send: Effect.Effect<A, E>) =>
 *   Effect.scoped(Effect.zipRight(limiter.acquire(), send))
 * ```
 *
 * @since 0.1.0
 * @category Models
 */
export interface RateLimiter {
  /**
   * Waits for a slot under every limit (first come, first served within a lane; interactive before
   * background) and holds it until the scope closes: send the request in that scope, so the slot
   * counts until its answer has arrived. Answers how long it waited.
   */
  readonly acquire: (options?: AcquireOptions) => Effect.Effect<Duration.Duration, never, Scope.Scope>
  /**
   * Holds back every request not yet sent until `duration` from now, e.g. after a 429. Pauses do not
   * add up: a pause that ends before one already in force changes nothing.
   */
  readonly pause: (duration: Duration.Duration) => Effect.Effect<void>
}

/**
 * The service tag of a rate limiter shared through the context: provide one (`RateLimiter.layer`, or a
 * limiter shared across processes) under `InstantlyClient`, and every client built there uses it,
 * unless its own `rateLimit` option says otherwise (`false`, or a `limiter`).
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { Layer } from "effect"
 * import { InstantlyClient, Leads, RateLimiter } from "effect-instantly"
 *
 * // Two clients (say, two API keys of one workspace) share one limit.
 * const Shared = RateLimiter.layer()
 * const Client = Leads.Default.pipe(Layer.provide(InstantlyClient.layerConfig()), Layer.provide(Shared))
 * export const Live = Client.pipe(Layer.provide(FetchHttpClient.layer))
 * ```
 *
 * @since 0.2.0
 * @category Tags
 */
export const RateLimiter: Context.Tag<RateLimiter, RateLimiter> = Context.GenericTag<RateLimiter>(
  "effect-instantly/RateLimiter"
)

/**
 * A layer of the in-process limiter (see `make`), to share through the context.
 *
 * @since 0.2.0
 * @category Layers
 */
export const layer = (options: RateLimitOptions = {}): Layer.Layer<RateLimiter> =>
  Layer.effect(RateLimiter, options.limiter === undefined ? make(options) : Effect.succeed(options.limiter))

const toRing = ({ limit, window }: RateLimit): SlidingWindow.Ring =>
  SlidingWindow.makeRing(limit, Duration.toMillis(window))

/**
 * An in-process limiter that no latency can push over a limit at the server. A slot counts from when
 * it is granted until its scope closes (the answer arrived) and for a whole window after that: the
 * server saw the request somewhere in between, so a new request may go when, for every limit, fewer
 * than `limit` slots are in flight or ended less than a window ago. The cost is throughput: each slot
 * is taken for one window plus the request's round trip, so at a latency of L the rate is
 * `limit / (window + L)` (95/s instead of 100/s at 50 ms).
 *
 * Waiting requests are served first come, first served, interactive before background; an
 * interrupted waiter leaves the queue and takes nothing with it. Time is read from the clock's
 * monotonic nanoseconds; should it step back all the same, the bookkeeping moves back with it.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const make = (options: RateLimitOptions = {}): Effect.Effect<RateLimiter> =>
  Effect.sync(() => {
    const rings = (options.limits ?? defaultRateLimits).map(toRing)
    const lanes = WaitQueue.makeLanes()
    let inFlight = 0
    let pausedUntil = -Infinity
    /** The last time read, to notice a clock that stepped back. */
    let lastNow = -Infinity

    /**
     * The time now in milliseconds, from the clock's monotonic nanoseconds. Should the clock step back
     * all the same (a test clock, a VM restored), every recorded time moves back with it, so no slot
     * waits for the lost time, and the first waiter looks again.
     */
    const currentTime = (clock: Clock.Clock): number => {
      const now = Number(clock.unsafeCurrentTimeNanos()) / 1e6
      if (now < lastNow) {
        const back = lastNow - now
        for (const ring of rings) SlidingWindow.shift(ring, -back)
        pausedUntil -= back
        WaitQueue.wake(first())
      }
      lastNow = now
      return now
    }

    /** The first instant at or after `now` when one more slot keeps every limit (`Infinity`: wait for an answer). */
    const readyAt = (now: number): number => {
      let at = Math.max(now, pausedUntil)
      for (const ring of rings) at = Math.max(at, SlidingWindow.freeAt(ring, inFlight))
      return at
    }

    const first = () => WaitQueue.first(lanes)

    /** The scope's end of a slot: it stops being in flight and counts, from now, for a window more. */
    const release = (now: number): void => {
      inFlight--
      SlidingWindow.record(rings, now)
      // Only a waiter held back by slots in flight can go earlier now; the others sleep until their time.
      WaitQueue.wake(first())
    }

    /** Takes a slot, held until `scope` closes. */
    const take = (scope: Scope.Scope, clock: Clock.Clock): Effect.Effect<void> => {
      inFlight++
      return Scope.addFinalizer(scope, Effect.sync(() => release(currentTime(clock))))
    }

    const acquire = (acquireOptions?: AcquireOptions): Effect.Effect<Duration.Duration, never, Scope.Scope> =>
      Effect.flatMap(Effect.scope, (scope) =>
        Effect.clockWith((clock) =>
          Effect.uninterruptibleMask((restore) => {
            const start = currentTime(clock)
            if (first() === undefined && readyAt(start) <= start) return Effect.as(take(scope, clock), Duration.zero)
            const lane = lanes[acquireOptions?.priority ?? "interactive"]
            const waiter = WaitQueue.makeWaiter()
            lane.push(waiter)
            // Only the first waiter watches the clock; the others sleep until they are first.
            const turn: Effect.Effect<Duration.Duration> = Effect.suspend(() => {
              waiter.woken = false
              const now = currentTime(clock)
              if (first() !== waiter) return Effect.zipRight(restore(WaitQueue.suspend(waiter, Infinity)), turn)
              const at = readyAt(now)
              if (at > now) return Effect.zipRight(restore(WaitQueue.suspend(waiter, at - now)), turn)
              lane.remove(waiter)
              WaitQueue.wake(first())
              return Effect.as(take(scope, clock), Duration.millis(now - start))
            })
            return Effect.onInterrupt(turn, () => Effect.sync(() => WaitQueue.leave(lanes, lane, waiter)))
          })
        ))

    const pause = (duration: Duration.Duration) =>
      Effect.clockWith((clock) =>
        Effect.sync(() => {
          const now = currentTime(clock)
          pausedUntil = Math.max(pausedUntil, now + Duration.toMillis(duration))
        })
      )

    return { acquire, pause } satisfies RateLimiter
  })

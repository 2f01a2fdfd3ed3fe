/**
 * A sliding-window rate limiter like Instantly's: a request is accepted when, in every window, fewer
 * than `limit` requests were accepted in the `millis` before it. Rejected requests do not count.
 *
 * @since 0.1.0
 */
import * as SlidingWindow from "../internal/slidingWindow.js"

/**
 * One window: at most `limit` accepted requests in any `millis` milliseconds.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Window {
  readonly limit: number
  readonly millis: number
}

/**
 * What `tryAcquire` decided: accepted, or rejected with how long until a slot frees up.
 *
 * @since 0.1.0
 * @category Models
 */
export type Decision =
  | { readonly _tag: "Accepted" }
  | { readonly _tag: "Rejected"; readonly retryAfterMillis: number }

/**
 * A limiter over some windows.
 *
 * @since 0.1.0
 * @category Models
 */
export interface RateLimiter {
  /** Accepts a request at `now` (epoch milliseconds) if every window has room, and records it. */
  readonly tryAcquire: (now: number) => Decision
}

/**
 * Builds a limiter; with no windows it accepts everything. It keeps, per window, the times of the
 * last `limit` accepted requests (the bookkeeping the client's own limiter uses to wait instead).
 *
 * @since 0.1.0
 * @category Constructors
 */
export const make = (windows: ReadonlyArray<Window>): RateLimiter => {
  const rings = windows.map((window) => SlidingWindow.makeRing(window.limit, window.millis))
  const tryAcquire = (now: number): Decision => {
    // A window has room again once the oldest request that keeps it full has left it.
    const free = SlidingWindow.earliest(rings, now)
    if (free > now) return { _tag: "Rejected", retryAfterMillis: free - now }
    SlidingWindow.record(rings, now)
    return { _tag: "Accepted" }
  }
  return { tryAcquire }
}

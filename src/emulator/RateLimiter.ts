/**
 * A sliding-window rate limiter like Instantly's: a request is accepted when, in every window, fewer
 * than `limit` requests were accepted in the `millis` before it. Rejected requests do not count.
 *
 * @since 0.1.0
 */

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
 * A limiter over some windows, keeping the times of the accepted requests of the longest window.
 *
 * @since 0.1.0
 * @category Models
 */
export interface RateLimiter {
  /** Accepts a request at `now` (epoch milliseconds) if every window has room, and records it. */
  readonly tryAcquire: (now: number) => Decision
}

/**
 * Builds a limiter; with no windows it accepts everything.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const make = (windows: ReadonlyArray<Window>): RateLimiter => {
  const longest = windows.reduce((max, window) => Math.max(max, window.millis), 0)
  // Accepted request times, ascending; `start` is the first one still inside the longest window.
  const accepted: Array<number> = []
  let start = 0

  /** How many accepted requests are in the `millis` before `now`, and the index of the first. */
  const firstInside = (now: number, millis: number): number => {
    let low = start
    let high = accepted.length
    while (low < high) {
      const mid = (low + high) >>> 1
      if (accepted[mid]! > now - millis) high = mid
      else low = mid + 1
    }
    return low
  }

  const tryAcquire = (now: number): Decision => {
    start = firstInside(now, longest)
    if (start > 4096 && start * 2 > accepted.length) {
      accepted.splice(0, start)
      start = 0
    }
    let retryAfterMillis = 0
    for (const window of windows) {
      const first = firstInside(now, window.millis)
      const inside = accepted.length - first
      if (inside >= window.limit) {
        // The window has room again once the oldest request that keeps it full has left it.
        const leaving = accepted[accepted.length - window.limit]!
        retryAfterMillis = Math.max(retryAfterMillis, leaving + window.millis - now)
      }
    }
    if (retryAfterMillis > 0) return { _tag: "Rejected", retryAfterMillis }
    accepted.push(now)
    return { _tag: "Accepted" }
  }

  return { tryAcquire }
}

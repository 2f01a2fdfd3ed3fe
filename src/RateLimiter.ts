/**
 * A client-side rate limiter that paces requests under several sliding-window limits at once,
 * so that requests wait for a slot instead of drawing a 429.
 *
 * @since 0.1.0
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as SlidingWindow from "./internal/slidingWindow.js"

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
 * What the client needs of a rate limiter; an implementation shared across processes can stand
 * in for the in-process one.
 *
 * @since 0.1.0
 * @category Models
 */
export interface RateLimiter {
  /** Waits (first come, first served) for a slot under every limit; answers how long it waited. */
  readonly acquire: Effect.Effect<Duration.Duration>
  /** Holds back every request not yet sent for `duration` from now, e.g. after a 429. */
  readonly pause: (duration: Duration.Duration) => Effect.Effect<void>
}

const toRing = ({ limit, window }: RateLimit): SlidingWindow.Ring =>
  SlidingWindow.makeRing(limit, Duration.toMillis(window))

/**
 * An in-process limiter, exact over any sliding window: for each limit it keeps the last `limit`
 * slots it granted, and a new request gets the first instant at which, for every limit, the slot
 * `limit` grants back is a whole window old (O(1) per limit, no lock, no background fiber).
 * A pause moves every slot granted but not yet reached after its end, keeping their order and spacing.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const make = (options: RateLimitOptions = {}): Effect.Effect<RateLimiter> =>
  Effect.sync(() => {
    const rings = (options.limits ?? defaultRateLimits).map(toRing)
    const longest = rings.reduce((a, b) => (b.times.length > a.times.length ? b : a))
    let pausedUntil = -Infinity
    let last = -Infinity
    /** The slot that last fell out of the longest ring, to tell whether the ring holds every waiting slot. */
    let evicted = -Infinity
    /** The sum of the shifts of every pause so far: a waiting request owes the part added since it queued. */
    let shifted = 0

    /**
     * Slots granted to requests that were interrupted while they waited, ascending: already counted
     * in the rings, so the next request can take one as it is (it must then go at exactly that time).
     */
    const released: Array<number> = []

    /** Gives back the slot of a request interrupted while it waited for it. */
    const release = (slot: number): void => {
      let i = released.length
      while (i > 0 && released[i - 1]! > slot) i--
      released.splice(i, 0, slot)
    }

    /**
     * Takes the next slot at or after `now`: a released one still ahead, else the first after every
     * slot already granted, which it records.
     */
    const reserve = (now: number): number => {
      while (released.length > 0 && released[0]! < Math.max(now, pausedUntil)) released.shift()
      if (released.length > 0) return released.shift()!
      const slot = SlidingWindow.earliest(rings, Math.max(now, pausedUntil, last))
      evicted = longest.times[longest.next]!
      SlidingWindow.record(rings, slot)
      last = slot
      return slot
    }

    /** Moves every slot later than `now` by `delta`. */
    const shift = (now: number, delta: number): void => {
      for (const ring of rings) {
        for (let back = 0; back < ring.times.length; back++) {
          const i = SlidingWindow.newest(ring, back)
          if (!(ring.times[i]! > now)) break
          ring.times[i] = ring.times[i]! + delta
        }
      }
      if (evicted > now) evicted += delta
      for (let i = 0; i < released.length; i++) if (released[i]! > now) released[i] = released[i]! + delta
      last += delta
      shifted += delta
    }

    /** The earliest slot later than `now`, or `now` when more are waiting than the longest ring holds. */
    const firstWaiting = (now: number): number => {
      let first = now
      for (let back = 0; back < longest.times.length; back++) {
        const time = longest.times[SlidingWindow.newest(longest, back)]!
        if (!(time > now)) return first
        first = time
      }
      return evicted > now ? now : first
    }

    /**
     * Sleeps until the slot, and on for as long as pauses moved it meanwhile; a request interrupted
     * meanwhile gives its slot back.
     */
    const waitFor = (start: number, now: number, slot: number, owed: number): Effect.Effect<Duration.Duration> =>
      Effect.sleep(Duration.millis(slot - now)).pipe(
        Effect.onInterrupt(() => Effect.sync(() => release(slot + shifted - owed))),
        Effect.flatMap(() =>
          Effect.clockWith((clock) => {
            const woke = clock.unsafeCurrentTimeMillis()
            if (shifted === owed) return Effect.succeed(Duration.millis(woke - start))
            return waitFor(start, woke, slot + shifted - owed, shifted)
          })
        )
      )

    const acquire = Effect.clockWith((clock) => {
      const now = clock.unsafeCurrentTimeMillis()
      const slot = reserve(now)
      return slot <= now ? Effect.succeed(Duration.zero) : waitFor(now, now, slot, shifted)
    })

    const pause = (duration: Duration.Duration) =>
      Effect.clockWith((clock) =>
        Effect.sync(() => {
          const now = clock.unsafeCurrentTimeMillis()
          const until = now + Duration.toMillis(duration)
          if (until <= pausedUntil) return
          pausedUntil = until
          if (last > now) {
            const delta = until - firstWaiting(now)
            if (delta > 0) shift(now, delta)
          }
        })
      )

    return { acquire, pause } satisfies RateLimiter
  })
